import NeuralNet
import ONNXProto
import Tensor

/// SimpleRNN, LSTM and GRU unrolled into MatMul/Add/Sigmoid/Tanh nodes, one group
/// per time step, with the engine's formulas and Keras's gate order. Unrolling
/// (rather than ONNX's LSTM/GRU operators) keeps the engine's masking exact: at a
/// padded step the state is carried over, h_t = h_{t−1} + m_t · (h_new − h_{t−1}),
/// wherever the padding is. The input products of all steps come first, per gate k:
///
///     A_k = x·W_k + b_k   [N, time, units]      (W_k, U_k: columns k·u ..< (k+1)·u of W, U)
///
/// and h₀ = c₀ = 0, so step 0 has no recurrent product.
extension GraphWriter {
    mutating func unrolled(_ x: String, _ layer: RecurrentBase & RecurrentLayer, time: Int) throws -> String {
        guard let kernel = layer.kernel?.value, let recurrent = layer.recurrentKernel?.value, let bias = layer.bias?.value
        else { throw ONNXError.layerNotExportable(layer: layer.name, kind: layer.kind) }
        let name = layer.name, u = layer.units, gates = kernel.shape[1] / u
        let inputBias = bias.rank == 2 ? bias.slice(0) : bias
        let a = (0..<gates).map { k in
            let z = graph.add("MatMul", [x, graph.constant(kernel.columns((k * u)..<((k + 1) * u)), "\(name).kernel.\(k)")],
                              name: "\(name).xw.\(k)")
            return graph.add("Add", [z, graph.constant(Self.block(k, of: inputBias, units: u), "\(name).bias.\(k)")],
                             name: "\(name).a.\(k)")
        }
        let cell = RecurrentCell(name: name, kind: layer.kind, units: u,
                                 u: (0..<gates).map { k in
                                     graph.constant(recurrent.columns((k * u)..<((k + 1) * u)), "\(name).recurrent_kernel.\(k)")
                                 },
                                 recurrentBias: bias.rank == 2
                                     ? (0..<gates).map { graph.constant(Self.block($0, of: bias.slice(1), units: u),
                                                                        "\(name).recurrent_bias.\($0)") } : [])
        // m_t [N, 1] from the mask [N, time] → [N, time, 1].
        let real = mask.map { graph.add("Unsqueeze", [$0, graph.integers([2], "\(name).mask.axes")], name: "\(name).mask") }
        var h: String?, c: String?
        var outputs: [String] = []
        for t in 0..<time {
            let step = "\(name).t\(t)", index = graph.integer(t, step + ".index")
            let at = a.enumerated().map { k, ak in
                graph.add("Gather", [ak, index], name: "\(step).a\(k)", [ONNXGraphBuilder.attribute("axis", int: 1)])
            }
            var (newH, newC) = try cell.step(at, h: h, c: c, in: &graph, step: step)
            if let real {
                let m = graph.add("Gather", [real, index], name: step + ".m", [ONNXGraphBuilder.attribute("axis", int: 1)])
                newH = carried(newH, over: h, m, name: step + ".h")
                newC = newC.map { carried($0, over: c, m, name: step + ".c") }
            }
            (h, c) = (newH, newC)
            if layer.returnSequences {
                outputs.append(graph.add("Unsqueeze", [newH, graph.integers([1], step + ".axes")], name: step + ".out"))
            }
        }
        guard layer.returnSequences else { return h! }
        return graph.add("Concat", outputs, name: name, [ONNXGraphBuilder.attribute("axis", int: 1)])
    }

    /// prev + m · (new − prev): the new state at a real step (m = 1), the old one at padding (m = 0).
    private mutating func carried(_ new: String, over previous: String?, _ m: String, name: String) -> String {
        guard let previous else { return graph.add("Mul", [new, m], name: name) }
        let change = graph.add("Sub", [new, previous], name: name + ".change")
        return graph.add("Add", [previous, graph.add("Mul", [change, m], name: name + ".masked")], name: name)
    }

    /// Values k·units ..< (k+1)·units of a bias row.
    static func block(_ k: Int, of row: Tensor, units u: Int) -> Tensor {
        Tensor(shape: [u], scalars: Array(row.scalars[(k * u)..<((k + 1) * u)]))
    }
}

/// One step of a recurrent cell given its input parts a_k `[N, units]` and the
/// previous states (nil at step 0, where they are zero).
private struct RecurrentCell {
    let name: String
    let kind: String
    let units: Int
    /// U_k, the recurrent kernel's gate blocks.
    let u: [String]
    /// GRU's b_h blocks; empty for SimpleRNN and LSTM.
    let recurrentBias: [String]

    func step(_ a: [String], h: String?, c: String?, in g: inout ONNXGraphBuilder, step: String) throws -> (String, String?) {
        // z_k = a_k + h_{t−1}·U_k (just a_k at step 0).
        func pre(_ k: Int) -> String {
            guard let h else { return a[k] }
            return g.add("Add", [a[k], g.add("MatMul", [h, u[k]], name: "\(step).hu\(k)")], name: "\(step).z\(k)")
        }
        func op(_ op: String, _ inputs: [String], _ label: String) -> String { g.add(op, inputs, name: "\(step).\(label)") }
        switch kind {
        case "SimpleRNN":
            return (op("Tanh", [pre(0)], "h_new"), nil)
        case "LSTM":
            // i = σ(z_i), f = σ(z_f), g = tanh(z_c), o = σ(z_o); c = f ⊙ c_{t−1} + i ⊙ g; h = o ⊙ tanh(c)
            let i = op("Sigmoid", [pre(0)], "i"), f = op("Sigmoid", [pre(1)], "f")
            let cand = op("Tanh", [pre(2)], "g"), o = op("Sigmoid", [pre(3)], "o")
            let written = op("Mul", [i, cand], "ig")
            let cell = c.map { op("Add", [op("Mul", [f, $0], "fc"), written], "c_new") } ?? written
            return (op("Mul", [o, op("Tanh", [cell], "tanh_c")], "h_new"), cell)
        case "GRU":
            // s_k = h_{t−1}·U_k + b_h,k (b_h,k at step 0); z = σ(a_z + s_z), r = σ(a_r + s_r),
            // ĥ = tanh(a_h + r ⊙ s_h) ("reset after"); h = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ = ĥ + z ⊙ (h_{t−1} − ĥ).
            func s(_ k: Int) -> String {
                guard let h else { return recurrentBias[k] }
                return op("Add", [op("MatMul", [h, u[k]], "hu\(k)"), recurrentBias[k]], "s\(k)")
            }
            let z = op("Sigmoid", [op("Add", [a[0], s(0)], "zs")], "z")
            let r = op("Sigmoid", [op("Add", [a[1], s(1)], "rs")], "r")
            let cand = op("Tanh", [op("Add", [a[2], op("Mul", [r, s(2)], "rsh")], "hs")], "cand")
            let kept = h.map { op("Sub", [$0, cand], "kept") } ?? op("Neg", [cand], "kept")
            return (op("Add", [cand, op("Mul", [z, kept], "zkept")], "h_new"), nil)
        default:
            throw ONNXError.layerNotExportable(layer: name, kind: kind)
        }
    }
}
