/// A labelled horizontal line at a value the text quotes — ln 10 for a network that
/// guesses among ten classes, the noise floor σ² a regression cannot beat — so that the
/// reader can see a curve reach it (or not) without reading numbers off the axis. Drawn in
/// the theme's grey (the colour no run takes), dashed, under the data; its label, just above
/// the line's right end, goes on top of the data on a white patch so that it stays legible.
/// A value outside the axis (or ≤ 0 on a log axis) draws nothing.
public struct ReferenceLine: Sendable {
    /// Where the label sits: above the line's right end (the default), or below it where the
    /// data run just above the line (a GAN's losses settling on their equilibrium).
    public enum LabelSide: Sendable { case above, below }

    public var value: Double
    public var label: String
    public var labelSide: LabelSide

    public init(_ value: Double, label: String, labelSide: LabelSide = .above) {
        self.value = value; self.label = label; self.labelSide = labelSide
    }

    /// The categorical colour of reference lines and reference curves (grey), which run
    /// palettes leave out; figures that draw a reference as a series use it too.
    public static let category = 8

    /// The grey of reference lines.
    static func color(_ theme: Theme) -> Color { theme.categoryColor(category) }

    /// The line's height on the canvas, nil when the value is off the axis.
    private func height(in axes: Axes) -> Double? {
        guard let y = axes.y.position(value), y >= axes.plotArea.minY - 0.5, y <= axes.plotArea.maxY + 0.5 else { return nil }
        return y
    }

    /// Draws the dashed line across `axes`' plot area (before the data).
    func drawLine(on canvas: Canvas, axes: Axes) {
        guard let y = height(in: axes) else { return }
        let area = axes.plotArea, theme = canvas.theme
        canvas.line(from: Point(area.minX, y), to: Point(area.maxX, y), Self.color(theme), width: theme.lineWidth * 0.8, dash: [6, 4])
    }

    /// The white patch under the label, above the line's right end; nil when nothing is drawn.
    private func labelPatch(on canvas: Canvas, axes: Axes) -> Rect? {
        guard let y = height(in: axes), !label.isEmpty else { return nil }
        let size = canvas.measure(label, canvas.theme.smallStyle), right = axes.plotArea.maxX - 4
        let top = labelSide == .above ? y - 2 - size.height : y + 2
        return Rect(x: right - size.width - 2, y: top, width: size.width + 4, height: size.height)
    }

    /// The outline of the label's patch as a closed line, for a legend to keep clear of.
    func labelOutline(on canvas: Canvas, axes: Axes) -> [Point]? {
        labelPatch(on: canvas, axes: axes).map { r in
            [Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY), Point(r.minX, r.minY)]
        }
    }

    /// Draws the label above the line's right end on a white patch (after the data).
    func drawLabel(on canvas: Canvas, axes: Axes) {
        guard let patch = labelPatch(on: canvas, axes: axes) else { return }
        canvas.fill(patch, Color.white.withAlpha(0.85))
        canvas.text(label, at: Point(patch.maxX - 2, patch.maxY), canvas.theme.smallStyle, anchor: .bottomRight)
    }
}
