import CCairo
import Foundation

/// A canvas backed by an ARGB32 image, and the project's one PNG writer
/// (`cairo_surface_write_to_png_stream`; PNG bytes are identical across runs).
final class ImageCanvas {
    let canvas: Canvas
    private let surface: CairoSurface

    init(size: Size, scale: Double, theme: Theme) throws {
        for (what, v) in [("figure width", size.width), ("figure height", size.height), ("PNG scale", scale)]
        where !(v.isFinite && v > 0) { throw RenderError.invalidSize(what: what, value: v) }
        surface = try CairoSurface.image(width: Int((size.width * scale).rounded(.up)),
                                         height: Int((size.height * scale).rounded(.up)))
        let context = try CairoContext(surface: surface)
        cairo_scale(context.pointer, scale, scale)
        canvas = Canvas(context: context, size: size, theme: theme)
        canvas.fill(Rect(x: 0, y: 0, width: size.width + 1, height: size.height + 1), theme.background)
    }

    func raster() throws -> RasterImage {
        cairo_surface_flush(surface.pointer)
        return try RasterImage(surface: surface)
    }

    func pngData() throws -> Data {
        try canvas.check("drawing a PNG figure")
        cairo_surface_flush(surface.pointer)
        final class Sink { var data = Data() }
        let sink = Sink()
        let status = cairo_surface_write_to_png_stream(surface.pointer, { closure, bytes, length in
            let sink = Unmanaged<Sink>.fromOpaque(closure!).takeUnretainedValue()
            sink.data.append(bytes!, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        try checkCairo(status, "encoding PNG")
        return sink.data
    }
}
