import Foundation
import NeuralNet
import Render
import Tensor

/// Figures about activation functions: each function and its slope as the
/// engine computes them, which units of a trained network stopped passing
/// gradient (dead ReLUs, saturated sigmoids), and how large the gradient
/// reaching each layer is in each run (vanishing gradients).
enum ActivationFigures {
    /// The elementwise activations drawn.
    static let functionNames: [ActivationName] = [.sigmoid, .tanh, .relu, .leakyReLU]

    /// f(x) and f′(x) at each x through the engine's `ActivationLayer`: its
    /// forward pass gives y = f(x), its backward pass of dL/dy = 1 gives dL/dx = f′(x).
    static func curve(of activation: Activation, at xs: [Float]) throws -> (values: [Float], slopes: [Float]) {
        let layer = ActivationLayer(activation, name: activation.name)
        _ = try layer.build(inputShape: [1], seed: 0)
        let x = Tensor(shape: [xs.count, 1], scalars: xs)
        let y = try layer.forward(x, context: .inference)
        let slope = layer.backward(Tensor(shape: x.shape, repeating: 1), inputGradient: true)!
        return (y.scalars, slope.scalars)
    }

    /// Softmax probabilities of the logits (x, others...) for each x, and
    /// ∂p₁/∂x = p₁(1 − p₁), through the engine's `SoftmaxLayer`: backward of
    /// dL/dp = (1, 0, ..., 0) gives dL/dz₁ = p₁(1 − p₁).
    static func softmaxSweep(firstLogit xs: [Float], otherLogits: [Float]) throws
        -> (probabilities: [[Float]], slope: [Float]) {
        let classes = 1 + otherLogits.count
        let layer = SoftmaxLayer(name: "softmax")
        _ = try layer.build(inputShape: [classes], seed: 0)
        let logits = Tensor(shape: [xs.count, classes], scalars: xs.flatMap { [$0] + otherLogits })
        let p = try layer.forward(logits, context: .inference)
        var firstClass = Tensor(shape: logits.shape)
        for row in 0..<xs.count { firstClass.scalars[row * classes] = 1 }
        let slope = layer.backward(firstClass, inputGradient: true)!
        let probabilities = (0..<classes).map { k in (0..<xs.count).map { p.scalars[$0 * classes + k] } }
        return (probabilities, (0..<xs.count).map { slope.scalars[$0 * classes] })
    }

    /// One panel per activation (f and f′ on x ∈ [−5, 5]) and one for softmax.
    static func functions(_ c: FigureContext) throws -> Figure {
        let xs = (0...200).map { Float($0) / 20 - 5 }
        let axis = xs.map(Double.init)
        func series(_ name: String, _ values: [Float]) -> Series { Series(name: name, x: axis, y: values.map(Double.init)) }
        var panels: [Figure] = try functionNames.map { name in
            let activation = name.activation
            let (values, slopes) = try curve(of: activation, at: xs)
            var chart = try LineChart(title: formula(of: activation), xLabel: "x", yLabel: "",
                                      series: [series("f(x)", values), series("f′(x)", slopes)])
            chart.aspect = panelAspect
            return chart
        }
        let others: [Float] = [1, -1]
        let (p, slope) = try softmaxSweep(firstLogit: xs, otherLogits: others)
        // The slope in orange as f′ is in every other panel, the probabilities in three
        // other families (blue, green, black: vermillion would sit beside that orange).
        var softmax = try LineChart(
            title: "softmax of (x, 1, −1)", xLabel: "x (logit of class 1)", yLabel: "",
            series: p.indices.map { series("p\($0 + 1)", p[$0]) } + [series("∂p1/∂x", slope)],
            categories: [0, 2, 7, 1])
        softmax.aspect = panelAspect
        panels.append(softmax)
        return try SmallMultiples(title: "Activation functions and their slopes, as the engine computes them",
                                  subtitle: "f′ is what backpropagation multiplies the gradient by", panels: panels)
    }

    /// Taller than a line chart's default: a panel in a row of three keeps its text at the
    /// figure's size, and its title, ticks and legend row would leave a sliver of plot.
    static let panelAspect = 0.8

    static func formula(of activation: Activation) -> String {
        switch activation {
        case .sigmoid: return "σ(x) = 1 / (1 + e⁻ˣ)"
        case .tanh: return "tanh(x)"
        case .relu: return "ReLU: max(0, x)"
        case let .leakyReLU(alpha): return "leaky ReLU: max(\(alpha)·x, x)"
        case .linear: return "linear x"
        case .gelu: return "GELU x · Φ(x)"
        }
    }
}

extension ActivationFigures {
    /// Per run, per layer with a nonlinearity: the fraction of its units stuck
    /// on every probe example (the handout's still and the first frame), and the
    /// fraction of stuck values (the second frame), at every step whose probe
    /// activations the trace keeps.
    static func unitSaturation(_ c: FigureContext) throws -> NamedFigure {
        let threshold = Float(c.numbers("threshold")?.first ?? 0.01)
        var unitPanels: [Figure] = [], valuePanels: [Figure] = []
        var probeSize = 0
        for run in try c.selectedRuns() {
            let layers = try nonlinearLayers(of: run.figures)
            guard let steps = layers.first.map({ run.figures.steps(holding: $0.name, kind: .activation) }),
                  !steps.isEmpty else { continue }
            var units: [Series] = [], values: [Series] = []
            for layer in layers {
                let measured = try steps.map { step -> UnitSaturation in
                    let outputs = try run.figures.reader.tensor(layer.name, kind: .activation, step: step)
                    probeSize = outputs.shape[0]
                    return UnitSaturation(outputs: outputs, activation: layer.activation, threshold: threshold)
                }
                let x = steps.map(Double.init)
                units.append(Series(name: layer.name, x: x, y: measured.map(\.stuckUnits)))
                values.append(Series(name: layer.name, x: x, y: measured.map(\.stuckValues)))
            }
            let rate = run.figures.reader.manifest.run.hyperparameters["learning_rate"].map { ", lr \($0)" } ?? ""
            let title = "\(run.name) (\(Set(layers.map(\.activation.name)).sorted().joined(separator: ", "))\(rate))"
            let colours = layers.map { run.figures.layerColor(of: $0.name) }
            var unitChart = try LineChart(title: title, xLabel: "step", yLabel: "fraction of units", series: units, yRange: -0.03...1.03)
            var valueChart = try LineChart(title: title, xLabel: "step", yLabel: "fraction of values", series: values, yRange: -0.03...1.03)
            unitChart.colors = colours
            valueChart.colors = colours
            unitPanels.append(unitChart.flattened)
            valuePanels.append(valueChart.flattened)
        }
        guard !unitPanels.isEmpty else {
            throw FigureUnavailable("no run keeps probe activations of a layer with a nonlinearity (record policy 'none'?)")
        }
        let rule = "f′ < \(threshold) × its largest value (ReLU: output 0)"
        let units = try SmallMultiples(
            title: "Dead or saturated units per layer",
            subtitle: "a unit is stuck when \(rule) for all \(probeSize) probe examples", panels: unitPanels, columns: 2)
        let values = try SmallMultiples(
            title: "Stuck values per layer: units passing no gradient, per example",
            subtitle: "fraction of (example, unit) pairs with \(rule), over \(probeSize) probe examples",
            panels: valuePanels, columns: 2)
        return NamedFigure("unit-saturation", units, frames: [
            FigureFrame(key: "units", label: "stuck units", figure: units),
            FigureFrame(key: "values", label: "stuck values", figure: values),
        ])
    }

    /// The layers whose output went through a nonlinearity, in order, with it.
    static func nonlinearLayers(of run: TraceFigures) throws -> [(name: String, activation: Activation)] {
        try run.architecture().model().layers.compactMap { layer in
            let activation: Activation?
            switch layer {
            case let dense as Dense: activation = dense.activation
            case let conv as Conv2D: activation = conv.activation
            case let separate as ActivationLayer: activation = separate.activation
            default: activation = nil
            }
            guard let activation, activation != .linear else { return nil }
            return (layer.name, activation)
        }
    }

    /// Each run's per-layer gradient norms in a panel of its own.
    static func gradientNormsPerRun(_ c: FigureContext) throws -> Figure {
        let panels = try c.selectedRuns().map { try $0.figures.gradientNorms(title: $0.name).flattened }
        return try SmallMultiples(title: "Gradient norm ‖∂L/∂W‖ per layer in each run",
                                  subtitle: "log scale, each panel with its own range", panels: panels, columns: 2)
    }
}

private extension LineChart {
    /// The chart at 0.45 of its width instead of 0.55: the 2 × 2 grids of stuck units and
    /// of gradient norms then fit one handout page together (their levels and trends read
    /// as well flatter).
    var flattened: LineChart {
        var chart = self
        chart.aspect = 0.45
        return chart
    }
}
