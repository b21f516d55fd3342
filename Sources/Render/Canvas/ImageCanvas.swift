import CCairo
import Foundation

/// A canvas backed by an ARGB32 image, and the project's one PNG writer (libpng's
/// simplified API: no setjmp; PNG bytes are identical across runs).
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

    /// Encodes the image as an 8-bit RGB PNG with libpng's simplified writer and zlib's
    /// fast setting. Figures are opaque, so RGB loses nothing against cairo's own RGBA
    /// writer, and the fast setting encodes several times quicker for slightly larger
    /// files (the 64-channel feature-map grid: the difference between ~70 and ~15 ms).
    func pngData() throws -> Data {
        try canvas.check("drawing a PNG figure")
        cairo_surface_flush(surface.pointer)
        let width = Int(cairo_image_surface_get_width(surface.pointer))
        let height = Int(cairo_image_surface_get_height(surface.pointer))
        let stride = Int(cairo_image_surface_get_stride(surface.pointer))
        let base = UnsafeRawPointer(cairo_image_surface_get_data(surface.pointer)!)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for row in 0..<height {
            let line = (base + row * stride).assumingMemoryBound(to: UInt32.self)
            for col in 0..<width {
                let p = line[col], i = (row * width + col) * 3
                rgb[i] = UInt8((p >> 16) & 0xFF); rgb[i + 1] = UInt8((p >> 8) & 0xFF); rgb[i + 2] = UInt8(p & 0xFF)
            }
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = UInt32(PNG_FORMAT_RGB)
        image.flags = UInt32(PNG_IMAGE_FLAG_FAST)
        // Worst case of deflate plus PNG framing; retried once if libpng asks for more.
        var capacity = rgb.count + rgb.count / 100 + height + 4096
        var bytes = [UInt8](repeating: 0, count: capacity)
        var ok = png_image_write_to_memory(&image, &bytes, &capacity, 0, rgb, Int32(width * 3), nil)
        if ok == 0 && capacity > bytes.count {
            bytes = [UInt8](repeating: 0, count: capacity)
            image.warning_or_error = 0
            ok = png_image_write_to_memory(&image, &bytes, &capacity, 0, rgb, Int32(width * 3), nil)
        }
        guard ok != 0 else {
            let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw RenderError.file(path: "(PNG in memory)", reason: "libpng could not encode: \(message)")
        }
        return Data(bytes.prefix(capacity))
    }
}
