/// Points in the plane coloured by class (categorical palette) with a legend of class
/// names: the data of a classification lesson before any model.
/// Input: `x`, `y` and `classes` of equal length; `classes[i]` indexes `classNames`.
public struct ScatterPlot: Figure {
    public let title: String
    public let xLabel: String
    public let yLabel: String
    public let x: [Double]
    public let y: [Double]
    public let classes: [Int]
    public let classNames: [String]
    let xDomain: (Double, Double)
    let yDomain: (Double, Double)

    public init(title: String, xLabel: String = "x₁", yLabel: String = "x₂", x: [Double], y: [Double],
                classes: [Int], classNames: [String]) throws {
        let figure = "scatter plot '\(title)'"
        guard !x.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of points") }
        try validateClassPoints(x: x, y: y, classes: classes, classNames: classNames, figure: figure)
        guard let xd = Scale.domain(of: x, kind: .linear), let yd = Scale.domain(of: y, kind: .linear) else {
            throw RenderError.noFiniteValues(figure: figure, what: "the points")
        }
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel
        self.x = x; self.y = y; self.classes = classes; self.classNames = classNames
        xDomain = xd; yDomain = yd
    }

    public func height(forWidth width: Double, theme: Theme) -> Double { (width * 0.7).rounded() }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let axes = Axes(in: frame.inset(by: theme.margin),
                        x: AxisSpec(label: xLabel, lower: xDomain.0, upper: xDomain.1),
                        y: AxisSpec(label: yLabel, lower: yDomain.0, upper: yDomain.1), title: title, canvas: canvas)
        axes.drawGrid(on: canvas)
        drawClassPoints(x: x, y: y, classes: classes, axes: axes, on: canvas)
        axes.drawDecorations(on: canvas)
        Legend(classNames.enumerated().map { LegendEntry(label: $1, color: theme.categoryColor($0), mark: .dot) })
            .draw(on: canvas, in: axes.plotArea, avoiding: axes.placed(x, y).map { [$0] })
    }
}

/// Checks that every point has a y and a class, and every class a name.
func validateClassPoints(x: [Double], y: [Double], classes: [Int], classNames: [String], figure: String) throws {
    guard y.count == x.count else { throw RenderError.countMismatch(figure: figure, what: "y", expected: x.count, got: y.count) }
    guard classes.count == x.count else {
        throw RenderError.countMismatch(figure: figure, what: "classes", expected: x.count, got: classes.count)
    }
    if let bad = classes.first(where: { $0 < 0 || $0 >= classNames.count }) {
        throw RenderError.countMismatch(figure: figure, what: "class names (class \(bad) has no name)",
                                        expected: bad + 1, got: classNames.count)
    }
}

/// Class-coloured dots with a white rim (visible over a coloured decision field too).
func drawClassPoints(x: [Double], y: [Double], classes: [Int], axes: Axes, on canvas: Canvas) {
    canvas.clipped(to: axes.plotArea) {
        for i in x.indices {
            guard let p = axes.point(x[i], y[i]) else { continue }
            canvas.circle(center: p, radius: 3.6, fill: canvas.theme.categoryColor(classes[i]), stroke: .white, lineWidth: 0.8)
        }
    }
}
