import Foundation
import NeuralNet
import Render
import Trace

/// One training step of a small dense network as a graph of scalars, read from its
/// trace: every input x, weight w, bias b, pre-activation z, activation a, output ŷ,
/// target y and the loss L is a node with its value (forward pass) and ∂L/∂node
/// (backward pass), and the backward pass is cut into the stages of the chain rule,
/// from the loss back to the first layer's weights. `BackpropFigures` draws one
/// figure per stage.
///
/// Values are the trace's tensors at that step: the probe example's input,
/// activations and ∂L/∂(layer output), the weights its forward pass used, the
/// parameter gradients of the training step, the step's loss. The target y is not
/// in the trace; for the MSE loss it follows from ŷ and ∂L/∂ŷ = 2(ŷ − y)/n, so
/// y = ŷ − (n/2)·∂L/∂ŷ. This needs Dense layers each followed by an activation
/// layer of its own (so the trace holds z and a = f(z) apart), a probe of one
/// example, and a training batch of that same example (checked: ∂L/∂b = ∂L/∂z).
struct BackpropGraph {
    /// One stage of the walk-through: stage 0 is the forward pass.
    struct Stage {
        var title: String
        /// Nodes whose gradient this stage computes (none for the forward pass).
        var computes: [String]
        /// The stage's rule, then the rule with the trace's numbers put in.
        var rule: String
        var substitutions: [String]
    }

    /// A Dense layer's quantities at the step, row-major as the trace stores them.
    struct DenseQuantities {
        var name: String
        /// Ids of the layer's inputs (x, or the previous layer's outputs).
        var inputs: [String]
        var weight: [Double], weightGradient: [Double]
        var bias: [Double], biasGradient: [Double]
        var z: [Double], zGradient: [Double]
        /// The activation layer after it: its type (`Sigmoid`), its function f, a = f(z) and ∂L/∂a.
        var activation: (type: String, function: Activation, a: [Double], gradient: [Double])?
        var units: Int { bias.count }
    }

    /// Larger graphs are no longer readable as one picture.
    static let maximumNodes = 40

    let step: Int
    private(set) var nodes: [ComputationGraph.Node] = []
    private(set) var edges: [ComputationGraph.Edge] = []
    private(set) var stages: [Stage] = []
    private var index: [String: Int] = [:]

    init(trace: TraceFigures, step: Int) throws {
        self.step = step
        let run = trace.reader.manifest.run
        guard run.hyperparameters["loss"].flatMap(LossName.init(rawValue:)) == .mse else {
            throw FigureUnavailable("backprop-steps draws the MSE loss; this run uses \(run.hyperparameters["loss"] ?? "?")")
        }
        guard run.hyperparameters["l2"] == nil else { throw FigureUnavailable("backprop-steps draws a loss without L2") }
        guard trace.steps(holding: "input", kind: .input).contains(step) else {
            throw FigureUnavailable("the trace keeps no probe example at step \(step) (use record: all)")
        }
        let x = try trace.reader.tensor("input", kind: .input, step: step)
        guard x.shape.count == 2, x.shape[0] == 1 else {
            throw FigureUnavailable("backprop-steps follows one example; the probe holds \(x.shape[0]) (give one inline example)")
        }
        let layers = try Self.denseLayers(trace, step: step, inputs: x.shape[1])
        let count = x.shape[1] + layers.map { $0.weight.count + 2 * $0.units + ($0.activation == nil ? 0 : $0.units) }
            .reduce(0, +) + 2 * (layers.last?.units ?? 0) + 1
        guard count <= Self.maximumNodes else {
            throw FigureUnavailable("the network has \(count) scalars, more than one readable graph holds (\(Self.maximumNodes))")
        }
        let loss = try trace.reader.scalars().column(ScalarName.loss).first { $0.step == step }
        guard let loss else { throw FigureUnavailable("the trace has no loss at step \(step)") }
        build(input: x.scalars.map(Double.init), layers: layers, loss: loss.value)
    }

    /// The quantities of each Dense layer and of the activation layer after it.
    static func denseLayers(_ trace: TraceFigures, step: Int, inputs inputCount: Int) throws -> [DenseQuantities] {
        for (i, spec) in try trace.architecture().layers.enumerated() {
            guard case let .dense(_, activation, _, _, _, _) = spec, activation != .linear else { continue }
            throw FigureUnavailable("backprop-steps needs each activation as a layer of its own ({type: Sigmoid}), "
                                    + "so that the trace keeps z and a apart; layer \(i + 1) has activation: \(activation.rawValue)")
        }
        func read(_ name: String, _ kind: TensorKind) throws -> [Double] {
            guard trace.steps(holding: name, kind: kind).contains(step) else {
                throw FigureUnavailable("the trace keeps no \(kind.rawValue) \(name) at step \(step) (use record: all)")
            }
            return try trace.reader.tensor(name, kind: kind, step: step).scalars.map(Double.init)
        }
        var functions: [String: Activation] = [:]
        for case let layer as ActivationLayer in try trace.architecture().model().layers { functions[layer.name] = layer.activation }
        var layers: [DenseQuantities] = []
        var inputs = (1...inputCount).map { "x\($0)" }
        for layer in trace.layers {
            if layer.type == "Dense" {
                let l = layers.count + 1
                layers.append(DenseQuantities(
                    name: layer.name, inputs: inputs,
                    weight: try read("\(layer.name).weight", .weight), weightGradient: try read("\(layer.name).weight", .gradient),
                    bias: try read("\(layer.name).bias", .weight), biasGradient: try read("\(layer.name).bias", .gradient),
                    z: try read(layer.name, .activation), zGradient: try read(layer.name, .gradient), activation: nil))
                inputs = (1...layers[l - 1].units).map { "z\(l)_\($0)" }
            } else if let function = functions[layer.name], let last = layers.last, last.activation == nil {
                layers[layers.count - 1].activation = (layer.type, function, try read(layer.name, .activation),
                                                       try read(layer.name, .gradient))
                inputs = (1...last.units).map { "a\(layers.count)_\($0)" }
            } else {
                throw FigureUnavailable("backprop-steps draws Dense layers each with one activation layer; \(layer.name) is \(layer.type)")
            }
        }
        guard !layers.isEmpty else { throw FigureUnavailable("the model has no Dense layer") }
        // The parameter gradients are the training batch's; they belong to this graph only if
        // that batch is the probe example itself, and then ∂L/∂b = ∂L/∂z.
        for layer in layers where zip(layer.biasGradient, layer.zGradient).contains(where: { abs($0 - $1) > 1e-6 + 1e-4 * abs($1) }) {
            throw FigureUnavailable("\(layer.name): the step's parameter gradients are not those of the probe example "
                                    + "(train on the one example with batch_size 1)")
        }
        return layers
    }
}

// MARK: - Nodes and stages

extension BackpropGraph {
    private mutating func add(_ id: String, _ label: String, _ value: Double, _ gradient: Double? = nil,
                              op: String? = nil, from sources: [String] = []) {
        index[id] = nodes.count
        nodes.append(ComputationGraph.Node(id: id, label: label, value: value, gradient: gradient, operation: op))
        edges += sources.map { ComputationGraph.Edge(from: $0, to: id) }
    }

    func node(_ id: String) -> ComputationGraph.Node { nodes[index[id]!] }

    private mutating func build(input: [Double], layers: [DenseQuantities], loss: Double) {
        for (i, v) in input.enumerated() { add("x\(i + 1)", "x" + DenseNotation.sub(i + 1), v) }
        let outputs = layers.last!.units
        for (k, layer) in layers.enumerated() {
            let l = k + 1, last = k == layers.count - 1
            for j in 1...layer.units {
                var sources: [String] = []
                for (i, input) in layer.inputs.enumerated() {
                    let at = i * layer.units + j - 1
                    add("w\(l)_\(i + 1)_\(j)", DenseNotation.weight(l, i + 1, j), layer.weight[at], layer.weightGradient[at])
                    sources += [input, "w\(l)_\(i + 1)_\(j)"]
                }
                add("b\(l)_\(j)", DenseNotation.bias(l, j), layer.bias[j - 1], layer.biasGradient[j - 1])
                let zLabel = last && layer.activation == nil ? DenseNotation.output(j, of: outputs) : "z" + DenseNotation.unit(l, j)
                add("z\(l)_\(j)", zLabel, layer.z[j - 1], layer.zGradient[j - 1], op: "Σ", from: sources + ["b\(l)_\(j)"])
                if let f = layer.activation {
                    let label = last ? DenseNotation.output(j, of: outputs) : "a" + DenseNotation.unit(l, j)
                    add("a\(l)_\(j)", label, f.a[j - 1], f.gradient[j - 1], op: DenseNotation.symbol(f.function), from: ["z\(l)_\(j)"])
                }
            }
        }
        let output = layers.last!
        let prediction = output.activation.map { $0.a } ?? output.z
        let predictionGradient = output.activation.map { $0.gradient } ?? output.zGradient
        let outputIDs = (1...outputs).map { output.activation == nil ? "z\(layers.count)_\($0)" : "a\(layers.count)_\($0)" }
        for j in 0..<outputs {
            // y from ∂L/∂ŷ = 2(ŷ − y)/n (the trace keeps no targets).
            let y = prediction[j] - Double(outputs) / 2 * predictionGradient[j]
            add("y\(j + 1)", "y" + (outputs == 1 ? "" : DenseNotation.sub(j + 1)), y)
        }
        add("L", "L", loss, 1, op: "mse", from: outputIDs + (1...outputs).map { "y\($0)" })
        stages = [forwardStage(layers, outputIDs)] + backwardStages(layers, outputIDs)
    }

    /// z = Σ w·x + b and a = f(z) for each layer's first unit, and the loss.
    private func forwardStage(_ layers: [DenseQuantities], _ outputIDs: [String]) -> Stage {
        var lines: [String] = []
        for (k, layer) in layers.enumerated() {
            let z = node("z\(k + 1)_1")
            let terms = layer.inputs.enumerated().map { i, input in
                "\(factor(node("w\(k + 1)_\(i + 1)_1").value))·\(factor(node(input).value))"
            }
            lines.append("\(z.label) = \(terms.joined(separator: " + ")) + \(n(node("b\(k + 1)_1").value)) = \(n(z.value))")
            if let f = layer.activation {
                let a = node("a\(k + 1)_1")
                lines.append("\(a.label) = \(DenseNotation.symbol(f.function))(\(n(z.value))) = \(n(a.value))")
            }
        }
        let errors = outputIDs.enumerated().map { j, id in "(\(n(node(id).value)) − \(n(node("y\(j + 1)").value)))²" }
        let mean = outputIDs.count == 1 ? errors[0] : "(\(errors.joined(separator: " + ")))/\(outputIDs.count)"
        lines.append("L = \(mean) = \(n(node("L").value))")
        return Stage(title: "Forward pass at step \(step): every value from the inputs to the loss", computes: [],
                     rule: "z = Σᵢ wᵢ·xᵢ + b,   a = f(z),   L = mean of (ŷ − y)²", substitutions: lines)
    }

    /// ∂L/∂ŷ, then per layer from the last: ∂L/∂z (through f), ∂L/∂w and ∂L/∂b, ∂L/∂(its inputs).
    private func backwardStages(_ layers: [DenseQuantities], _ outputIDs: [String]) -> [Stage] {
        let count = outputIDs.count
        var stages = [Stage(
            title: "Backward 1: ∂L/∂ŷ, how the loss changes with the output", computes: outputIDs,
            rule: "L = (1/n) Σⱼ (ŷⱼ − yⱼ)²   ⇒   ∂L/∂ŷⱼ = 2(ŷⱼ − yⱼ)/n,   n = \(count)",
            substitutions: outputIDs.enumerated().map { j, id in
                let y = node(id)
                return "∂L/∂\(y.label) = 2·(\(n(y.value)) − \(n(node("y\(j + 1)").value)))/\(count) = \(n(y.gradient!))"
            })]
        for (k, layer) in layers.enumerated().reversed() {
            let l = k + 1
            if let f = layer.activation {
                stages.append(Stage(
                    title: "Backward \(stages.count + 1): ∂L/∂z\(DenseNotation.sup(l)), through layer \(l)'s \(f.type) (\(layer.name))",
                    computes: (1...layer.units).map { "z\(l)_\($0)" },
                    rule: "∂L/∂z = ∂L/∂a · f′(z),   f′(z) = \(DenseNotation.derivativeRule(f.function))",
                    substitutions: (1...layer.units).map { j in
                        let z = node("z\(l)_\(j)"), a = node("a\(l)_\(j)")
                        return "∂L/∂\(z.label) = ∂L/∂\(a.label) · f′ = \(n(a.gradient!)) · "
                            + "\(DenseNotation.derivative(f.function, a: a.value, z: z.value, format: n)) = \(n(z.gradient!))"
                    }))
            }
            var parameters: [String] = [], lines: [String] = []
            for j in 1...layer.units {
                let z = node("z\(l)_\(j)")
                for (i, input) in layer.inputs.enumerated() {
                    let w = node("w\(l)_\(i + 1)_\(j)")
                    parameters.append(w.id)
                    lines.append("∂L/∂\(w.label) = \(n(z.gradient!))·\(factor(node(input).value)) = \(n(w.gradient!))")
                }
                let b = node("b\(l)_\(j)")
                parameters.append(b.id)
                lines.append("∂L/∂\(b.label) = \(n(b.gradient!))")
            }
            stages.append(Stage(
                title: "Backward \(stages.count + 1): ∂L/∂w\(DenseNotation.sup(l)) and ∂L/∂b\(DenseNotation.sup(l)), layer \(l)'s parameters (\(layer.name))",
                computes: parameters, rule: "∂L/∂wᵢⱼ = ∂L/∂zⱼ · (input i),   ∂L/∂bⱼ = ∂L/∂zⱼ", substitutions: lines))
            guard k > 0 else { continue }
            stages.append(Stage(
                title: "Backward \(stages.count + 1): ∂L/∂\(layers[k - 1].activation == nil ? "z" : "a")\(DenseNotation.sup(l - 1)), "
                    + "back through layer \(l)'s weights",
                computes: layer.inputs,
                rule: "∂L/∂(input i) = Σⱼ ∂L/∂zⱼ · wᵢⱼ   (each input feeds every unit)",
                substitutions: layer.inputs.enumerated().map { i, id in
                    let terms = (1...layer.units).map { j in
                        "\(factor(node("z\(l)_\(j)").gradient!))·\(factor(node("w\(l)_\(i + 1)_\(j)").value))"
                    }
                    return "∂L/∂\(node(id).label) = \(terms.joined(separator: " + ")) = \(n(node(id).gradient!))"
                }))
        }
        return stages
    }

    private func n(_ v: Double) -> String { ComputationGraph.number(v) }
    /// A factor of a product: negative numbers in parentheses.
    private func factor(_ v: Double) -> String { v < 0 ? "(\(n(v)))" : n(v) }
}
