/// How a tensor's values are distributed at each recorded step, as a heatmap: x is the
/// step, y the value, colour the share of values in that bin (viridis). A weight
/// distribution widening, or gradients collapsing to zero, shows at a glance.
/// Input: `steps` (increasing, evenly spaced), the histogram range `[lower, upper]`, and
/// per step the counts of `bins` equal-width bins (bin 0 starts at `lower`).
public struct DistributionOverTime: Figure {
    public let title: String
    public let valueLabel: String
    public let steps: [Double]
    public let lower: Double
    public let upper: Double
    public let counts: [[Double]]
    /// Per step and bin, the share of that step's values: `counts / Σ counts`.
    public let shares: FloatArray
    public let colorScale: ColorScale

    public init(title: String, valueLabel: String, steps: [Double], lower: Double, upper: Double,
                counts: [[Double]], theme: Theme = .standard) throws {
        let figure = "distribution over time '\(title)'"
        guard !steps.isEmpty, let bins = counts.first?.count, bins > 0 else {
            throw RenderError.emptyData(figure: figure, what: "the list of histograms")
        }
        guard counts.count == steps.count else {
            throw RenderError.countMismatch(figure: figure, what: "histograms", expected: steps.count, got: counts.count)
        }
        guard counts.allSatisfy({ $0.count == bins }) else {
            throw RenderError.badShape(figure: figure, what: "histograms", shape: counts.map(\.count), expected: "\(bins) bins each")
        }
        guard lower.isFinite, upper.isFinite, upper > lower else {
            throw RenderError.invalidSize(what: "histogram range width (upper − lower)", value: upper - lower)
        }
        self.title = title; self.valueLabel = valueLabel; self.steps = steps
        self.lower = lower; self.upper = upper; self.counts = counts
        // Image rows run top to bottom, so the highest bin comes first.
        var values = [Float](repeating: 0, count: bins * steps.count)
        for (s, histogram) in counts.enumerated() {
            let total = histogram.filter(\.isFinite).reduce(0, +)
            for b in 0..<bins {
                values[(bins - 1 - b) * steps.count + s] = total > 0 ? Float(histogram[b] / total) : .nan
            }
        }
        guard values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "histogram counts") }
        shares = try FloatArray(shape: [bins, steps.count], values: values)
        colorScale = .sequential(values, theme: theme, fromZero: true)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double { (width * 0.5).rounded() }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let (plot, bar) = frame.inset(by: theme.margin).sliceRight(Colorbar.width(theme: theme))
        // Half a step of room either side: each column is centred on its step.
        let half = steps.count > 1 ? (steps.last! - steps.first!) / Double(steps.count - 1) / 2 : 0.5
        let axes = Axes(in: plot, x: AxisSpec(label: "step", lower: steps.first! - half, upper: steps.last! + half),
                        y: AxisSpec(label: valueLabel, lower: lower, upper: upper), title: title, canvas: canvas)
        try canvas.image(colorScale.colors(shares.values), width: steps.count, height: shares.shape[0], in: axes.plotArea)
        axes.drawDecorations(on: canvas)
        try Colorbar(scale: colorScale, label: "share of values").draw(on: canvas, in: Rect(
            x: bar.minX + theme.gap, y: axes.plotArea.minY, width: bar.width - theme.gap, height: axes.plotArea.height))
    }
}
