/// A labelled horizontal line at a value the text quotes — ln 10 for a network that
/// guesses among ten classes, the noise floor σ² a regression cannot beat — so that the
/// reader can see a curve reach it (or not) without reading numbers off the axis. Drawn in
/// the theme's grey (the colour no run takes), dashed, under the data; its label, just above
/// the line's right end, goes on top of the data on a white patch so that it stays legible;
/// where data run under that spot (runs that end at chance), it moves to the other side of
/// the line, to its left end, to a spot between or onto the line itself, the first of those
/// spots that hides no data and stays inside the plot's frame.
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

    /// The white patch under the label, nil when nothing is drawn. Candidates, in order of
    /// preference: `labelSide` then the other side at the line's right end, the same at its
    /// left end, the same at spots between (right to left, half a label apart), then on the
    /// line itself (hiding the dashed line there, not data). A patch that would cross the
    /// plot's frame (a line at the top or bottom of the range) is not a candidate. The first
    /// that keeps 3 pt (then 0.5 pt) clear of `data` (the series as placed) wins, else the
    /// first that covers none of it, else the one covering fewest.
    private func labelPatch(on canvas: Canvas, axes: Axes, avoiding data: [[Point]]) -> Rect? {
        guard let y = height(in: axes), !label.isEmpty else { return nil }
        let size = canvas.measure(label, canvas.theme.smallStyle), area = axes.plotArea
        let width = size.width + 4
        let candidates = Self.spots(y: y, size: Size(width, size.height), in: area, preferred: labelSide)
        let inside = candidates.filter { $0.minY >= area.minY && $0.maxY <= area.maxY }
        let pool = inside.isEmpty ? candidates : inside
        guard !data.isEmpty else { return pool[0] }
        let samples = Legend.densified(data, spacing: 3)
        // A 3 pt margin keeps a line's stroke off the text; where no spot has it, a thinner
        // one, then one that merely touches no data, still beats one that hides some (a run
        // that settles on the line itself, loss stuck at ln 10, blocks every wide margin).
        for margin in [3.0, 0.5, 0] {
            if let free = pool.first(where: { Legend.covered(samples, $0.inset(by: -margin)) == 0 }) { return free }
        }
        let hidden = pool.map { Legend.covered(samples, $0) }
        return pool[hidden.indices.min { hidden[$0] < hidden[$1] }!]
    }

    /// The label patches to try for a line at height `y`, most preferred first (see `labelPatch`).
    private static func spots(y: Double, size: Size, in area: Rect, preferred: LabelSide) -> [Rect] {
        let right = area.maxX - 4 - size.width, left = area.minX + 4
        let step = max(8, size.width / 2)
        let between = right - left > step ? Array(stride(from: right - step, to: left, by: -step)) : []
        let xs = [right, left] + between
        let other: LabelSide = preferred == .above ? .below : .above
        func patch(_ x: Double, _ top: Double) -> Rect { Rect(x: x, y: top, width: size.width, height: size.height) }
        func top(_ side: LabelSide) -> Double { side == .above ? y - 2 - size.height : y + 2 }
        let beside = xs.flatMap { x in [patch(x, top(preferred)), patch(x, top(other))] }
        return beside + xs.map { patch($0, y - size.height / 2) }
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
