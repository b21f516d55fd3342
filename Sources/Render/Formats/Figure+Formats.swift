import Foundation

extension Figure {
    /// The figure's SVG: one page `width` points wide and `height(forWidth:)` tall,
    /// byte-identical for the same figure (see `SVGCleanup`).
    public func svgData(width: Double = 800, theme: Theme = .standard) throws -> Data {
        try vectorData(.svg, width: width, theme: theme)
    }

    /// The figure's PDF: one page `width` points wide and `height(forWidth:)` tall, with
    /// a pinned creation date so the same figure gives the same bytes.
    public func pdfData(width: Double = 800, theme: Theme = .standard) throws -> Data {
        try vectorData(.pdf, width: width, theme: theme)
    }

    /// The figure in `format`, laid out `width` points wide; `scale` (pixels per point)
    /// matters only for PNG.
    public func data(_ format: FigureFormat, width: Double = 800, scale: Double = 1.5,
                     theme: Theme = .standard) throws -> Data {
        switch format {
        case .png: return try pngData(width: width, scale: scale, theme: theme)
        case .svg, .pdf: return try vectorData(format, width: width, theme: theme)
        }
    }

    /// Writes the figure in `format` atomically (temporary file, then rename), so a reader
    /// never sees a half-written file.
    public func write(_ format: FigureFormat, to path: String, width: Double = 800, scale: Double = 1.5,
                      theme: Theme = .standard) throws {
        let bytes = try data(format, width: width, scale: scale, theme: theme)
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw RenderError.file(path: path, reason: "cannot write \(format.rawValue.uppercased()): \(error.localizedDescription)")
        }
    }

    private func vectorData(_ format: FigureFormat, width: Double, theme: Theme) throws -> Data {
        let vector = try VectorCanvas(format: format, size: Size(width, height(forWidth: width, theme: theme)), theme: theme)
        try draw(on: vector.canvas, in: vector.canvas.bounds)
        return try vector.finish()
    }
}
