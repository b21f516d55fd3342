import CCairo
/// The Cairo version the renderer was built against.
public enum RenderInfo { public static var cairoVersion: String { String(cString: cairo_version_string()) } }
