import Foundation

/// A function of two variables as a lightly filled contour map with level lines, and paths
/// across it: how gradient descent, momentum or Adam walk down a loss surface.
/// Input: `values` `[ny, nx]` sampled on a grid over `xRange × yRange`, row 0 at the lowest
/// y, sample (i, j) at `(x₀ + j·Δx, y₀ + i·Δy)` with `Δx = (x₁ − x₀)/(nx − 1)`. Each
/// trajectory is a `Series` of points (x, y); its start is a square, its end a ring, and a
/// dot marks every `markerEvery`-th point (so the spacing of dots shows speed). An optional
/// `target` (the minimum the paths look for) is marked with a cross.
public struct ContourPlot: Figure {
    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let values: FloatArray
    public let trajectories: [Series]
    /// The contour levels drawn: `levelCount` evenly spaced strictly inside the data range,
    /// or geometrically spaced with `logLevels` (for losses spanning decades; needs all
    /// values > 0, otherwise even spacing is used).
    public let levels: [Float]
    public let colorScale: ColorScale
    public let markerEvery: Int
    public let target: (x: Double, y: Double)?

    /// The theme's categorical colours the paths take by default, in order (vermillion,
    /// black, purple, blue: distinct hues that stand out on the pale viridis fill).
    public static let pathCategories = [3, 7, 4, 0]
    /// The theme's categorical colour of each trajectory (`pathCategories` unless given),
    /// e.g. the colour a lesson gives the run that uses the same optimizer.
    public let categories: [Int]
    /// One unit as long across as up (off by default): for a plane of two parameters, where a
    /// step against the gradient must cross the contour lines at a right angle as drawn.
    public var equalAspect = false

    public init(title: String, xLabel: String = "w₁", yLabel: String = "w₂", xRange: ClosedRange<Double>,
                yRange: ClosedRange<Double>, values: FloatArray, trajectories: [Series] = [], levelCount: Int = 12,
                logLevels: Bool = false, markerEvery: Int = 1, target: (x: Double, y: Double)? = nil,
                categories: [Int]? = nil, theme: Theme = .standard) throws {
        let figure = "contour plot '\(title)'"
        guard values.shape.count == 2, values.shape.allSatisfy({ $0 > 1 }) else {
            throw RenderError.badShape(figure: figure, what: "values", shape: values.shape, expected: "[ny, nx], both ≥ 2")
        }
        guard xRange.upperBound > xRange.lowerBound, yRange.upperBound > yRange.lowerBound else {
            throw RenderError.invalidSize(what: "contour plot range width", value: 0)
        }
        guard let (lo, hi) = values.values.finiteRange else { throw RenderError.noFiniteValues(figure: figure, what: "values") }
        for t in trajectories where t.x.count != t.y.count {
            throw RenderError.countMismatch(figure: figure, what: "y of trajectory '\(t.name)'", expected: t.x.count, got: t.y.count)
        }
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.xRange = xRange; self.yRange = yRange; self.values = values; self.trajectories = trajectories
        self.markerEvery = max(1, markerEvery); self.target = target
        self.categories = categories.flatMap { $0.isEmpty ? nil : $0 } ?? Self.pathCategories
        let n = max(levelCount, 1)
        if logLevels && lo > 0 {
            let (a, b) = (log(Double(lo)), log(Double(hi)))
            levels = (1...n).map { Float(exp(a + (b - a) * Double($0) / Double(n + 1))) }
        } else {
            levels = (1...n).map { lo + (hi - lo) * Float($0) / Float(n + 1) }
        }
        colorScale = .sequential(values.values, theme: theme)
    }

    /// With `equalAspect`, tall enough for a plot area of the plane's own aspect (the axes take
    /// about 75 points across and 80 down for title, ticks and labels), as `DecisionBoundary`.
    public func height(forWidth width: Double, theme: Theme) -> Double {
        guard equalAspect else { return (width * 0.72).rounded() }
        let ratio = (yRange.upperBound - yRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        return (max(width - 2 * theme.margin - 75, 1) * ratio + 2 * theme.margin + 80).rounded()
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let (ny, nx) = (values.shape[0], values.shape[1])
        let room = frame.inset(by: theme.margin)
        let fitted = Axes(in: room, x: AxisSpec(label: xLabel, lower: xRange.lowerBound, upper: xRange.upperBound),
                          y: AxisSpec(label: yLabel, lower: yRange.lowerBound, upper: yRange.upperBound), title: title, canvas: canvas)
        let axes = equalAspect ? fitted.equalAspect(in: room, canvas: canvas) : fitted
        // A pale fill (viridis mixed with white) so the paths on top stay readable.
        let flipped = (0..<ny).reversed().flatMap { i in values.values[(i * nx)..<((i + 1) * nx)] }
        try canvas.image(colorScale.colors(flipped).map { Color.white.mixed(with: $0, 0.45) }, width: nx, height: ny,
                         in: axes.plotArea)
        let dx = (xRange.upperBound - xRange.lowerBound) / Double(nx - 1)
        let dy = (yRange.upperBound - yRange.lowerBound) / Double(ny - 1)
        canvas.clipped(to: axes.plotArea) {
            for level in levels {
                for (a, b) in MarchingSquares.segments(values: values.values, columns: nx, rows: ny, level: level) {
                    guard let p = axes.point(xRange.lowerBound + a.x * dx, yRange.lowerBound + a.y * dy),
                          let q = axes.point(xRange.lowerBound + b.x * dx, yRange.lowerBound + b.y * dy) else { continue }
                    canvas.line(from: p, to: q, theme.mutedInk.withAlpha(0.8), width: theme.thinLineWidth)
                }
            }
        }
        if let target, let p = axes.point(target.x, target.y) { drawCross(at: p, on: canvas) }
        for (k, path) in trajectories.enumerated() { drawTrajectory(path, color: pathColor(k, theme), axes: axes, on: canvas) }
        axes.drawDecorations(on: canvas)
        if !trajectories.isEmpty {
            Legend(trajectories.enumerated().map { LegendEntry(label: $1.name, color: pathColor($0, theme)) })
                .draw(on: canvas, in: axes.plotArea, avoiding: trajectories.map { axes.placed($0.x, $0.y) })
        }
    }

    private func pathColor(_ k: Int, _ theme: Theme) -> Color {
        theme.categoryColor(categories[k % categories.count])
    }

    /// A cross in ink over a white halo, readable on any fill.
    private func drawCross(at p: Point, on canvas: Canvas) {
        for (color, width) in [(Color.white, 4.0), (canvas.theme.ink, 1.8)] {
            canvas.line(from: Point(p.x - 7, p.y - 7), to: Point(p.x + 7, p.y + 7), color, width: width)
            canvas.line(from: Point(p.x - 7, p.y + 7), to: Point(p.x + 7, p.y - 7), color, width: width)
        }
    }

    private func drawTrajectory(_ path: Series, color: Color, axes: Axes, on canvas: Canvas) {
        let theme = canvas.theme
        axes.drawLine(path.x, path.y, on: canvas, color: color, width: theme.lineWidth)
        let placed = path.points.compactMap { axes.point($0.0, $0.1) }
        canvas.clipped(to: axes.plotArea.inset(by: -6)) {
            for (i, p) in placed.enumerated().dropFirst().dropLast() where i % markerEvery == 0 {
                canvas.circle(center: p, radius: 2.2, fill: color)
            }
            if let start = placed.first {
                canvas.fill(Rect(x: start.x - 4.5, y: start.y - 4.5, width: 9, height: 9), color)
                canvas.stroke(Rect(x: start.x - 4.5, y: start.y - 4.5, width: 9, height: 9), .white, width: 1)
            }
            if let end = placed.last, placed.count > 1 {
                canvas.circle(center: end, radius: 5, fill: .white, stroke: color, lineWidth: 2.5)
            }
        }
    }
}
