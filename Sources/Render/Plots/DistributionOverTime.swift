import Foundation

/// How a tensor's values are distributed at each recorded step, as a heatmap: x is the
/// step, y the value, colour the share of values in that bin (viridis). A weight
/// distribution widening, or gradients collapsing to zero, shows at a glance.
/// Input: `steps` (increasing, evenly spaced), the histogram range `[lower, upper]`, and
/// per step the counts of `bins` equal-width bins (bin 0 starts at `lower`).
/// `logShares` colours by log₁₀ of the share over three decades below the largest
/// (emptier cells are dark): gradients pile up at 0 (up to half of them exactly 0,
/// behind switched-off ReLUs), and on a linear scale that spike turns their spread dark.
/// Empty axis labels leave their room to the plot (a grid whose subtitle names them).
public struct DistributionOverTime: Figure {
    public let title: String
    public let valueLabel: String
    public let steps: [Double]
    public let lower: Double
    public let upper: Double
    public let counts: [[Double]]
    /// Per step and bin, the share of that step's values: `counts / Σ counts` (its log₁₀
    /// with `logShares`).
    public let shares: FloatArray
    public let colorScale: ColorScale
    /// Whether the panel draws its colorbar; a grid of many panels leaves it out (the
    /// figure's subtitle says what the colours mean) so that each plot keeps its width.
    public let showsColorbar: Bool
    public let stepLabel: String
    public let logShares: Bool
    /// Height over width: 0.5 alone; a panel of a grid, whose title and ticks take a
    /// larger share of it, is drawn taller so its plot keeps its height.
    public let aspect: Double

    public init(title: String, valueLabel: String, steps: [Double], lower: Double, upper: Double,
                counts: [[Double]], showsColorbar: Bool = true, logShares: Bool = false,
                stepLabel: String = "step", aspect: Double = 0.5, theme: Theme = .standard) throws {
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
        self.lower = lower; self.upper = upper; self.counts = counts; self.showsColorbar = showsColorbar
        self.stepLabel = stepLabel
        self.aspect = aspect
        // Image rows run top to bottom, so the highest bin comes first.
        var values = [Float](repeating: 0, count: bins * steps.count)
        for (s, histogram) in counts.enumerated() {
            let total = histogram.filter(\.isFinite).reduce(0, +)
            for b in 0..<bins {
                values[(bins - 1 - b) * steps.count + s] = total > 0 ? Float(histogram[b] / total) : .nan
            }
        }
        guard values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "histogram counts") }
        if logShares {
            let top = max(Double(values.filter(\.isFinite).max() ?? 1), 1e-30)
            let floor = top * Self.logFloor
            // An empty cell takes the darkest colour; NaN (a step with no values) stays missing.
            shares = try FloatArray(shape: [bins, steps.count], values: values.map { v in
                v.isFinite ? Float(log10(max(Double(v), floor))) : v
            })
            colorScale = ColorScale(colormap: theme.sequential, lower: log10(floor), upper: log10(top),
                                    missing: theme.missingValue)
        } else {
            shares = try FloatArray(shape: [bins, steps.count], values: values)
            colorScale = .sequential(values, theme: theme, fromZero: true)
        }
        self.logShares = logShares
    }

    /// The darkest colour of `logShares` is this fraction of the largest share.
    static let logFloor = 1e-3

    public func height(forWidth width: Double, theme: Theme) -> Double { (width * aspect).rounded() }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let (plot, bar) = frame.inset(by: theme.margin).sliceRight(showsColorbar ? Colorbar.width(theme: theme) : 0)
        // Half a step of room either side: each column is centred on its step.
        let half = steps.count > 1 ? (steps.last! - steps.first!) / Double(steps.count - 1) / 2 : 0.5
        let axes = Axes(in: plot, x: AxisSpec(label: stepLabel, lower: steps.first! - half, upper: steps.last! + half),
                        y: AxisSpec(label: valueLabel, lower: lower, upper: upper), title: title, canvas: canvas)
        try canvas.image(colorScale.colors(shares.values), width: steps.count, height: shares.shape[0], in: axes.plotArea)
        axes.drawDecorations(on: canvas)
        guard showsColorbar else { return }
        try Colorbar(scale: colorScale, label: logShares ? "log₁₀ share of values" : "share of values").draw(on: canvas, in: Rect(
            x: bar.minX + theme.gap, y: axes.plotArea.minY, width: bar.width - theme.gap, height: axes.plotArea.height))
    }
}
