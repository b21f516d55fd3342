import CCairo
import Foundation

/// A decoded PNG: pixel size and premultiplied ARGB32 pixels, row-major. Tests compare
/// figures by these pixels (library updates may change PNG bytes, not pixels).
public struct RasterImage: Equatable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt32]

    /// Decodes PNG bytes through Cairo.
    public init(png data: Data) throws {
        final class Source { let bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source([UInt8](data))
        let pointer = cairo_image_surface_create_from_png_stream({ closure, buffer, length in
            let source = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
            let n = Int(length)
            guard source.offset + n <= source.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            source.bytes.withUnsafeBufferPointer { buffer!.update(from: $0.baseAddress! + source.offset, count: n) }
            source.offset += n
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(source).toOpaque())!
        let surface = try CairoSurface(pointer, creating: "an image from PNG data")
        try self.init(surface: surface)
    }

    /// Decodes a PNG file (a missing or corrupt file throws `RenderError.file`).
    public init(contentsOfPNG path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RenderError.file(path: path, reason: "cannot read file")
        }
        do { try self.init(png: data) } catch { throw RenderError.file(path: path, reason: "not a readable PNG") }
    }

    init(surface: CairoSurface) throws {
        cairo_surface_flush(surface.pointer)
        width = Int(cairo_image_surface_get_width(surface.pointer))
        height = Int(cairo_image_surface_get_height(surface.pointer))
        let stride = Int(cairo_image_surface_get_stride(surface.pointer))
        let format = cairo_image_surface_get_format(surface.pointer)
        guard let base = cairo_image_surface_get_data(surface.pointer), width > 0, height > 0 else {
            throw RenderError.invalidSize(what: "decoded PNG", value: 0)
        }
        var pixels = [UInt32](repeating: 0, count: width * height)
        for row in 0..<height {
            let line = UnsafeRawPointer(base + row * stride).assumingMemoryBound(to: UInt32.self)
            for col in 0..<width {
                pixels[row * width + col] = format == CAIRO_FORMAT_RGB24 ? line[col] | 0xFF00_0000 : line[col]
            }
        }
        self.pixels = pixels
    }

}
