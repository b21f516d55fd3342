/// Which input pixels an example's answer is most sensitive to: for each example, a row
/// with the input image, the magnitude of a gradient with respect to the input (largest
/// over colour channels) in viridis, and that magnitude laid over the input.
/// Each example has its own scale `[0, max]` and colorbar: the examples' gradients differ
/// by orders of magnitude, and each is read alone. Above each example, its caption.
/// Examples sit side by side as long as each picture stays at least `minimumSide` wide
/// (two to a row at 800 pt), so six examples take three rows, not six, and the figure
/// prints at full width in the handout instead of shrinking its text under 7 pt.
/// Input: per example an image and its gradient, both `[h, w]` or `[h, w, c]` of equal size.
public struct SaliencyMap: Figure {
    public struct Example: Sendable {
        public var image: FloatArray
        public var gradient: FloatArray
        /// The row's title, e.g. "true 7 · predicted 7 (0.98)".
        public var caption: String
        /// A wrong answer: the title is drawn in the mistake colour, as in `SampleGrid`.
        public var isMistake: Bool
        public init(image: FloatArray, gradient: FloatArray, caption: String, isMistake: Bool = false) {
            self.image = image; self.gradient = gradient; self.caption = caption; self.isMistake = isMistake
        }
    }

    public let title: String
    public let examples: [Example]
    /// What the gradient is of, as column header and colorbar label: "|∂z/∂x|".
    public let quantity: String
    /// Per example, the gradient's magnitude as a row-major `h × w` plane.
    public let saliency: [[Float]]
    /// Per example, its own scale from 0 to its largest magnitude.
    public let colorScales: [ColorScale]

    public init(title: String, examples: [Example], quantity: String, theme: Theme = .standard) throws {
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
        self.quantity = quantity
        saliency = examples.map { e in
            let channels = e.gradient.shape.count > 2 ? e.gradient.shape[2] : 1
            return (0..<(e.gradient.values.count / channels)).map { i in
                e.gradient.values[(i * channels)..<((i + 1) * channels)].map(abs).max()!
            }
        }
        colorScales = saliency.map { plane in
            ColorScale(colormap: theme.sequential, lower: 0, upper: Double(plane.maxAbsFinite), missing: theme.missingValue)
        }
    }

    private var columns: [String] { ["input", quantity, "overlay"] }

    /// The narrowest a picture may be drawn before examples stop sharing a row.
    static let minimumSide = 80.0

    /// Width of one example's group: three pictures, their gaps and the colorbar.
    private func groupWidth(side: Double, _ theme: Theme) -> Double { 3 * side + 3 * theme.gap + Colorbar.width(theme: theme) }

    /// How many examples share a row at `width`, and the side of each picture.
    func layout(_ width: Double, _ theme: Theme) -> (perRow: Int, side: Double) {
        let usable = width - 2 * theme.margin, between = 2 * theme.gap
        let fits = Int((usable + between) / (groupWidth(side: Self.minimumSide, theme) + between))
        let perRow = max(1, min(examples.count, fits))
        let group = (usable - between * Double(perRow - 1)) / Double(perRow)
        return (perRow, min(210, (group - Colorbar.width(theme: theme) - 3 * theme.gap) / 3))
    }

    private func rowHeight(_ width: Double, _ theme: Theme) -> Double {
        let s = examples[0].image.shape
        return theme.labelSize * 1.7 + layout(width, theme).side * Double(s[0]) / Double(s[1])
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let perRow = layout(width, theme).perRow, rows = (examples.count + perRow - 1) / perRow
        return FigureHeader(title: title, subtitle: nil).height(width: width - 2 * theme.margin, theme: theme) + theme.labelSize * 1.6
            + Double(rows) * (rowHeight(width, theme) + theme.gap) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: nil).draw(on: canvas, in: frame.inset(by: theme.margin))
        let (perRow, side) = layout(frame.width, theme)
        let group = groupWidth(side: side, theme) + 2 * theme.gap
        let bold = TextStyle(size: theme.labelSize, bold: true, color: theme.ink)
        for g in 0..<perRow {
            for (k, name) in columns.enumerated() {
                canvas.text(name, at: Point(body.minX + Double(g) * group + Double(k) * (side + theme.gap) + side / 2, body.minY),
                            bold, anchor: .top)
            }
        }
        let firstRow = body.minY + theme.labelSize * 1.6
        for (index, (example, (plane, scale))) in zip(examples, zip(saliency, colorScales)).enumerated() {
            let (h, w) = (example.image.shape[0], example.image.shape[1])
            let left = body.minX + Double(index % perRow) * group
            let y = firstRow + Double(index / perRow) * (rowHeight(frame.width, theme) + theme.gap)
            canvas.text(example.caption, at: Point(left, y),
                        example.isMistake ? TextStyle(size: theme.labelSize, bold: true, color: theme.mistake) : theme.labelStyle)
            let top = y + theme.labelSize * 1.7, height = side * Double(h) / Double(w)
            func panel(_ k: Int) -> Rect { Rect(x: left + Double(k) * (side + theme.gap), y: top, width: side, height: height) }
            try canvas.drawPicture(example.image, in: panel(0))
            try canvas.drawValues(plane, width: w, height: h, scale: scale, in: panel(1))
            try canvas.drawPicture(example.image, in: panel(2))
            // Overlay: saliency colour with opacity growing with saliency, over the image.
            let overlay = plane.map { v -> Color in
                let t = Double(v) / scale.upper
                return scale.color(Double(v)).withAlpha(t.isFinite ? min(1, 0.15 + 0.85 * t) : 0)
            }
            try canvas.image(overlay, width: w, height: h, in: panel(2))
            let bar = Rect(x: left + 3 * (side + theme.gap) + theme.gap, y: top,
                           width: Colorbar.width(theme: theme) - theme.gap, height: height)
            // Side by side, a rotated label would sit against the next example's input; the
            // column header above names the quantity instead.
            try Colorbar(scale: scale, label: perRow > 1 ? "" : quantity).draw(on: canvas, in: bar)
        }
    }
}
