import Render
import Trace

/// Figures that put several runs of one lesson on shared axes (the main run and
/// its variants): the way to see one change — optimizer, regulariser, learning
/// rate — against everything else held fixed.
enum ComparisonFigures {
    /// One line per run of option `metric` (default `loss`) against epochs:
    /// training metrics per step as a trailing moving average over a tenth of an
    /// epoch (the raw mini-batch values are too noisy to compare), validation
    /// metrics once per epoch with a dot each.
    static func curves(_ c: FigureContext) throws -> Figure {
        let metric = Self.metric(c)
        let drawn: [(Series, Int)] = try c.selectedRuns().compactMap { run in
            try series(of: metric, in: run).map { ($0, c.category(ofRun: run.name)) }
        }
        guard !drawn.isEmpty else { throw FigureUnavailable("no run recorded '\(metric.scalar)'") }
        let label = metric.label(on: c.main.epochMetricsSet)
        return try LineChart(title: "\(label.prefix(1).uppercased() + label.dropFirst()) of each run",
                             xLabel: "epoch", yLabel: label, series: drawn.map(\.0),
                             yScale: c.text("log") == "true" ? .log : .linear, markers: metric.isValidation,
                             categories: drawn.map(\.1))
    }

    /// Run `run`'s `metric` against epochs, or nil when it did not record it.
    static func series(of metric: MetricName, in run: (name: String, figures: TraceFigures)) throws -> Series? {
        let trace = run.figures.reader
        if metric.isValidation {
            let values = trace.manifest.epochs.compactMap { e in e.metrics[metric.scalar].map { (Double(e.epoch + 1), $0) } }
            return values.isEmpty ? nil : Series(name: run.name, x: values.map(\.0), y: values.map(\.1))
        }
        let points = try trace.scalars().column(metric.scalar)
        guard !points.isEmpty else { return nil }
        let stepsPerEpoch = max(1, points.count / max(1, trace.manifest.epochs.count))
        let smoothed = movingAverage(points.map(\.value), window: max(1, stepsPerEpoch / 10))
        return Series(name: run.name, x: points.map { Double($0.step + 1) / Double(stepsPerEpoch) }, y: smoothed)
    }

    /// Option `metric`, the training loss when the lesson names none.
    static func metric(_ c: FigureContext) -> MetricName { c.word("metric", MetricName.self) ?? .loss }

    /// Mean of the last `window` values at each point (fewer at the start).
    static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        var out: [Double] = [], sum = 0.0
        for (i, v) in values.enumerated() {
            sum += v
            if i >= window { sum -= values[i - window] }
            out.append(sum / Double(min(i + 1, window)))
        }
        return out
    }
}
