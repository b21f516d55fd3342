/// A labelled horizontal line at a value the text quotes — ln 10 for a network that
/// guesses among ten classes, the noise floor σ² a regression cannot beat — so that the
/// reader can see a curve reach it (or not) without reading numbers off the axis. Drawn in
/// the theme's grey (the colour no run takes), dashed, under the data; its label, just above
/// the line's right end, goes on top of the data on a white patch so that it stays legible;
/// where data run under that spot (runs that end at chance), it moves to the other side of
/// the line or to its left end, the first of those spots that hides no data.
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

    /// The white patch under the label: above the line's right end (or below, per
    /// `labelSide`), else the first of the other side and the two spots at the left end that
    /// covers none of `data` (the series as placed) with a 3-point margin, else the first that
    /// covers none at all, else the one that covers fewest; nil when nothing is drawn.
    private func labelPatch(on canvas: Canvas, axes: Axes, avoiding data: [[Point]]) -> Rect? {
        guard let y = height(in: axes), !label.isEmpty else { return nil }
        let size = canvas.measure(label, canvas.theme.smallStyle), area = axes.plotArea
        func patch(_ side: LabelSide, right: Bool) -> Rect {
            let top = side == .above ? y - 2 - size.height : y + 2
            let x = right ? area.maxX - 4 - size.width - 2 : area.minX + 4
            return Rect(x: x, y: top, width: size.width + 4, height: size.height)
        }
        let other: LabelSide = labelSide == .above ? .below : .above
        let candidates = [patch(labelSide, right: true), patch(other, right: true),
                          patch(labelSide, right: false), patch(other, right: false)]
        guard !data.isEmpty else { return candidates[0] }
        let samples = Legend.densified(data)
        // First a spot with a margin around it; then one that merely touches no data: a run
        // that settles on the line itself (loss stuck at ln 10) blocks both sides' margins,
        // yet its label belongs beside it, not across another run's steep descent.
        for margin in [3.0, 0.5] {
            if let free = candidates.first(where: { Legend.covered(samples, $0.inset(by: -margin)) == 0 }) { return free }
        }
        let hidden = candidates.map { Legend.covered(samples, $0.inset(by: -3)) }
        return candidates[hidden.indices.min { hidden[$0] < hidden[$1] }!]
    }

    /// The outline of the label's patch as a closed line, for a legend to keep clear of.
    func labelOutline(on canvas: Canvas, axes: Axes, avoiding data: [[Point]] = []) -> [Point]? {
        labelPatch(on: canvas, axes: axes, avoiding: data).map { r in
            [Point(r.minX, r.minY), Point(r.maxX, r.minY), Point(r.maxX, r.maxY), Point(r.minX, r.maxY), Point(r.minX, r.minY)]
        }
    }

    /// Draws the label on a white patch (after the data), where it hides none of `data`
    /// if it can (see `labelPatch`).
    func drawLabel(on canvas: Canvas, axes: Axes, avoiding data: [[Point]] = []) {
        guard let patch = labelPatch(on: canvas, axes: axes, avoiding: data) else { return }
        canvas.fill(patch, Color.white.withAlpha(0.85))
        canvas.text(label, at: Point(patch.maxX - 2, patch.maxY), canvas.theme.smallStyle, anchor: .bottomRight)
    }
}
