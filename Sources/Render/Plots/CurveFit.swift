/// Data points (x, y) with curves y = f(x) drawn over them: a regression model's fit to its
/// training data, and, when several curves are given, how that fit developed. The points
/// are orange dots; the curves are shades of one blue, lighter for earlier ones, the last
/// (the final model) darkest and thickest. A legend names the points and every curve.
/// Input: `points` (x and y of equal length) and `curves` (each drawn through its points in
/// order); non-finite values are skipped, and both share the axes fitted to all of them.
/// `target`, when known (the function the data were drawn from), is a grey dashed curve:
/// what the fit should approach.
public struct CurveFit: Figure {
    public let title: String
    public let xLabel: String
    public let yLabel: String
    /// The data; its `name` is the legend's label for the dots.
    public let points: Series
    /// Curves in order, earliest first.
    public let curves: [Series]
    /// The true function behind the data, if known; its `name` labels it in the legend.
    public let target: Series?
    let xDomain: (Double, Double)
    let yDomain: (Double, Double)

    public init(title: String, xLabel: String = "x", yLabel: String = "y", points: Series, curves: [Series],
                target: Series? = nil) throws {
        let figure = "curve fit '\(title)'"
        guard !curves.isEmpty, curves.contains(where: { !$0.y.isEmpty }) else {
            throw RenderError.emptyData(figure: figure, what: "the list of curves")
        }
        for s in [points] + curves + (target.map { [$0] } ?? []) where s.x.count != s.y.count {
            throw RenderError.countMismatch(figure: figure, what: "y values of '\(s.name)'", expected: s.x.count, got: s.y.count)
        }
        let all = ([points] + curves).flatMap(\.points).filter { $0.0.isFinite && $0.1.isFinite }
        guard let xd = Scale.domain(of: all.map(\.0), kind: .linear, padding: 0.02),
              let yd = Scale.domain(of: all.map(\.1), kind: .linear) else {
            throw RenderError.noFiniteValues(figure: figure, what: "the points and curves")
        }
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.points = points; self.curves = curves; self.target = target
        xDomain = xd; yDomain = yd
    }

    public func height(forWidth width: Double, theme: Theme) -> Double { (width * 0.6).rounded() }

    /// Curve `k`'s colour: the first categorical colour, faded towards white for earlier curves.
    func curveColor(_ k: Int, theme: Theme) -> Color {
        let fade = curves.count == 1 ? 0 : 0.72 * Double(curves.count - 1 - k) / Double(curves.count - 1)
        return theme.categoryColor(0).mixed(with: .white, fade)
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let axes = Axes(in: frame.inset(by: theme.margin),
                        x: AxisSpec(label: xLabel, lower: xDomain.0, upper: xDomain.1),
                        y: AxisSpec(label: yLabel, lower: yDomain.0, upper: yDomain.1), title: title, canvas: canvas)
        axes.drawGrid(on: canvas)
        let dot = theme.categoryColor(1)
        canvas.clipped(to: axes.plotArea) {
            for (u, v) in points.points {
                if let p = axes.point(u, v) { canvas.circle(center: p, radius: 2.8, fill: dot, stroke: .white, lineWidth: 0.6) }
            }
        }
        for (k, curve) in curves.enumerated() {
            let width = k == curves.count - 1 ? theme.lineWidth * 1.4 : theme.lineWidth
            axes.drawLine(curve.x, curve.y, on: canvas, color: curveColor(k, theme: theme), width: width)
        }
        // On top, dashed: where the fit lies on the target, the dashes run along it.
        let grey = ReferenceLine.color(theme)
        if let target { axes.drawLine(target.x, target.y, on: canvas, color: grey, width: theme.lineWidth, dash: [6, 4]) }
        axes.drawDecorations(on: canvas)
        let entries = [LegendEntry(label: points.name, color: dot, mark: .dot)]
            + (target.map { [LegendEntry(label: $0.name, color: grey, mark: .dashedLine)] } ?? [])
            + curves.enumerated().map { LegendEntry(label: $1.name, color: curveColor($0, theme: theme)) }
        Legend(entries).draw(on: canvas, in: axes.plotArea,
                             avoiding: curves.map { axes.placed($0.x, $0.y) } + axes.placed(points.x, points.y).map { [$0] })
    }
}
