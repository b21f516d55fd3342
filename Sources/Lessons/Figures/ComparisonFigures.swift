import NeuralNet
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
        let metric = try Self.metric(c)
        let drawn: [(Series, Int)] = try c.selectedRuns().compactMap { run in
            try series(of: metric, in: run).map { ($0, c.category(ofRun: run.name)) }
        }
        guard !drawn.isEmpty else { throw FigureUnavailable("no run recorded '\(metric.scalar)'") }
        let label = metric.label(on: c.main.epochMetricsSet)
        return try LineChart(title: "\(label.prefix(1).uppercased() + label.dropFirst()) of each run",
                             xLabel: "epoch", yLabel: label, series: drawn.map(\.0),
                             yScale: c.text("log") == "true" ? .log : .linear, markers: metric.isHeldOut,
                             categories: drawn.map(\.1), referenceLines: c.referenceLines())
    }

    /// Run `run`'s `metric` against epochs, or nil when it did not record it.
    static func series(of metric: MetricName, in run: (name: String, figures: TraceFigures)) throws -> Series? {
        let trace = run.figures.reader
        if metric.isHeldOut {
            let values = trace.manifest.epochs.compactMap { e in e.value(metric.scalar).map { (Double(e.epoch + 1), $0) } }
            return values.isEmpty ? nil : Series(name: run.name, x: values.map(\.0), y: values.map(\.1))
        }
        let points = try trace.scalars().column(metric.scalar)
        guard !points.isEmpty else { return nil }
        let stepsPerEpoch = max(1, points.count / max(1, trace.manifest.epochs.count))
        let smoothed = movingAverage(points.map(\.value), window: max(1, stepsPerEpoch / 10))
        return Series(name: run.name, x: points.map { Double($0.step + 1) / Double(stepsPerEpoch) }, y: smoothed)
    }

    /// Option `metric`, the training loss when the lesson names none; a held-out metric
    /// must name the set the lesson measures it on (`test_accuracy` where there is no
    /// validation split), so that the figure's file and the lesson file say what it shows.
    static func metric(_ c: FigureContext) throws -> MetricName {
        let metric = c.word("metric", MetricName.self) ?? .loss
        try metric.check(against: c.main.recordedHeldOutSet)
        return metric
    }

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

extension ComparisonFigures {
    /// Option `runs`: each run's loss against the seconds it had trained by then
    /// (`TrainingTimeRecord`; validation passes not counted), training loss per step
    /// (moving average over a tenth of an epoch) on the left, validation loss after each
    /// epoch on the right (zoomed to its values), both on one time axis: which model
    /// learns more per second.
    static func lossOverTime(_ c: FigureContext) throws -> Figure {
        var training: [Series] = [], validation: [Series] = [], categories: [Int] = []
        for run in try c.selectedRuns() {
            let trace = run.figures.reader
            guard let time = try TrainingTimeRecord.read(fromTrace: run.figures.folder), !time.seconds.isEmpty else { continue }
            let points = try trace.scalars().column(ScalarName.loss).filter { $0.step < time.seconds.count }
            guard !points.isEmpty else { continue }
            let stepsPerEpoch = max(1, time.seconds.count / max(1, trace.manifest.epochs.count))
            let smoothed = movingAverage(points.map(\.value), window: max(1, stepsPerEpoch / 10))
            training.append(Series(name: run.name, x: points.map { time.seconds[$0.step] }, y: smoothed))
            let epochs = trace.manifest.epochs.compactMap { e -> (Double, Double)? in
                let end = min(time.seconds.count, (e.epoch + 1) * stepsPerEpoch) - 1
                return e.value(ScalarName.validationLoss).map { (time.seconds[end], $0) }
            }
            validation.append(Series(name: run.name, x: epochs.map(\.0), y: epochs.map(\.1)))
            categories.append(c.category(ofRun: run.name))
        }
        let all = training.flatMap(\.y).filter(\.isFinite)
        guard let low = all.min(), let high = all.max(), let end = training.flatMap(\.x).max(), high > low else {
            throw FigureUnavailable("no run kept its training time (training-time.safetensors) and loss")
        }
        let y = (low - 0.05 * (high - low))...(high + 0.05 * (high - low)), x = 0...(end * 1.02)
        return try SmallMultiples(
            title: "Loss against training time",
            subtitle: "wall-clock seconds of training on this machine (validation passes not counted)",
            panels: [
                try LineChart(title: "training loss (per step, smoothed)", xLabel: "seconds of training", yLabel: "loss (nats)",
                              series: training, categories: categories, xRange: x, yRange: y),
                try LineChart(title: "validation loss (after each epoch)", xLabel: "seconds of training", yLabel: "loss (nats)",
                              series: validation, markers: true, categories: categories, xRange: x),
            ], columns: 2)
    }
}
