/// Several functions of a 2-D input drawn over the same plane, one small tile each, on one
/// shared colour scale: what each hidden unit of a small network computes at every point of
/// the input plane (TensorFlow Playground's neuron tiles). Sharing the scale makes the tiles
/// comparable — a unit that is nearly constant looks flat, a dead ReLU is dark everywhere.
/// Input: `values` `[ny, nx, maps]` on a grid over `xRange × yRange` in mesh-grid order, as
/// `DecisionBoundary` takes it (row 0 is the lowest y, so it is drawn at the bottom); one
/// label per map, shown under its tile. The scale is diverging and symmetric when some value
/// is negative (tanh units), otherwise viridis from zero (ReLU units).
public struct PlaneMaps: Figure {
    public let title: String
    public let subtitle: String?
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let values: FloatArray
    public let labels: [String]
    public let valueLabel: String
    public let colorScale: ColorScale

    public init(title: String, subtitle: String? = nil, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
                values: FloatArray, labels: [String], valueLabel: String = "activation", theme: Theme = .standard) throws {
        let figure = "plane maps '\(title)'"
        let s = values.shape
        guard s.count == 3, s.allSatisfy({ $0 > 0 }) else {
            throw RenderError.badShape(figure: figure, what: "values", shape: s, expected: "[ny, nx, maps], all > 0")
        }
        guard labels.count == s[2] else {
            throw RenderError.countMismatch(figure: figure, what: "labels", expected: s[2], got: labels.count)
        }
        guard xRange.upperBound > xRange.lowerBound, yRange.upperBound > yRange.lowerBound else {
            throw RenderError.invalidSize(what: "plane maps range width", value: 0)
        }
        guard values.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "values") }
        self.title = title; self.subtitle = subtitle; self.xRange = xRange; self.yRange = yRange
        self.values = values; self.labels = labels; self.valueLabel = valueLabel
        let signed = (values.values.finiteRange?.0 ?? 0) < 0
        colorScale = signed ? .symmetric(values.values, theme: theme)
            : .sequential(values.values, theme: theme, fromZero: true)
    }

    var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    private func grid(width: Double, theme: Theme) -> TileGrid {
        let available = width - 2 * theme.margin - 2 * theme.gap - Colorbar.width(theme: theme)
        return TileGrid(count: values.shape[2], aspect: (xRange.upperBound - xRange.lowerBound) / (yRange.upperBound - yRange.lowerBound),
                        width: available, preferredTileWidth: 84, maxTileWidth: 140, gap: 8,
                        captionHeight: theme.smallSize * 1.8)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        (2 * theme.margin + header.height(width: width - 2 * theme.margin, theme: theme) + max(grid(width: width, theme: theme).size.height, 120)).rounded()
    }

    /// Map `k` as a row-major plane with the highest y in the first row (image order).
    public func plane(_ k: Int) -> [Float] {
        let (ny, nx, maps) = (values.shape[0], values.shape[1], values.shape[2])
        return (0..<ny).flatMap { row in (0..<nx).map { j in values.values[((ny - 1 - row) * nx + j) * maps + k] } }
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let g = grid(width: frame.width, theme: theme)
        let origin = Point(body.minX, body.minY)
        for k in 0..<values.shape[2] {
            let tile = g.rect(k, origin: origin)
            try canvas.drawValues(plane(k), width: values.shape[1], height: values.shape[0], scale: colorScale, in: tile)
            canvas.text(labels[k], at: Point(tile.center.x, tile.maxY + 2), theme.smallStyle, anchor: .top)
        }
        let bar = Rect(x: body.minX + g.size.width + 2 * theme.gap, y: body.minY,
                       width: Colorbar.width(theme: theme) - theme.gap, height: max(min(g.size.height, 260), 120))
        try Colorbar(scale: colorScale, label: valueLabel).draw(on: canvas, in: bar)
    }
}
