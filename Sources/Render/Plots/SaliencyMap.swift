/// Which input pixels the loss is most sensitive to: for each example, the input image,
/// the saliency `|∂L/∂x|` (largest magnitude over colour channels) in viridis, and the
/// saliency laid over the input. One shared scale `[0, max]` across examples, with a colorbar.
/// Input: per example an image and its gradient, both `[h, w]` or `[h, w, c]` of equal size.
public struct SaliencyMap: Figure {
    public struct Example: Sendable {
        public var image: FloatArray
        public var gradient: FloatArray
        /// Shown above the row, e.g. "label 7, predicted 7 (0.98)".
        public var caption: String
        public init(image: FloatArray, gradient: FloatArray, caption: String) {
            self.image = image; self.gradient = gradient; self.caption = caption
        }
    }

    public let title: String
    public let examples: [Example]
    /// Per example, `|∂L/∂x|` as a row-major `h × w` plane.
    public let saliency: [[Float]]
    public let colorScale: ColorScale

    public init(title: String, examples: [Example], theme: Theme = .standard) throws {
        let figure = "saliency map '\(title)'"
        guard !examples.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of examples") }
        for (i, e) in examples.enumerated() {
            try validatePicture(e.image, figure: figure, what: "image \(i)")
            try validatePicture(e.gradient, figure: figure, what: "gradient \(i)")
            guard Array(e.image.shape.prefix(2)) == Array(e.gradient.shape.prefix(2)) else {
                throw RenderError.badShape(figure: figure, what: "gradient \(i)", shape: e.gradient.shape,
                                           expected: "the image's height and width \(Array(e.image.shape.prefix(2)))")
            }
        }
        self.title = title
        self.examples = examples
        saliency = examples.map { e in
            let channels = e.gradient.shape.count > 2 ? e.gradient.shape[2] : 1
            return (0..<(e.gradient.values.count / channels)).map { i in
                e.gradient.values[(i * channels)..<((i + 1) * channels)].map(abs).max()!
            }
        }
        colorScale = ColorScale(colormap: theme.sequential, lower: 0,
                                upper: Double(saliency.flatMap { $0 }.maxAbsFinite), missing: theme.missingValue)
    }

    private static let columns = ["input", "|∂L/∂x|", "overlay"]

    private func panelWidth(_ width: Double, _ theme: Theme) -> Double {
        min(210, (width - 2 * theme.margin - Colorbar.width(theme: theme) - 4 * theme.gap) / 3)
    }

    private func rowHeight(_ width: Double, _ theme: Theme) -> Double {
        let s = examples[0].image.shape
        return theme.labelSize * 1.7 + panelWidth(width, theme) * Double(s[0]) / Double(s[1])
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        FigureHeader(title: title, subtitle: nil).height(theme: theme) + theme.labelSize * 1.6
            + Double(examples.count) * (rowHeight(width, theme) + theme.gap) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: nil).draw(on: canvas, in: frame.inset(by: theme.margin))
        let side = panelWidth(frame.width, theme)
        let bold = TextStyle(size: theme.labelSize, bold: true, color: theme.ink)
        for (k, name) in Self.columns.enumerated() {
            canvas.text(name, at: Point(body.minX + Double(k) * (side + theme.gap) + side / 2, body.minY), bold, anchor: .top)
        }
        var y = body.minY + theme.labelSize * 1.6
        for (example, plane) in zip(examples, saliency) {
            let (h, w) = (example.image.shape[0], example.image.shape[1])
            canvas.text(example.caption, at: Point(body.minX, y), theme.smallStyle)
            let top = y + theme.labelSize * 1.7, height = side * Double(h) / Double(w)
            func panel(_ k: Int) -> Rect { Rect(x: body.minX + Double(k) * (side + theme.gap), y: top, width: side, height: height) }
            try canvas.drawPicture(example.image, in: panel(0))
            try canvas.drawValues(plane, width: w, height: h, scale: colorScale, in: panel(1))
            try canvas.drawPicture(example.image, in: panel(2))
            // Overlay: saliency colour with opacity growing with saliency, over the image.
            let overlay = plane.map { v -> Color in
                let t = Double(v) / colorScale.upper
                return colorScale.color(Double(v)).withAlpha(t.isFinite ? min(1, 0.15 + 0.85 * t) : 0)
            }
            try canvas.image(overlay, width: w, height: h, in: panel(2))
            y += rowHeight(frame.width, theme) + theme.gap
        }
        let bar = Rect(x: body.minX + 3 * (side + theme.gap) + theme.gap, y: body.minY + theme.labelSize * 3.3,
                       width: Colorbar.width(theme: theme) - theme.gap, height: max(side, 110))
        try Colorbar(scale: colorScale, label: "|∂L/∂x|").draw(on: canvas, in: bar)
    }
}
