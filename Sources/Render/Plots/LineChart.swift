/// Lines over a shared x axis, one colour per series from the categorical palette, with a
/// legend when there is more than one. `yScale: .log` shows quantities spanning decades,
/// e.g. per-layer gradient norms (vanishing gradients sink, exploding ones climb).
/// Non-finite points (and ≤ 0 on a log axis) break a line rather than being drawn.
/// `xRange` and `yRange` fix the axes instead of fitting them to the data, so that
/// panels side by side share one scale (fractions 0...1 compare at a glance even
/// when one is flat); points outside are clipped. A series with `errors` gets a
/// vertical bar of ± that much at each point (the noise of a measured value).
/// `referenceLines` mark values the text quotes (ln 10, a noise floor); a fitted y axis
/// holds them.
public struct LineChart: Figure {
    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let series: [Series]
    public let xScale: ScaleKind
    public let yScale: ScaleKind
    /// Draw a dot at every point (for short series, e.g. per-epoch values).
    public let markers: Bool
    /// The theme's categorical colour of each series (`defaultCategories` unless given),
    /// e.g. `ContourPlot.pathCategories` so that a chart matches the paths drawn beside it.
    public let categories: [Int]
    /// Colours given outright, one per series, instead of `categories`: a ramp by depth
    /// for one line per layer (`Theme.depthColor`), so that layers never take the
    /// categorical colours a lesson's runs are drawn in. Nil: the categorical colours.
    public var colors: [Color]? = nil
    /// Whether the chart draws its own legend; false when a grid of charts with the same
    /// series shows one legend for all (`SmallMultiples.sharedLegend`).
    public var showsLegend = true
    /// Height over width. A panel of small multiples whose point is a level or a trend
    /// (fractions of stuck units, gradient norms) may be flatter, so that a grid of them
    /// shares a handout page with its neighbour.
    public var aspect = 0.55
    /// Labelled horizontal lines at quoted values, under the series (none by default).
    public let referenceLines: [ReferenceLine]
    /// x ticks at these values instead of round numbers (`AxisSpec.ticks`): a sweep's chart
    /// labels the settings it tried. Nil: round numbers.
    public var xTicks: [Double]? = nil
    let xDomain: (Double, Double)
    let yDomain: (Double, Double)

    public init(title: String, xLabel: String, yLabel: String, series: [Series], xScale: ScaleKind = .linear,
                yScale: ScaleKind = .linear, markers: Bool = false, categories: [Int]? = nil,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                referenceLines: [ReferenceLine] = []) throws {
        let figure = "line chart '\(title)'"
        guard !series.isEmpty, series.contains(where: { !$0.y.isEmpty }) else {
            throw RenderError.emptyData(figure: figure, what: "the list of series")
        }
        for s in series where s.x.count != s.y.count {
            throw RenderError.countMismatch(figure: figure, what: "y values of '\(s.name)'", expected: s.x.count, got: s.y.count)
        }
        for s in series { if let e = s.errors, e.count != s.y.count {
            throw RenderError.countMismatch(figure: figure, what: "error bars of '\(s.name)'", expected: s.y.count, got: e.count)
        } }
        for (range, kind, axis) in [(xRange, xScale, "x"), (yRange, yScale, "y")] {
            guard let range else { continue }
            guard range.lowerBound < range.upperBound, range.lowerBound.isFinite, range.upperBound.isFinite,
                  kind == .linear || range.lowerBound > 0 else {
                throw RenderError.invalidSize(what: "\(figure): the width of its \(axis) range \(range)",
                                              value: range.upperBound - range.lowerBound)
            }
        }
        // Error bars' ends count as points, so that the axes hold them.
        let placeable = series.flatMap { s in Self.extentPoints(s).filter { p in
            p.0.isFinite && p.1.isFinite && (xScale == .linear || p.0 > 0) && (yScale == .linear || p.1 > 0) } }
        let references = referenceLines.map(\.value).filter { $0.isFinite && (yScale == .linear || $0 > 0) }
        guard let xd = xRange.map({ ($0.lowerBound, $0.upperBound) }) ?? Scale.domain(of: placeable.map(\.0), kind: xScale, padding: 0.02),
              let yd = yRange.map({ ($0.lowerBound, $0.upperBound) })
                ?? Scale.domain(of: placeable.map(\.1) + (placeable.isEmpty ? [] : references), kind: yScale) else {
            throw RenderError.noFiniteValues(figure: figure, what: yScale == .log ? "the series (positive values)" : "the series")
        }
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.xScale = xScale; self.yScale = yScale; self.markers = markers; self.referenceLines = referenceLines
        self.categories = categories.flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultCategories(count: series.count)
        xDomain = xd; yDomain = yd
    }

    public func height(forWidth width: Double, theme: Theme) -> Double { (width * aspect).rounded() }

    /// The colours of `count` series that nothing else colours (`Theme.distinctCategory`).
    public static func defaultCategories(count: Int) -> [Int] {
        (0..<count).map { Theme.distinctCategory($0, of: count) }
    }

    /// Draws the lines and the legend: boxed in the corner that hides least, or, when every
    /// corner would hide part of a line, in a row under the plot (the plot gives up the room).
    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme, inner = frame.inset(by: theme.margin)
        func makeAxes(_ area: Rect) -> Axes {
            Axes(in: area, x: AxisSpec(label: xLabel, kind: xScale, lower: xDomain.0, upper: xDomain.1, ticks: xTicks),
                 y: AxisSpec(label: yLabel, kind: yScale, lower: yDomain.0, upper: yDomain.1),
                 title: title, canvas: canvas)
        }
        var axes = makeAxes(inner)
        let legend = series.count > 1 && showsLegend ? Legend(legendEntries(theme)) : nil
        // The legend keeps clear of the lines and of the reference lines' labels.
        func avoided(_ axes: Axes) -> [[Point]] {
            let lines = series.map { axes.placed($0.x, $0.y) }
            return lines + referenceLines.compactMap { $0.labelOutline(on: canvas, axes: axes, avoiding: lines) }
        }
        var row: Rect?
        if let legend, legend.covers(on: canvas, in: axes.plotArea, avoiding: avoided(axes)) {
            let height = legend.rowHeight(width: axes.plotArea.width, theme: theme) + 6
            axes = makeAxes(Rect(x: inner.minX, y: inner.minY, width: inner.width, height: inner.height - height))
            row = Rect(x: axes.plotArea.minX, y: inner.maxY - height + 6, width: axes.plotArea.width, height: height - 6)
        }
        axes.drawGrid(on: canvas)
        for line in referenceLines { line.drawLine(on: canvas, axes: axes) }
        for (i, s) in series.enumerated() {
            let lineColor = color(i, theme)
            axes.drawLine(s.x, s.y, on: canvas, color: lineColor, width: theme.lineWidth)
            drawErrorBars(s, axes: axes, on: canvas, color: lineColor)
            if markers || s.x.count == 1 {
                for (u, v) in s.points { if let p = axes.point(u, v) { canvas.circle(center: p, radius: 3.2, fill: lineColor) } }
            } else {
                // A point between two breaks has no segment to draw: a dot keeps it visible.
                for i in s.x.indices where isolated(i, in: s) {
                    if let p = axes.point(s.x[i], s.y[i]) { canvas.circle(center: p, radius: theme.lineWidth * 1.2, fill: lineColor) }
                }
            }
        }
        let placed = series.map { axes.placed($0.x, $0.y) }
        for line in referenceLines { line.drawLabel(on: canvas, axes: axes, avoiding: placed) }
        axes.drawDecorations(on: canvas)
        if let legend, let row {
            legend.drawRow(on: canvas, in: row)
        } else if let legend {
            legend.draw(on: canvas, in: axes.plotArea, avoiding: avoided(axes))
        }
    }

    /// The series' points and, where it has error bars, both ends of each bar.
    static func extentPoints(_ s: Series) -> [(Double, Double)] {
        guard let errors = s.errors else { return s.points }
        return s.points + zip(s.points, errors).flatMap { p, e in [(p.0, p.1 - e), (p.0, p.1 + e)] }
    }

    /// A vertical bar from y − e to y + e with short caps, at each point with an error.
    private func drawErrorBars(_ s: Series, axes: Axes, on canvas: Canvas, color: Color) {
        guard let errors = s.errors else { return }
        canvas.clipped(to: axes.plotArea.inset(by: -1)) {
            for ((u, v), e) in zip(s.points, errors) where e.isFinite && e > 0 {
                guard let low = axes.point(u, v - e), let high = axes.point(u, v + e) else { continue }
                canvas.line(from: low, to: high, color, width: canvas.theme.thinLineWidth * 1.5)
                for end in [low, high] {
                    canvas.line(from: Point(end.x - 4, end.y), to: Point(end.x + 4, end.y), color, width: canvas.theme.thinLineWidth * 1.5)
                }
            }
        }
    }

    /// Whether point `i` can be placed but neither neighbour can (it would draw no segment).
    func isolated(_ i: Int, in s: Series) -> Bool {
        let placeable = { (j: Int) in
            s.x.indices.contains(j) && s.x[j].isFinite && s.y[j].isFinite
                && (xScale == .linear || s.x[j] > 0) && (yScale == .linear || s.y[j] > 0)
        }
        return placeable(i) && !placeable(i - 1) && !placeable(i + 1)
    }

    /// One entry per series: its name in its colour.
    public func legendEntries(_ theme: Theme) -> [LegendEntry] {
        series.enumerated().map { LegendEntry(label: $1.name, color: color($0, theme)) }
    }

    private func color(_ i: Int, _ theme: Theme) -> Color {
        if let colors, !colors.isEmpty { return colors[i % colors.count] }
        return theme.categoryColor(categories[i % categories.count])
    }
}
