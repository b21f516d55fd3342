import Foundation

/// A figure: something that lays itself out in any width and draws onto a `Canvas`.
/// Every plot type conforms; its initializer validates the data (throwing `RenderError`),
/// so drawing a constructed figure never produces a blank image.
public protocol Figure {
    /// The height (points) this figure wants when drawn `width` points wide.
    func height(forWidth width: Double, theme: Theme) -> Double
    /// Draws the figure into `frame` (which has the width asked for and `height(forWidth:)`).
    func draw(on canvas: Canvas, in frame: Rect) throws
}

extension Figure {
    /// Renders to PNG bytes: laid out `width` points wide, rasterised at `scale` pixels per
    /// point (the default 800 pt × 1.5 gives a 1200-pixel-wide image).
    public func pngData(width: Double = 800, scale: Double = 1.5, theme: Theme = .standard) throws -> Data {
        try drawnImage(width: width, scale: scale, theme: theme).pngData()
    }

    /// Renders to PNG bytes and reports the smallest text drawn, in points of the
    /// `width`-point layout (nil when the figure draws no text): the handout multiplies
    /// it by the width it prints the figure at over `width` to get the printed size.
    public func pngDataMeasuringText(width: Double = 800, scale: Double = 1.5,
                                     theme: Theme = .standard) throws -> (png: Data, smallestText: Double?) {
        let image = try drawnImage(width: width, scale: scale, theme: theme)
        return (try image.pngData(), image.canvas.smallestTextSize)
    }

    /// Renders to pixels without encoding (property checks, timing the drawing alone).
    public func raster(width: Double = 800, scale: Double = 1.5, theme: Theme = .standard) throws -> RasterImage {
        try drawnImage(width: width, scale: scale, theme: theme).raster()
    }

    private func drawnImage(width: Double, scale: Double, theme: Theme) throws -> ImageCanvas {
        let height = self.height(forWidth: width, theme: theme)
        let image = try ImageCanvas(size: Size(width, height), scale: scale, theme: theme)
        try draw(on: image.canvas, in: image.canvas.bounds)
        try image.canvas.check("drawing a figure")
        return image
    }

    /// Writes the PNG atomically (temporary file, then rename), so a reader never sees a
    /// half-written figure.
    public func writePNG(to path: String, width: Double = 800, scale: Double = 1.5,
                         theme: Theme = .standard) throws {
        try write(.png, to: path, width: width, scale: scale, theme: theme)
    }

    /// Draws the figure into `box` on any canvas (e.g. a PDF page): laid out at
    /// `designWidth` points and scaled to the box's width. Returns the height used.
    @discardableResult
    public func draw(on canvas: Canvas, at origin: Point, width: Double, designWidth: Double = 720) throws -> Double {
        let scale = width / designWidth
        let height = self.height(forWidth: designWidth, theme: canvas.theme)
        try canvas.transformed(offset: origin, scale: scale) {
            try draw(on: canvas, in: Rect(x: 0, y: 0, width: designWidth, height: height))
        }
        return height * scale
    }
}
