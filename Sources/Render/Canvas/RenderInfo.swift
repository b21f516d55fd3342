import CCairo

/// Versions of the C libraries the renderer was built against, for `learn --version`
/// and bug reports (golden images depend on them).
public enum RenderInfo {
    public static var cairoVersion: String { String(cString: cairo_version_string()) }
    public static var pangoVersion: String { String(cString: pango_version_string()) }

    /// The family fontconfig actually gives for the theme's font. A missing DejaVu Sans
    /// falls back silently to another face, which would change every figure.
    public static func resolvedFontFamily(theme: Theme = .standard, monospace: Bool = false) throws -> String {
        let canvas = try ImageCanvas(size: Size(1, 1), scale: 1, theme: theme).canvas
        return monospace ? canvas.resolvedMonospaceFamily : canvas.resolvedFontFamily
    }
}
