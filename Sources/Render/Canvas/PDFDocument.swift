import CCairo
import Foundation

/// A multi-page PDF (A4 by default) drawn with the same `Canvas` code as PNGs, for
/// handouts. The creation date is fixed so the same content gives the same bytes, and the
/// file appears under its name only after `finish()` (temporary file, then rename).
public final class PDFDocument {
    /// A4 in points.
    public static let a4 = Size(595.276, 841.89)

    public let pageSize: Size
    /// The current page's canvas; call `newPage()` to move on.
    public let canvas: Canvas
    private let surface: CairoSurface
    private let path: String
    private let temporaryPath: String
    private var finished = false

    public init(path: String, pageSize: Size = PDFDocument.a4, theme: Theme = .standard) throws {
        guard pageSize.width > 0, pageSize.height > 0 else {
            throw RenderError.invalidSize(what: "PDF page size", value: min(pageSize.width, pageSize.height))
        }
        self.path = path
        self.pageSize = pageSize
        temporaryPath = path + ".partial"
        surface = try CairoSurface(cairo_pdf_surface_create(temporaryPath, pageSize.width, pageSize.height),
                                   creating: "PDF \(path)")
        Self.pinMetadata(surface)
        canvas = Canvas(context: try CairoContext(surface: surface), size: pageSize, theme: theme)
    }

    /// Sets the metadata Cairo would otherwise fill from the clock, so the same content
    /// gives the same bytes (handouts and single-figure PDFs alike).
    static func pinMetadata(_ surface: CairoSurface) {
        cairo_pdf_surface_set_metadata(surface.pointer, CAIRO_PDF_METADATA_CREATE_DATE, "2024-01-01T00:00:00")
        cairo_pdf_surface_set_metadata(surface.pointer, CAIRO_PDF_METADATA_CREATOR, "learn")
    }

    /// Ends the current page and starts a blank one.
    public func newPage() throws {
        cairo_show_page(canvas.context.pointer)
        try canvas.check("starting a PDF page")
    }

    /// Writes the last page, closes the file and moves it into place.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try canvas.check("drawing PDF \(path)")
        cairo_surface_finish(surface.pointer)
        try checkCairo(surface.status, "writing PDF \(path)")
        do {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
        } catch {
            throw RenderError.file(path: path, reason: "cannot move finished PDF into place: \(error.localizedDescription)")
        }
    }

    deinit { if !finished { try? FileManager.default.removeItem(atPath: temporaryPath) } }
}
