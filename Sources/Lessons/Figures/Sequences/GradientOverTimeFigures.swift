import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of backpropagation through time: how much the loss at the last step
/// depends on each earlier input, ‖∂L/∂x_t‖ (from the recorded
/// `gradient/<layer>.input` of the probe sequences), for several cells and over
/// training; the accuracy each cell reaches as the distance grows; and what gradient
/// clipping does when the product of step Jacobians explodes.
///
/// By the chain rule ∂L/∂x_t = ∂L/∂h_T · (∏_{s=t+1..T} ∂h_s/∂h_{s−1}) · ∂h_t/∂x_t: one
/// factor per step between t and T, so the curve's slope on a log axis is the log of
/// the typical step factor, and a straight line is an exponential.
enum GradientOverTimeFigures {
    /// The mean over the probe sequences of ‖∂L/∂x_t‖ at every input step t, for the
    /// first recurrent layer of `run` at training step `step`.
    static func inputGradientNorms(_ run: TraceFigures, step: Int) throws -> [Double] {
        let layer = try RecurrentStateFigures.recurrentLayer(run)
        let g = try run.reader.tensor("\(layer.name).input", kind: .gradient, step: step)   // [probe, T, F]
        let (probes, time) = (g.shape[0], g.shape[1]), features = g.count / (probes * time)
        return (0..<time).map { t in
            (0..<probes).map { p -> Double in
                let start = (p * time + t) * features
                return Double(g.scalars[start..<(start + features)].reduce(0) { $0 + $1 * $1 }).squareRoot()
            }.reduce(0, +) / Double(probes)
        }
    }

    /// The training steps at which `run` kept the input gradient of its recurrent layer.
    static func gradientSteps(_ run: TraceFigures) throws -> [Int] {
        let layer = try RecurrentStateFigures.recurrentLayer(run)
        let steps = run.steps(holding: "\(layer.name).input", kind: .gradient)
        guard !steps.isEmpty else {
            throw FigureUnavailable("the trace keeps no gradient/\(layer.name).input (record policy)")
        }
        return steps
    }

    /// Each run's colour, the same in every figure (FIGURES.md habit 4).
    static func category(of name: String, in c: FigureContext) -> Int { c.category(ofRun: name) }

    /// Option `runs` (default all), `at` (`start`, default, or `end`): one line per run,
    /// ‖∂L/∂x_t‖ against t on a log axis, at the first or last recorded step.
    static func overTime(_ c: FigureContext) throws -> Figure {
        let atEnd = c.text("at") == "end"
        var series: [Series] = [], categories: [Int] = []
        var stepShown: Set<Int> = []
        for run in try c.selectedRuns() {
            let steps = try gradientSteps(run.figures)
            let step = atEnd ? steps.last! : steps.first!
            let norms = try inputGradientNorms(run.figures, step: step)
            series.append(Series(name: run.name, x: norms.indices.map { Double($0 + 1) }, y: norms))
            categories.append(category(of: run.name, in: c))
            stepShown.insert(step)
        }
        let when = atEnd ? (stepShown.count == 1 ? "after training (step \(stepShown.first!))" : "after training")
                         : "before training"
        return try LineChart(title: "How much the last step's loss depends on each input, \(when)",
                             xLabel: "input step t (the answer is read after the last)",
                             yLabel: "‖∂L/∂x_t‖ (log scale)", series: series, yScale: .log, categories: categories)
    }

    /// Option `runs` (default all): per run, ‖∂L/∂x_t‖ at every recorded training step
    /// as a heatmap (input step along x, training step down y), log10 on one colour
    /// scale shared by all panels.
    static func heatmaps(_ c: FigureContext) throws -> Figure {
        let runs = try c.selectedRuns()
        let grids = try runs.map { run -> (name: String, steps: [Int], logs: [[Float]]) in
            let steps = try gradientSteps(run.figures)
            let logs = try steps.map { try inputGradientNorms(run.figures, step: $0).map { Float(log10(max($0, 1e-30))) } }
            return (run.name, steps, logs)
        }
        let all = grids.flatMap { $0.logs.flatMap { $0 } }
        let scale = ColorScale.sequential(all, theme: .standard)
        let panels = try grids.map { grid -> Figure in
            let time = grid.logs[0].count
            // TimeUnitHeatmap's rows are its "units": here the recorded training steps.
            let values = (0..<time).flatMap { t in grid.logs.map { $0[t] } }
            return try TimeUnitHeatmap(title: grid.name, tokens: (1...time).map(String.init),
                                       values: FloatArray(shape: [time, grid.steps.count], values: values),
                                       range: .scale(scale), valueLabel: "log₁₀ ‖∂L/∂x_t‖",
                                       unitLabels: grid.steps.map(String.init),
                                       xLabel: "input step t", yLabel: "training step")
        }
        return try SmallMultiples(title: "‖∂L/∂x_t‖ over training: which inputs the gradient reaches",
                                  subtitle: "log₁₀ of the norm, one colour scale for all panels; each row one recorded "
                                      + "training step, from the first (top) to the last",
                                  panels: panels, columns: 1, panelDesignWidth: 900)
    }

    /// Option `runs` (required: the runs that differ only in cell and length): the last
    /// epoch's validation accuracy against the sequence length, one line per cell type,
    /// with chance (one over the number of classes) as a reference line.
    static func accuracyByLength(_ c: FigureContext) throws -> Figure {
        var points: [String: [(length: Double, accuracy: Double)]] = [:], order: [String] = [], first: [String: Int] = [:]
        var classes = 0
        for run in try c.selectedRuns() {
            let manifest = run.figures.reader.manifest
            guard let length = manifest.run.hyperparameters["sequence_length"].flatMap(Double.init),
                  let accuracy = manifest.epochs.last?.value(ScalarName.validationAccuracy),
                  let place = c.runs.firstIndex(where: { $0.name == run.name }) else { continue }
            let cell = try RecurrentStateFigures.recurrentLayer(run.figures).type
            if points[cell] == nil { order.append(cell) }
            // The cell's colour is that of its first run in the lesson (the one the other figures
            // show): the earliest place among all runs, not the smallest colour index.
            first[cell] = min(first[cell] ?? place, place)
            points[cell, default: []].append((length, Double(accuracy)))
            classes = run.figures.layers.last?.outputShape.last ?? classes
        }
        guard !order.isEmpty else { throw FigureUnavailable("no run recorded a sequence length and a validation accuracy") }
        let series = order.map { cell -> Series in
            let sorted = points[cell]!.sorted { $0.length < $1.length }
            return Series(name: cell, x: sorted.map(\.length), y: sorted.map { 100 * $0.accuracy })
        }
        let categories = order.map { category(of: c.runs[first[$0]!].name, in: c) }
        let chance = classes > 1
            ? [ReferenceLine(100 / Double(classes), label: String(format: "chance: 1 in %d = %.1f %%", classes, 100 / Double(classes)))]
            : []
        return try LineChart(title: "Recalling the first symbol: validation accuracy after training, by distance",
                             xLabel: "sequence length (steps between the symbol and the answer + 1)",
                             yLabel: "validation accuracy (%)", series: series, markers: true,
                             categories: categories, yRange: 0...105, referenceLines: chance)
    }

    /// Option `runs` (default all): the global gradient norm at every step (before any
    /// clipping, log axis) with each run's clipping threshold, and the training loss.
    static func clipping(_ c: FigureContext) throws -> Figure {
        let runs = try c.selectedRuns()
        var norms: [Series] = [], losses: [Series] = [], categories: [Int] = []
        var thresholds: [(String, Double)] = []
        for run in runs {
            let scalars = try run.figures.reader.scalars()
            let norm = scalars.column(ScalarName.globalGradientNorm), loss = scalars.column(ScalarName.loss)
            guard !norm.isEmpty else { throw FigureUnavailable("\(run.name) recorded no global_grad_norm") }
            norms.append(Series(name: run.name, x: norm.map { Double($0.step) }, y: norm.map(\.value)))
            losses.append(Series(name: run.name, x: loss.map { Double($0.step) }, y: loss.map(\.value)))
            categories.append(category(of: run.name, in: c))
            if let clip = run.figures.reader.manifest.run.hyperparameters["clip_norm"].flatMap(Double.init) {
                thresholds.append((run.name, clip))
            }
        }
        let panels: [Figure] = [
            try LineChart(title: "Global gradient norm, before clipping", xLabel: "training step",
                          yLabel: "‖∂L/∂θ‖ (log scale)", series: norms, yScale: .log, categories: categories,
                          // One clipped run: the legend says which, and a short label finds a gap in the data.
                          referenceLines: thresholds.map { name, clip in
                              ReferenceLine(clip, label: "clip_norm \(Ticks.compact(clip))" + (thresholds.count > 1 ? " (\(name))" : "")) }),
            try LineChart(title: "Training loss", xLabel: "training step", yLabel: "cross-entropy (nats)",
                          series: losses, categories: categories),
        ]
        return try SmallMultiples(title: "Exploding gradients, with and without clipping",
                                  subtitle: "clipping rescales the whole gradient to the threshold when its norm is above it",
                                  panels: panels, columns: 2, panelDesignWidth: 560)
    }
}
