import Foundation

/// One axis of a chart: its label, scale kind and data domain (see `Scale.domain(of:)`).
public struct AxisSpec: Sendable {
    public var label: String
    public var kind: ScaleKind
    public var lower: Double
    public var upper: Double
    /// Ticks only at whole numbers: on by default for an axis of epochs, where a tick
    /// at 0.5 or 1.5 names an epoch that does not exist.
    public var wholeNumbers: Bool
    /// Ticks at these values instead of round numbers (those inside the domain), e.g. the
    /// learning rates a sweep tried, so that each point of its data has its label.
    public var ticks: [Double]?

    public init(label: String, kind: ScaleKind = .linear, lower: Double, upper: Double, wholeNumbers: Bool? = nil,
                ticks: [Double]? = nil) {
        self.label = label; self.kind = kind; self.lower = lower; self.upper = upper
        self.wholeNumbers = wholeNumbers ?? Self.countsWholeThings(label)
        self.ticks = ticks
    }

    /// Whether an axis label names a count of whole things: `epoch`, `epoch (of 20)`.
    static func countsWholeThings(_ label: String) -> Bool {
        label == "epoch" || label.hasPrefix("epoch ")
    }
}

/// A pair of axes laid out in a rectangle: the plot area that remains after room for the
/// title, tick labels and axis labels, and the scales mapping data into it. Charts draw
/// grid lines first, their data clipped to `plotArea`, then the decorations on top.
public struct Axes {
    public let plotArea: Rect
    public let x: Scale
    public let y: Scale
    public let xSpec: AxisSpec
    public let ySpec: AxisSpec
    public let title: String?
    /// The rectangle the axes were laid out in: the title stays inside it.
    public let bounds: Rect
    /// The ticks drawn: as many as leave room between their labels (`fittingTicks`).
    public let xTicks: [Double]
    public let yTicks: [Double]

    public init(in rect: Rect, x xSpec: AxisSpec, y ySpec: AxisSpec, title: String?, canvas: Canvas) {
        let theme = canvas.theme
        self.xSpec = xSpec; self.ySpec = ySpec; self.title = title; bounds = rect
        let yProbe = Scale(kind: ySpec.kind, lower: ySpec.lower, upper: ySpec.upper, start: 0, end: 1,
                           wholeNumbers: ySpec.wholeNumbers)
        let probeTicks = yProbe.ticks()
        let tickWidth = probeTicks.map { canvas.measure(yProbe.tickLabel($0, among: probeTicks), theme.tickStyle).width }.max() ?? 0
        let top = (title == nil ? 0.4 : 1.9) * theme.titleSize
        let left = (ySpec.label.isEmpty ? 0 : theme.labelSize * 1.7) + tickWidth + theme.tickLength + 6
        let bottom = theme.tickSize * 1.5 + theme.tickLength + 4 + (xSpec.label.isEmpty ? 0 : theme.labelSize * 1.7)
        let right = theme.tickSize * 1.6 // room for the last x tick label to overhang
        plotArea = rect.inset(top: top, left: left, bottom: bottom, right: right)
        x = Scale(kind: xSpec.kind, lower: xSpec.lower, upper: xSpec.upper, start: plotArea.minX, end: plotArea.maxX,
                  wholeNumbers: xSpec.wholeNumbers)
        y = Scale(kind: ySpec.kind, lower: ySpec.lower, upper: ySpec.upper, start: plotArea.maxY, end: plotArea.minY,
                  wholeNumbers: ySpec.wholeNumbers)
        let (xScale, style) = (x, theme.tickStyle)
        let xExtent = { (t: Double, ticks: [Double]) in canvas.measure(xScale.tickLabel(t, among: ticks), style).width }
        // Given ticks (a sweep's values) where their labels have room; else round numbers.
        let given = xSpec.ticks?.filter { t in Swift.min(xSpec.lower, xSpec.upper) <= t && t <= Swift.max(xSpec.lower, xSpec.upper) }
        xTicks = given.flatMap { $0.isEmpty || !Self.roomy($0, xScale, gap: theme.tickSize * 0.6, extent: xExtent) ? nil : $0 }
            ?? Self.fittingTicks(x, gap: theme.tickSize * 0.6, extent: xExtent)
        yTicks = Self.fittingTicks(y, gap: theme.tickSize * 0.3) { _, _ in theme.tickSize * 1.2 }
    }

    /// The ticks of `scale` for the largest target of 6, 5, 4, 3 or 2 ticks whose labels,
    /// `extent(tick, ticks)` long along the axis and centred on their ticks, leave at least
    /// `gap` between neighbours: a short axis gets fewer ticks instead of labels that
    /// overlap; on an axis too short even for that, only the two end ticks.
    static func fittingTicks(_ scale: Scale, gap: Double, extent: (Double, [Double]) -> Double) -> [Double] {
        var ticks: [Double] = []
        for target in stride(from: 6, through: 2, by: -1) {
            ticks = scale.ticks(target: target)
            if roomy(ticks, scale, gap: gap, extent: extent) { return ticks }
        }
        // Even two intervals crowd: keep the two ends.
        return ticks.count > 2 ? [ticks.first!, ticks.last!] : ticks
    }

    /// Whether labels `extent(tick, ticks)` long, centred on `ticks`, leave `gap` between neighbours.
    static func roomy(_ ticks: [Double], _ scale: Scale, gap: Double, extent: (Double, [Double]) -> Double) -> Bool {
        let placed = ticks.compactMap { t in scale.position(t).map { (position: $0, extent: extent(t, ticks)) } }
        return zip(placed, placed.dropFirst()).allSatisfy { a, b in
            abs(b.position - a.position) >= (a.extent + b.extent) / 2 + gap
        }
    }

    /// The same axes laid out again in `rect` (the one they were made in) with the plot area
    /// narrowed or shortened, and centred, so that one data unit is as long along x as along
    /// y: a circle in the data stays a circle (a 2-D input plane, say).
    public func equalAspect(in rect: Rect, canvas: Canvas) -> Axes {
        let (xSpan, ySpan) = (xSpec.upper - xSpec.lower, ySpec.upper - ySpec.lower)
        guard xSpec.kind == .linear, ySpec.kind == .linear, xSpan > 0, ySpan > 0 else { return self }
        let unit = min(plotArea.width / xSpan, plotArea.height / ySpan)
        let (dw, dh) = ((plotArea.width - unit * xSpan) / 2, (plotArea.height - unit * ySpan) / 2)
        return Axes(in: rect.inset(top: dh, left: dw, bottom: dh, right: dw), x: xSpec, y: ySpec, title: title, canvas: canvas)
    }

    /// Canvas point of a data point, nil if either coordinate cannot be placed.
    public func point(_ u: Double, _ v: Double) -> Point? {
        guard let px = x.position(u), let py = y.position(v) else { return nil }
        return Point(px, py)
    }

    /// Light grid lines at the ticks, drawn under the data.
    public func drawGrid(on canvas: Canvas) {
        let theme = canvas.theme
        for t in xTicks { if let p = x.position(t) {
            canvas.line(from: Point(p, plotArea.minY), to: Point(p, plotArea.maxY), theme.gridLine, width: theme.thinLineWidth)
        } }
        for t in yTicks { if let p = y.position(t) {
            canvas.line(from: Point(plotArea.minX, p), to: Point(plotArea.maxX, p), theme.gridLine, width: theme.thinLineWidth)
        } }
    }

    /// Frame, ticks, tick labels, axis labels and title, drawn over the data.
    public func drawDecorations(on canvas: Canvas) {
        let theme = canvas.theme, area = plotArea
        canvas.stroke(area, theme.ink, width: theme.thinLineWidth)
        for t in xTicks { guard let p = x.position(t) else { continue }
            canvas.line(from: Point(p, area.maxY), to: Point(p, area.maxY + theme.tickLength), theme.ink, width: theme.thinLineWidth)
            canvas.text(x.tickLabel(t, among: xTicks), at: Point(p, area.maxY + theme.tickLength + 2), theme.tickStyle, anchor: .top)
        }
        for t in yTicks { guard let p = y.position(t) else { continue }
            canvas.line(from: Point(area.minX - theme.tickLength, p), to: Point(area.minX, p), theme.ink, width: theme.thinLineWidth)
            canvas.text(y.tickLabel(t, among: yTicks), at: Point(area.minX - theme.tickLength - 3, p), theme.tickStyle, anchor: .right)
        }
        if !xSpec.label.isEmpty {
            let baseline = area.maxY + theme.tickLength + 4 + theme.tickSize * 1.5
            canvas.text(xSpec.label, at: Point(area.center.x, baseline), theme.labelStyle, anchor: .top)
        }
        if !ySpec.label.isEmpty {
            let tickWidth = yTicks.map { canvas.measure(y.tickLabel($0, among: yTicks), theme.tickStyle).width }.max() ?? 0
            let xPos = area.minX - theme.tickLength - 6 - tickWidth - theme.labelSize * 0.2
            canvas.text(ySpec.label, at: Point(xPos, area.center.y), theme.labelStyle, anchor: .bottom, angle: -Double.pi / 2)
        }
        if let title { drawTitle(title, on: canvas) }
    }

    /// The title centred over the plot area, moved sideways as far as it must to stay inside
    /// `bounds` (a plot with a wide y label sits right of centre, and a long title over it ran
    /// off the figure), and set smaller only where it is wider than `bounds` itself.
    private func drawTitle(_ title: String, on canvas: Canvas) {
        let (center, style) = titlePlacement(title, canvas: canvas)
        canvas.text(title, at: Point(center, plotArea.minY - canvas.theme.titleSize * 0.5), style, anchor: .bottom)
    }

    /// The title's horizontal centre and style (see `drawTitle`).
    func titlePlacement(_ title: String, canvas: Canvas) -> (center: Double, style: TextStyle) {
        var style = canvas.theme.titleStyle
        let natural = canvas.measure(title, style).width
        if natural > bounds.width { style.size *= bounds.width / natural }
        let half = min(natural, bounds.width) / 2
        return (min(max(plotArea.center.x, bounds.minX + half), bounds.maxX - half), style)
    }

    /// The canvas points of the placeable data points (for legend placement).
    public func placed(_ xs: [Double], _ ys: [Double]) -> [Point] {
        zip(xs, ys).compactMap { point($0, $1) }
    }

    /// A connected line through the data points, broken wherever a point cannot be placed
    /// (NaN, infinite, ≤ 0 on a log axis), clipped to the plot area.
    public func drawLine(_ xs: [Double], _ ys: [Double], on canvas: Canvas, color: Color, width: Double, dash: [Double] = []) {
        canvas.clipped(to: plotArea.inset(by: -1)) {
            var run: [Point] = []
            for (u, v) in zip(xs, ys) {
                if let p = point(u, v) { run.append(p); continue }
                canvas.polyline(run, color, width: width, dash: dash)
                run = []
            }
            canvas.polyline(run, color, width: width, dash: dash)
        }
    }
}
