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
    public func height(forWidth width: Double, theme: Theme) -> Double {
        let ratio = (yRange.upperBound - yRange.lowerBound) / (xRange.upperBound - xRange.lowerBound)
        return (max(width - 2 * theme.margin - 75, 1) * ratio + 2 * theme.margin + 80).rounded()
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let (ny, nx, k) = (probabilities.shape[0], probabilities.shape[1], probabilities.shape[2])
        let room = frame.inset(by: theme.margin)
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
        Legend(classNames.enumerated().map { LegendEntry(label: $1, color: theme.categoryColor($0), mark: .dot) })
            .draw(on: canvas, in: axes.plotArea, avoiding: axes.placed(points.x, points.y).map { [$0] })
    }
}
