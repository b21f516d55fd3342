import CCairo

/// Turns a Cairo status into a thrown `RenderError`; `action` says what we were doing.
func checkCairo(_ status: cairo_status_t, _ action: String) throws {
    guard status != CAIRO_STATUS_SUCCESS else { return }
    throw RenderError.cairo(status: String(cString: cairo_status_to_string(status)), while: action)
}

/// Owns a `cairo_surface_t` and destroys it with the object. Cairo constructors never
/// return NULL but an object in an error state, so creation checks the status.
final class CairoSurface {
    let pointer: OpaquePointer

    init(_ pointer: OpaquePointer, creating what: String) throws {
        self.pointer = pointer
        try checkCairo(cairo_surface_status(pointer), "creating \(what)")
    }

    /// An ARGB32 image surface of the given pixel size.
    static func image(width: Int, height: Int) throws -> CairoSurface {
        guard width > 0, height > 0 else { throw RenderError.invalidSize(what: "image size", value: Double(min(width, height))) }
        return try CairoSurface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)),
                                creating: "a \(width)×\(height) image")
    }

    var status: cairo_status_t { cairo_surface_status(pointer) }

    deinit { cairo_surface_destroy(pointer) }
}

/// Owns a `cairo_t` drawing onto a surface (which it keeps alive).
final class CairoContext {
    let pointer: OpaquePointer
    let surface: CairoSurface

    init(surface: CairoSurface) throws {
        self.surface = surface
        pointer = cairo_create(surface.pointer)
        if cairo_status(pointer) != CAIRO_STATUS_SUCCESS {
            let status = cairo_status(pointer)
            cairo_destroy(pointer)
            try checkCairo(status, "creating a drawing context")
        }
    }

    /// Cairo errors are sticky: one check after drawing catches any failure during it.
    func check(_ action: String) throws {
        try checkCairo(cairo_status(pointer), action)
        try checkCairo(surface.status, action)
    }

    deinit { cairo_destroy(pointer) }
}
