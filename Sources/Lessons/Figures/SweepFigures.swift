import Foundation
import NeuralNet
import Render
import Trace

/// The learning-rate × batch-size sweep of a lesson (`sweep:`), read back from
/// the runs it made: a table of the final validation metric and the same numbers
/// as lines against the learning rate.
enum SweepFigures {
    /// A heatmap (rows: learning rate, columns: batch size, value printed in each
    /// cell) beside a chart of the metric against the learning rate on a log axis,
    /// one line per batch size. Option `metric`: `val_accuracy` (default, in %) or
    /// `val_loss`. A diverged run has no value and shows as a missing cell. An accuracy
    /// measured on n examples is itself noisy: its standard error √(p(1 − p)/n) is
    /// drawn as a bar on each point and quoted in the subtitle, so that two settings
    /// whose difference is within it are not read as one being better.
    static func sweep(_ c: FigureContext) throws -> Figure {
        let metric = c.word("metric", MetricName.self) ?? .validationAccuracy
        try metric.check(against: c.main.recordedHeldOutSet)
        let grid = try SweepGrid(runs: c.runs, metric: metric)
        let examples = HeldOutSet.examples(c.main.reader.manifest.run)
        let name = metric.label(on: c.main.epochMetricsSet)
        let label = metric.higherIsBetter ? "\(name) (%)" : name
        let table = try Heatmap(title: "Final \(label)", values: grid.table, rowLabels: grid.learningRates.map { "\($0)" },
                                columnLabels: grid.batchSizes.map { "\($0)" }, xLabel: "batch size",
                                yLabel: "learning rate", valueLabel: label, signed: false, showValues: true)
        let lines = grid.batchSizes.enumerated().map { j, batchSize in
            let y = grid.learningRates.indices.map { Double(grid.table.values[$0 * grid.batchSizes.count + j]) }
            return Series(name: "batch size \(batchSize)", x: grid.learningRates, y: y,
                          errors: metric.higherIsBetter ? examples.map { n in y.map { SweepGrid.standardError(percent: $0, examples: n) } } : nil)
        }
        // A short title: the panel is half the figure's width and its y label names the metric.
        var chart = try LineChart(title: "Against the learning rate",
                                  xLabel: "learning rate", yLabel: label, series: lines, xScale: .log, markers: true,
                                  categories: c.spareCategories(lines.count))
        // Each rate tried gets its tick, as the heatmap's rows name them.
        chart.xTicks = grid.learningRates
        return try SmallMultiples(title: "Learning rate × batch size: \(grid.runCount) runs of \(grid.epochsText)",
                                  subtitle: grid.bestText(metric: metric, examples: metric.higherIsBetter ? examples : nil),
                                  panels: [table, chart], columns: 2)
    }
}

/// The sweep's runs arranged as a grid: each variant whose name a `SweepSpec`
/// gives (`lr=0.001_bs=32`) put at its learning rate and batch size, with its
/// last epoch's value of `metric` — none if the run stopped before its last
/// epoch (it diverged).
struct SweepGrid {
    let learningRates: [Double]
    let batchSizes: [Int]
    /// `[learning rates, batch sizes]`; NaN where a run has no value (diverged).
    let table: FloatArray
    let runCount: Int
    let epochs: Set<Int>

    init(runs: [(name: String, figures: TraceFigures)], metric: MetricName) throws {
        var values: [String: Double] = [:], epochs = Set<Int>()
        var rates = Set<Double>(), sizes = Set<Int>(), runCount = 0
        for run in runs {
            guard let point = SweepSpec.point(inVariantNamed: run.name) else { continue }
            let manifest = run.figures.reader.manifest
            guard manifest.run.hyperparameters["learning_rate"] == "\(point.learningRate)",
                  manifest.run.hyperparameters["batch_size"] == "\(point.batchSize)" else {
                throw FigureUnavailable("run '\(run.name)' was trained with another learning rate or batch size "
                                        + "(--lr and --batch-size override every run of a lesson)")
            }
            rates.insert(point.learningRate)
            sizes.insert(point.batchSize)
            let planned = Int(manifest.run.hyperparameters["epochs"] ?? "") ?? manifest.epochs.count
            if manifest.epochs.count == planned { values[run.name] = manifest.epochs.last?.value(metric.scalar) }
            epochs.insert(planned)
            runCount += 1
        }
        guard runCount > 0 else {
            throw FigureUnavailable("the lesson has no sweep runs (a 'sweep:' key makes them)")
        }
        let (learningRates, batchSizes) = (rates.sorted(), sizes.sorted())
        self.learningRates = learningRates
        self.batchSizes = batchSizes
        // Accuracies in % rounded to one decimal here, from the double, exactly as the runs
        // table and key results print them (`KeyResults.accuracy`): rounded only later as a
        // Float, 49.25 would print as 49.2 in a cell where the runs table says 49.3 %.
        let percent = metric.higherIsBetter
        table = try FloatArray(shape: [learningRates.count, batchSizes.count], values: learningRates.flatMap { lr in
            batchSizes.map { bs in
                let value = values[SweepSpec.variantName(learningRate: lr, batchSize: bs)] ?? .nan
                return Float(percent && value.isFinite ? Double(String(format: "%.1f", value * 100))! : value)
            }
        })
        self.runCount = runCount
        self.epochs = epochs
    }

    var epochsText: String {
        epochs.count == 1 ? "\(epochs.first!) epoch\(epochs.first! == 1 ? "" : "s") each" : "differing lengths"
    }

    /// The standard error, in percentage points, of an accuracy of `percent` % measured
    /// on `examples` examples: √(p(1 − p)/n), each example a coin that lands right with p.
    static func standardError(percent: Double, examples: Int) -> Double {
        let p = percent / 100
        return 100 * (p * (1 - p) / Double(max(examples, 1))).squareRoot()
    }

    /// Where the best value is, in words, with its standard error when the size of the
    /// validation set is known (`examples`).
    func bestText(metric: MetricName, examples: Int? = nil) -> String {
        let higherIsBetter = metric.higherIsBetter
        let cells = table.values.indices.filter { table.values[$0].isFinite }
        guard let best = higherIsBetter ? cells.max(by: { table.values[$0] < table.values[$1] })
                                        : cells.min(by: { table.values[$0] < table.values[$1] }) else {
            return "every run diverged"
        }
        let lr = learningRates[best / batchSizes.count], bs = batchSizes[best % batchSizes.count]
        let value = Double(table.values[best])
        let noise = examples.map { n in
            " ± \(Ticks.fixed(Self.standardError(percent: value, examples: n), decimals: 1)) "
                + "(bars: one standard error on \(n) validation examples)"
        } ?? ""
        return "best on the validation set: learning rate \(lr), batch size \(bs): "
            + "\(Ticks.fixed(value, decimals: higherIsBetter ? 1 : 3))\(higherIsBetter ? " %" : "")\(noise)"
    }
}
