import Foundation

/// Loss (and accuracy) while training, on an x axis in epochs: the per-step training value
/// raw and faint, its smoothed trend bold, the per-epoch validation value with dots, the
/// best validation epoch marked (grey, dashed), and where early stopping ended the run
/// (grey, dotted). The markers are grey so that every hue is left to the curves: a green
/// or vermillion marker read as one of the lesson's runs, and green is then free for the
/// held-out curve.
/// Input: per-step training values (step `s`, 0-based, sits at epoch `(s + 1) / stepsPerEpoch`),
/// per-epoch validation values (entry `e`, 0-based, sits at the end of epoch `e + 1`).
public struct TrainingCurves: Figure {
    /// One metric (loss or accuracy) as recorded.
    public struct Metric: Sendable {
        public var name: String
        public var trainPerStep: [Double]
        public var validationPerEpoch: [Double]
        /// True for losses (best = lowest), false for accuracies (best = highest).
        public var lowerIsBetter: Bool
        /// A fixed y range (to compare several runs on one scale); nil fits the data.
        public var yRange: (Double, Double)?
        /// `.log` where the point is a small value near a floor (a regression's loss at σ²).
        public var yScale: ScaleKind
        /// Labelled lines at values the text quotes (the noise floor).
        public var referenceLines: [ReferenceLine]
        public init(name: String, trainPerStep: [Double], validationPerEpoch: [Double], lowerIsBetter: Bool,
                    yRange: (Double, Double)? = nil, yScale: ScaleKind = .linear, referenceLines: [ReferenceLine] = []) {
            self.name = name; self.trainPerStep = trainPerStep
            self.validationPerEpoch = validationPerEpoch; self.lowerIsBetter = lowerIsBetter
            self.yRange = yRange; self.yScale = yScale; self.referenceLines = referenceLines
        }
    }

    public let title: String
    public let stepsPerEpoch: Int
    /// Loss first, then optionally accuracy; drawn side by side.
    public let metrics: [Metric]
    /// The epoch (1-based) the run stopped early after, if it did.
    public let earlyStopEpoch: Int?
    /// Exponential smoothing factor β of the trend line: `s_t = β·s_{t-1} + (1-β)·x_t`,
    /// debiased by `1 - β^t` as TensorBoard does.
    public let smoothing: Double
    /// The best validation epoch (1-based) by the first metric, nil without validation or
    /// when the per-epoch values are test-set ones (picking an epoch there is cheating).
    public let bestEpoch: Int?
    /// What the per-epoch values were measured on, as the legend names them: `validation`,
    /// or `test` in a lesson that holds no validation set back.
    public let heldOutName: String
    /// The theme's categorical colours of the training curves (the run's own colour, so
    /// that a run looks the same here as in the lesson's comparisons) and of the held-out
    /// curve (a role colour of another hue family than every run's: `Theme.heldOutCategory`).
    public let trainCategory: Int
    public let heldOutCategory: Int
    private let panels: [LineChart]
    /// The legends of the other blocks of one figure (`aligningLegends`): this block
    /// reserves as many legend rows as the tallest of them, so that blocks side by side
    /// have their panels at one height (an early-stopped run's extra "early stop" entry
    /// had made its panels shorter and lower than its neighbour's).
    private var peerLegends: [Legend] = []

    /// `blocks` with every legend given the height of the tallest among them.
    public static func aligningLegends(_ blocks: [TrainingCurves]) -> [TrainingCurves] {
        let legends = blocks.map { $0.legend(.standard) }
        return blocks.map { block in
            var aligned = block
            aligned.peerLegends = legends
            return aligned
        }
    }

    /// `epochRange` fixes the x axis (to compare runs of different lengths); nil fits the data.
    public init(title: String, stepsPerEpoch: Int, loss: Metric, accuracy: Metric? = nil,
                earlyStopEpoch: Int? = nil, smoothing: Double = 0.9, epochRange: (Double, Double)? = nil,
                heldOutName: String = "validation", marksBestEpoch: Bool = true,
                trainCategory: Int = 0, heldOutCategory: Int = 1) throws {
        let figure = "training curves '\(title)'"
        guard stepsPerEpoch > 0 else { throw RenderError.invalidSize(what: "steps per epoch", value: Double(stepsPerEpoch)) }
        guard !loss.trainPerStep.isEmpty || !loss.validationPerEpoch.isEmpty else {
            throw RenderError.emptyData(figure: figure, what: "the loss record")
        }
        self.title = title
        self.stepsPerEpoch = stepsPerEpoch
        metrics = [loss] + (accuracy.map { [$0] } ?? [])
        self.earlyStopEpoch = earlyStopEpoch
        self.smoothing = min(max(smoothing, 0), 0.999)
        bestEpoch = marksBestEpoch ? Self.best(loss) : nil
        self.heldOutName = heldOutName
        self.trainCategory = trainCategory
        self.heldOutCategory = heldOutCategory
        panels = try metrics.map { m in
            let steps = m.trainPerStep.indices.map { Double($0 + 1) / Double(stepsPerEpoch) }
            let epochs = m.validationPerEpoch.indices.map { Double($0 + 1) }
            return try LineChart(title: m.name, xLabel: "epoch", yLabel: m.name,
                                 series: [Series(name: "train", x: steps, y: m.trainPerStep),
                                          Series(name: heldOutName, x: epochs, y: m.validationPerEpoch)],
                                 yScale: m.yScale, xRange: try Self.closedRange(epochRange, m.name),
                                 yRange: try Self.closedRange(m.yRange, m.name), referenceLines: m.referenceLines)
        }
    }

    private static func best(_ m: Metric) -> Int? {
        let finite = m.validationPerEpoch.enumerated().filter { $0.element.isFinite }
        let pick = m.lowerIsBetter ? finite.min { $0.element < $1.element } : finite.max { $0.element < $1.element }
        return pick.map { $0.offset + 1 }
    }

    /// Debiased exponential moving average; non-finite values are skipped (kept as gaps).
    /// Also the smoothing of other per-step series (per-layer gradient sizes).
    public static func smoothed(_ values: [Double], beta: Double) -> [Double] {
        var average = 0.0, count = 0.0
        return values.map { v in
            guard v.isFinite else { return .nan }
            count += 1
            average = beta * average + (1 - beta) * v
            return average / (1 - pow(beta, count))
        }
    }

    /// A fixed axis range as LineChart takes it; an inverted one is an error, not a crash.
    static func closedRange(_ range: (Double, Double)?, _ name: String) throws -> ClosedRange<Double>? {
        guard let (lo, hi) = range else { return nil }
        guard lo <= hi else { throw RenderError.invalidSize(what: "training curves '\(name)': axis range", value: hi - lo) }
        return lo...hi
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        (metrics.count == 1 ? width * 0.5 : width * 0.42).rounded() + theme.titleSize * 1.6
            + legendHeight(width: width - 2 * theme.margin, theme: theme)
    }

    /// Rows for this block's legend, or for the tallest of its peers' (only the labels
    /// count, so the peers' legends measure the same in any theme's colours).
    private func legendHeight(width: Double, theme: Theme) -> Double {
        ([legend(theme)] + peerLegends).map { $0.rowHeight(width: width, theme: theme) }.max()!
    }

    /// One legend for all panels, as a row under the title (a boxed legend would hide the
    /// curves of a small panel).
    private func legend(_ theme: Theme) -> Legend {
        let (train, validation) = (theme.categoryColor(trainCategory), theme.categoryColor(heldOutCategory))
        var entries = [LegendEntry(label: "train (per step)", color: train, mark: .faintLine),
                       LegendEntry(label: "train (smoothed)", color: train)]
        if metrics.contains(where: { !$0.validationPerEpoch.isEmpty }) {
            entries.append(LegendEntry(label: "\(heldOutName) (per epoch)", color: validation))
        }
        if let best = bestEpoch { entries.append(LegendEntry(label: "best epoch (\(best))", color: theme.mutedInk, mark: .dashedLine)) }
        if let stop = earlyStopEpoch { entries.append(LegendEntry(label: "early stop (\(stop))", color: theme.mutedInk, mark: .dottedLine)) }
        return Legend(entries)
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        var area = FigureHeader(title: title, subtitle: nil).draw(on: canvas, in: frame.inset(by: theme.margin))
            .inset(top: -theme.titleSize * 0.6)
        let legend = legend(theme), legendHeight = legendHeight(width: area.width, theme: theme)
        legend.drawRow(on: canvas, in: Rect(x: area.minX, y: area.minY, width: area.width, height: legendHeight))
        area = area.inset(top: legendHeight)
        let width = (area.width - theme.margin * Double(metrics.count - 1)) / Double(metrics.count)
        for (k, (metric, chart)) in zip(metrics, panels).enumerated() {
            let panel = Rect(x: area.minX + Double(k) * (width + theme.margin), y: area.minY, width: width, height: area.height)
            drawPanel(metric, chart, on: canvas, in: panel)
        }
    }

    private func drawPanel(_ metric: Metric, _ chart: LineChart, on canvas: Canvas, in rect: Rect) {
        let theme = canvas.theme
        let (train, validation) = (theme.categoryColor(trainCategory), theme.categoryColor(heldOutCategory))
        let axes = Axes(in: rect, x: AxisSpec(label: "epoch", lower: chart.xDomain.0, upper: chart.xDomain.1),
                        y: AxisSpec(label: metric.name, kind: metric.yScale, lower: chart.yDomain.0, upper: chart.yDomain.1),
                        title: metric.name, canvas: canvas)
        axes.drawGrid(on: canvas)
        for line in metric.referenceLines { line.drawLine(on: canvas, axes: axes) }
        if let best = bestEpoch, let p = axes.x.position(Double(best)) {
            canvas.line(from: Point(p, axes.plotArea.minY), to: Point(p, axes.plotArea.maxY), theme.mutedInk, width: 1.2, dash: [5, 3])
        }
        if let stop = earlyStopEpoch, let p = axes.x.position(Double(stop)) {
            canvas.line(from: Point(p, axes.plotArea.minY), to: Point(p, axes.plotArea.maxY), theme.mutedInk, width: 1.2, dash: [2, 3])
        }
        let steps = chart.series[0].x
        axes.drawLine(steps, metric.trainPerStep, on: canvas, color: train.withAlpha(0.3), width: theme.thinLineWidth)
        axes.drawLine(steps, Self.smoothed(metric.trainPerStep, beta: smoothing), on: canvas, color: train, width: theme.lineWidth)
        let epochs = chart.series[1].x
        axes.drawLine(epochs, metric.validationPerEpoch, on: canvas, color: validation, width: theme.lineWidth)
        for (u, v) in zip(epochs, metric.validationPerEpoch) {
            if let p = axes.point(u, v) { canvas.circle(center: p, radius: 3.5, fill: validation, stroke: .white) }
        }
        let drawn = [axes.placed(steps, Self.smoothed(metric.trainPerStep, beta: smoothing)), axes.placed(epochs, metric.validationPerEpoch)]
        for line in metric.referenceLines { line.drawLabel(on: canvas, axes: axes, avoiding: drawn) }
        axes.drawDecorations(on: canvas)
    }
}
