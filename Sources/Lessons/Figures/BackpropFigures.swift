import Foundation
import NeuralNet
import Render
import Trace

/// Backpropagation drawn one chain-rule stage at a time from a trace, and the few
/// gradient-descent steps that follow: the figures of the backprop-by-hand lesson.
enum BackpropFigures {
    /// The computation graph of training step `step` (option, default 0) once per
    /// stage: the forward pass, then each backward stage with the gradients known so
    /// far and the ones it computes shaded. Option `stage` keeps only those stages; one
    /// stage is a single figure, several are a series (a frame per stage).
    static func stages(_ c: FigureContext) throws -> NamedFigure {
        let step = c.integers("step")?.first ?? 0
        let graph = try BackpropGraph(trace: c.main, step: step)
        let chosen = c.integers("stage") ?? Array(graph.stages.indices)
        let frames = try chosen.map { k in
            guard graph.stages.indices.contains(k) else {
                throw FigureUnavailable("no stage \(k): step \(step) has stages 0 (forward) to \(graph.stages.count - 1)")
            }
            return FigureFrame(key: "stage\(k)", label: k == 0 ? "forward" : "backward stage \(k)",
                               figure: try figure(graph, stage: k))
        }
        if frames.count == 1 { return NamedFigure("backprop-step\(step)-stage\(chosen[0])", frames[0].figure) }
        return try FrameSeries.named("backprop-step\(step)", title: "Backpropagation of step \(step), stage by stage",
                                     frames: frames, columns: 2, panelDesignWidth: 720)
    }

    /// Stage `k` of `graph`: gradients of stages 1…k shown, stage k's nodes shaded, its rule
    /// and numbers under the title.
    static func figure(_ graph: BackpropGraph, stage k: Int) throws -> ComputationGraph {
        let stage = graph.stages[k]
        // ∂L/∂L = 1 starts the backward pass.
        let known = Set(graph.stages[...k].flatMap(\.computes) + (k > 0 ? ["L"] : []))
        let nodes = graph.nodes.map { node -> ComputationGraph.Node in
            var shown = node
            if !known.contains(node.id) { shown.gradient = nil }
            return shown
        }
        return try ComputationGraph(title: stage.title, nodes: nodes, edges: graph.edges,
                                    highlighted: Set(stage.computes), notes: [stage.rule] + packed(stage.substitutions))
    }

    /// Substitutions side by side, a few to a line, at most five lines.
    static func packed(_ items: [String], width: Int = 110, lines limit: Int = 5) -> [String] {
        var lines: [String] = []
        for item in items {
            if let last = lines.last, last.count + 5 + item.count <= width {
                lines[lines.count - 1] = last + "     " + item
            } else {
                lines.append(item)
            }
        }
        return lines.count > limit ? Array(lines.prefix(limit - 1)) + ["…"] : lines
    }

    /// Colours of one layer's parameters: six hue families first (blue, vermillion, black,
    /// purple, green, brown), so that no two of a small layer's lines share one (orange
    /// beside vermillion, sky beside blue); sky, orange and yellow only beyond six.
    static let parameterPalette = [0, 3, 7, 4, 2, 9, 5, 1, 6]

    /// Taller than a line chart's default: half the figure's width holds the title, the
    /// ticks and a legend of up to six parameters under the plot, and the plot must still
    /// show each parameter's drift.
    static let panelAspect = 0.75

    /// The loss at each step and every weight and bias of each Dense layer, step by step,
    /// ending with the trained values: each step moves a parameter by −η·∂L/∂w.
    static func parameterSteps(_ c: FigureContext) throws -> Figure {
        let trace = c.main
        let steps = trace.weightSteps
        guard let lastStep = steps.last else { throw FigureUnavailable("the trace keeps no weights (use record: all)") }
        let final = try trace.model().stateDict()
        let loss = try trace.reader.scalars().column(ScalarName.loss)
        var lossChart = try LineChart(title: "Loss L at each step", xLabel: "step", yLabel: "L",
                                      series: [Series(name: "L", x: loss.map { Double($0.step) }, y: loss.map(\.value))],
                                      markers: true)
        lossChart.aspect = panelAspect
        var panels: [Figure] = [lossChart]
        let dense = trace.layers.filter { $0.type == "Dense" }
        for (k, layer) in dense.enumerated() {
            let weightName = "\(layer.name).weight", biasName = "\(layer.name).bias"
            let history = try [weightName, biasName].map { name in
                try steps.map { try trace.reader.tensor(name, kind: .weight, step: $0).scalars } + [final[name]!.scalars]
            }
            let units = layer.outputShape[0], inputs = history[0][0].count / units
            guard inputs * units + units <= 10 else {
                throw FigureUnavailable("\(layer.name) has more parameters than one chart can tell apart")
            }
            let x = (steps + [lastStep + 1]).map(Double.init)
            var series = (0..<(inputs * units)).map { at in
                Series(name: DenseNotation.weight(k + 1, at / units + 1, at % units + 1), x: x, y: history[0].map { Double($0[at]) })
            }
            series += (0..<units).map { j in Series(name: DenseNotation.bias(k + 1, j + 1), x: x, y: history[1].map { Double($0[j]) }) }
            var chart = try LineChart(title: "Layer \(k + 1)'s parameters (\(layer.name))", xLabel: "step",
                                      yLabel: "value", series: series, markers: true,
                                      categories: series.indices.map { parameterPalette[$0 % parameterPalette.count] })
            chart.aspect = panelAspect
            panels.append(chart)
        }
        let rate = trace.reader.manifest.run.hyperparameters["learning_rate"] ?? "η"
        return try SmallMultiples(title: "\(lastStep + 1) steps of gradient descent on the one example",
                                  subtitle: "each step: w ← w − η·∂L/∂w with η = \(rate); the last point is the trained value",
                                  panels: panels, columns: 2)
    }
}
