import CCairo
import Foundation

/// A canvas backed by a Cairo SVG or PDF surface of one page, whose bytes are collected in
/// memory (so the caller writes the file atomically, or a test reads it). The page is the
/// figure's size in points; what `Figure.draw` draws stays vector, text included (as
/// glyph outlines in SVG, embedded DejaVu subsets in PDF).
///
/// Both formats are made deterministic, like PNG: the PDF's creation date is pinned
/// (`PDFDocument.pinMetadata`), and the SVG's surface and image ids, which Cairo numbers
/// from a process-wide counter, are renumbered per file (`SVGCleanup`).
final class VectorCanvas {
    let canvas: Canvas
    let format: FigureFormat
    private let surface: CairoSurface
    private let sink: ByteSink

    /// Collects what Cairo writes; Cairo calls `write` from inside drawing and finishing.
    private final class ByteSink { var data = Data() }

    init(format: FigureFormat, size: Size, theme: Theme) throws {
        guard size.width.isFinite, size.width > 0, size.height.isFinite, size.height > 0 else {
            throw RenderError.invalidSize(what: "\(format.rawValue.uppercased()) figure size", value: min(size.width, size.height))
        }
        self.format = format
        let sink = ByteSink()
        self.sink = sink
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        let write: cairo_write_func_t = { closure, bytes, length in
            let sink = Unmanaged<ByteSink>.fromOpaque(closure!).takeUnretainedValue()
            sink.data.append(bytes!, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        switch format {
        case .svg:
            surface = try CairoSurface(cairo_svg_surface_create_for_stream(write, closure, size.width, size.height),
                                       creating: "an SVG figure")
            cairo_svg_surface_restrict_to_version(surface.pointer, CAIRO_SVG_VERSION_1_1)
        case .pdf:
            surface = try CairoSurface(cairo_pdf_surface_create_for_stream(write, closure, size.width, size.height),
                                       creating: "a PDF figure")
            PDFDocument.pinMetadata(surface)
        case .png:
            throw RenderError.badValue(figure: "vector canvas", what: "format", value: "png", expected: "svg or pdf")
        }
        canvas = Canvas(context: try CairoContext(surface: surface), size: size, theme: theme)
        canvas.fill(Rect(x: 0, y: 0, width: size.width, height: size.height), theme.background)
    }

    /// Ends the page and returns the finished file's bytes.
    func finish() throws -> Data {
        try canvas.check("drawing a \(format.rawValue.uppercased()) figure")
        cairo_surface_finish(surface.pointer)
        try checkCairo(surface.status, "writing a \(format.rawValue.uppercased()) figure")
        return format == .svg ? SVGCleanup.canonical(sink.data) : sink.data
    }
}
