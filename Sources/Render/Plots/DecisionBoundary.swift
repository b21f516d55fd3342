/// What a classifier predicts over a 2-D input space, with the data on top: each cell of a
/// grid is coloured by its most probable class, strongly where the model is sure and pale
/// where it is not, so boundaries show as pale bands. Points use the class colours.
/// Input: `probabilities` `[ny, nx, classes]` for a grid over `xRange × yRange`; row 0 is
/// the lowest y (mesh-grid order), cell (i, j) is centred at
/// `(x₀ + (j + ½)·Δx, y₀ + (i + ½)·Δy)`. `classes == 1` means one probability of class 1
/// (a sigmoid output).
public struct DecisionBoundary: Figure {
    public let title: String
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let probabilities: FloatArray
    public let points: (x: [Double], y: [Double], classes: [Int])
    public let classNames: [String]
    /// The axes' labels: the two inputs' names (x₁ and x₂ unless given).
    public let axisLabels: (x: String, y: String)

    public init(title: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, probabilities: FloatArray,
                x: [Double], y: [Double], classes: [Int], classNames: [String],
                axisLabels: (x: String, y: String) = ("x₁", "x₂")) throws {
        let figure = "decision boundary '\(title)'"
        let s = probabilities.shape
        guard s.count == 3, s.allSatisfy({ $0 > 0 }) else {
            throw RenderError.badShape(figure: figure, what: "probabilities", shape: s, expected: "[ny, nx, classes], all > 0")
        }
        guard xRange.upperBound > xRange.lowerBound, yRange.upperBound > yRange.lowerBound else {
            throw RenderError.invalidSize(what: "decision boundary range width", value: 0)
        }
        guard probabilities.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "probabilities") }
        try validateClassPoints(x: x, y: y, classes: classes, classNames: classNames, figure: figure)
        guard max(s[2], 2) <= classNames.count else {
            throw RenderError.countMismatch(figure: figure, what: "class names", expected: max(s[2], 2), got: classNames.count)
        }
        self.title = title; self.xRange = xRange; self.yRange = yRange
        self.probabilities = probabilities; points = (x, y, classes); self.classNames = classNames
        self.axisLabels = axisLabels
    }

    /// The colour of one cell: class colour blended with white by confidence above chance.
    private func cellColor(_ p: ArraySlice<Float>, theme: Theme) -> Color {
        let probs: [Float] = p.count == 1 ? [1 - p[p.startIndex], p[p.startIndex]] : Array(p)
        guard probs.allSatisfy(\.isFinite), let best = probs.indices.max(by: { probs[$0] < probs[$1] }) else {
            return theme.missingValue
        }
        let chance = 1 / Double(probs.count)
        let confidence = (Double(probs[best]) - chance) / (1 - chance)
        return Color.white.mixed(with: theme.categoryColor(best), 0.12 + 0.5 * min(max(confidence, 0), 1))
    }

    /// Tall enough for a plot area of the plane's own aspect (the axes' room for title, ticks
    /// and labels is about 75 points across and 80 down); the drawing then makes it exact.
    /// Plus a legend row under the plot when no corner of the plane is free for the legend.
    public func height(forWidth width: Double, theme: Theme) -> Double {
        let plot = plotSize(forWidth: width, theme: theme)
        let row = legendBelow(forWidth: width, theme: theme) ? legend(theme).rowHeight(width: plot.width, theme: theme) + 6 : 0
        return (plot.height + 2 * theme.margin + 80 + row).rounded()
    }

    /// The plot area's expected size at `width`: the plane's aspect, the axes' usual room.
    private func plotSize(forWidth width: Double, theme: Theme) -> Size {
        let ratio = (yRange.upperBound - yRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        let plotWidth = max(width - 2 * theme.margin - 75, 1)
        return Size(plotWidth, plotWidth * ratio)
    }

    private func legend(_ theme: Theme) -> Legend {
        Legend(classNames.enumerated().map { LegendEntry(label: $1, color: theme.categoryColor($0), mark: .dot) })
    }

    /// Whether every corner of the plot would put the boxed legend over a data point (points
    /// that fill the plane, as XOR's do): then the legend goes in a row under the plot. The
    /// box is estimated without a canvas (0.62 em per character, generous, as
    /// `Legend.rowHeight` estimates), so the height and the drawing agree.
    func legendBelow(forWidth width: Double, theme: Theme) -> Bool {
        let plot = plotSize(forWidth: width, theme: theme)
        let characters = Double(classNames.map(\.count).max() ?? 0)
        let box = Size(6 * 3 + 22 + 0.62 * theme.tickSize * characters + 8, 12 + theme.tickSize * 1.5 * Double(classNames.count) + 8)
        let (xSpan, ySpan) = (xRange.upperBound - xRange.lowerBound, yRange.upperBound - yRange.lowerBound)
        let placed = zip(points.x, points.y).map { u, v in
            Point((u - xRange.lowerBound) / xSpan * plot.width, (yRange.upperBound - v) / ySpan * plot.height)
        }
        let corners = [(false, false), (true, false), (false, true), (true, true)].map { right, bottom in
            Rect(x: right ? plot.width - box.width : 0, y: bottom ? plot.height - box.height : 0,
                 width: box.width, height: box.height)
        }
        return corners.allSatisfy { c in placed.contains { $0.x >= c.minX && $0.x <= c.maxX && $0.y >= c.minY && $0.y <= c.maxY } }
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let (ny, nx, k) = (probabilities.shape[0], probabilities.shape[1], probabilities.shape[2])
        var room = frame.inset(by: theme.margin)
        let below = legendBelow(forWidth: frame.width, theme: theme)
        let rowHeight = below ? legend(theme).rowHeight(width: plotSize(forWidth: frame.width, theme: theme).width, theme: theme) : 0
        if below { room = room.inset(bottom: rowHeight + 6) }
        let axes = Axes(in: room, x: AxisSpec(label: axisLabels.x, lower: xRange.lowerBound, upper: xRange.upperBound),
                        y: AxisSpec(label: axisLabels.y, lower: yRange.lowerBound, upper: yRange.upperBound), title: title,
                        canvas: canvas)
            .equalAspect(in: room, canvas: canvas)
        var pixels = [Color](repeating: .white, count: nx * ny)
        for i in 0..<ny { for j in 0..<nx {
            let base = (i * nx + j) * k
            pixels[(ny - 1 - i) * nx + j] = cellColor(probabilities.values[base..<(base + k)], theme: theme)
        } }
        try canvas.image(pixels, width: nx, height: ny, in: axes.plotArea)
        drawClassPoints(x: points.x, y: points.y, classes: points.classes, axes: axes, on: canvas)
        axes.drawDecorations(on: canvas)
        if below {
            legend(theme).drawRow(on: canvas, in: Rect(x: axes.plotArea.minX, y: room.maxY + 6, width: axes.plotArea.width, height: rowHeight))
        } else {
            legend(theme).draw(on: canvas, in: axes.plotArea, avoiding: axes.placed(points.x, points.y).map { [$0] })
        }
    }
}
