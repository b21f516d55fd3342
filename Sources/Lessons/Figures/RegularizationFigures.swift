import Foundation
import NeuralNet
import Render
import Trace

/// Figures that set a baseline beside its regularised twins (dropout, L2, early
/// stopping): each run's own training curves on scales shared by all of them, and
/// the final distribution of one layer's weights per run.
enum RegularizationFigures {
    /// Option `runs` (default: all), `columns` (default 2): one `TrainingCurves`
    /// panel per run, with one loss scale, one accuracy scale and one epoch axis
    /// for all, so the gap between training and validation compares at a glance.
    static func runCurves(_ c: FigureContext) throws -> Figure {
        let runs = try c.selectedRuns()
        let records = try runs.map { try dataLossRecord($0.figures) }
        func range(_ metric: (TrainingCurvesRecord) -> TrainingCurves.Metric?) -> (Double, Double)? {
            let values = records.compactMap(metric).flatMap { $0.trainPerStep + $0.validationPerEpoch }
            return Scale.domain(of: values, kind: .linear, padding: 0.03)
        }
        let lossRange = range(\.loss), accuracyRange = range(\.accuracy)
        let epochs = runs.map { Double($0.figures.reader.manifest.epochs.count) }.max() ?? 1
        let panels = TrainingCurves.aligningLegends(try zip(runs, records).map { run, record in
            var loss = record.loss, accuracy = record.accuracy
            loss.yRange = lossRange
            accuracy?.yRange = accuracyRange
            return try TrainingCurves(title: run.name, stepsPerEpoch: record.stepsPerEpoch, loss: loss, accuracy: accuracy,
                                      earlyStopEpoch: run.figures.earlyStopEpoch, epochRange: (0, epochs + 0.5),
                                      heldOutName: run.figures.epochMetricsSet.rawValue,
                                      marksBestEpoch: run.figures.epochMetricsSet == .validation,
                                      trainCategory: c.category(ofRun: run.name), heldOutCategory: c.heldOutCategory)
        })
        let penalised = runs.filter { $0.figures.reader.manifest.run.hyperparameters["l2"] != nil }.map(\.name)
        let note = penalised.isEmpty ? "" : "; the loss of " + penalised.joined(separator: ", ") + " is shown without its L2 penalty"
        return try SmallMultiples(title: "Training and validation, run by run, on shared scales",
                                  subtitle: "The gap between the training and validation curves is what the network memorised" + note,
                                  panels: panels, columns: c.integers("columns")?.first ?? 2, panelDesignWidth: 560)
    }

    /// Option `runs` (default: all): each run's validation loss per epoch on one chart zoomed to the values after each run's best epoch, so that
    /// the rise of a few hundredths that is overfitting's signature, flat on run-curves'
    /// shared scale, shows. Earlier epochs enter from above the axis.
    static func validationLosses(_ c: FigureContext) throws -> Figure {
        let drawn: [(series: Series, category: Int)] = try c.selectedRuns().compactMap { run in
            let loss = try dataLossRecord(run.figures).loss.validationPerEpoch
            guard loss.contains(where: \.isFinite) else { return nil }
            return (Series(name: run.name, x: loss.indices.map { Double($0 + 1) }, y: loss), c.category(ofRun: run.name))
        }
        guard !drawn.isEmpty else { throw FigureUnavailable("no run has a validation loss") }
        let afterBest = drawn.flatMap { run in
            let finite = run.series.y.enumerated().filter { $0.element.isFinite }
            let best = finite.min { $0.element < $1.element }!.offset
            return run.series.y[best...].filter(\.isFinite)
        }
        let (low, high) = (afterBest.min()!, afterBest.max()!)
        let pad = max(high - low, 0.01) * 0.25
        let label = MetricName.validationLoss.label(on: c.main.epochMetricsSet)
        return try LineChart(title: "\(label.prefix(1).uppercased() + label.dropFirst()) of each run after every epoch, zoomed in",
                             xLabel: "epoch", yLabel: label, series: drawn.map(\.series), markers: true,
                             categories: drawn.map(\.category), yRange: (low - pad)...(high + pad))
    }

    /// A run's training record with its L2 penalty, if it had one, taken out of the
    /// training loss (validation losses never carry it): what remains is the data loss
    /// that all runs share.
    static func dataLossRecord(_ run: TraceFigures) throws -> TrainingCurvesRecord {
        var record = try run.trainingRecord()
        guard let penalty = try run.l2Penalty() else { return record }
        let steps = try run.reader.scalars().column(ScalarName.loss).map(\.step)
        record.loss.trainPerStep = zip(record.loss.trainPerStep, steps).map { $0 - (penalty[$1] ?? .nan) }
        return record
    }

    /// Option `runs` (default: all), `layer` (default: the first layer with weights),
    /// `bins` (default 60): the share of the layer's final weights in each bin of one
    /// value range shared by all runs, one line per run.
    static func weightHistograms(_ c: FigureContext) throws -> Figure {
        let runs = try c.selectedRuns()
        guard let layer = c.text("layer") ?? c.main.layers.first(where: { !$0.parameters.isEmpty })?.name else {
            throw FigureUnavailable("the model has no parameters")
        }
        let name = "\(layer).weight"
        let weights: [[Float]] = try runs.map { run in
            guard let p = try run.figures.model().parameters.first(where: { $0.name == name }) else {
                throw FigureUnavailable("run '\(run.name)' has no parameter \(name)")
            }
            return p.value.scalars
        }
        let bins = max(2, c.integers("bins")?.first ?? 60)
        let reach = Double(weights.flatMap { $0.map { abs($0) } }.max() ?? 0)
        guard reach > 0 else { throw FigureUnavailable("every weight of \(name) is zero") }
        let series = zip(runs, weights).map { run, values in
            let h = histogram(values, bins: bins, lower: -reach, upper: reach)
            return Series(name: String(format: "%@ (std %.3f)", run.name, standardDeviation(values)),
                          x: h.centres, y: h.shares.map { $0 * 100 })
        }
        var chart = try LineChart(title: "Final weights of \(layer): share of the \(weights[0].count) weights per value",
                                  xLabel: "weight value", yLabel: "% of weights", series: series,
                                  categories: runs.map { c.category(ofRun: $0.name) })
        // Its point, the L2 spike at 0 against the baseline's flat top, is a shape across
        // x: flatter than a chart's usual 0.55, so that it shares a handout page with the
        // zoomed validation losses and the paragraph that reads it.
        chart.aspect = 0.42
        return chart
    }

    /// Bin centres and the share of `values` in each of `bins` equal bins over [lower, upper].
    static func histogram(_ values: [Float], bins: Int, lower: Double, upper: Double) -> (centres: [Double], shares: [Double]) {
        let width = (upper - lower) / Double(bins)
        var counts = [Double](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, max(0, Int((Double(v) - lower) / width)))] += 1 }
        return ((0..<bins).map { lower + (Double($0) + 0.5) * width }, counts.map { $0 / Double(max(values.count, 1)) })
    }

    static func standardDeviation(_ values: [Float]) -> Double {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(max(values.count, 1))
        return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(max(values.count, 1))).squareRoot()
    }
}
