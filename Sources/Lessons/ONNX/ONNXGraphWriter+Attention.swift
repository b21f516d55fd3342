import NeuralNet
import ONNXProto
import Tensor

/// Multi-head self-attention as MatMul/Softmax nodes, with the engine's masks as
/// additive constants (H heads of size d on x `[N, T, D]`):
///
///     Q_h, K_h, V_h = x·W + b, split into heads        [N, H, T, d]
///     S = Q·Kᵀ / √d + C + K_pad                        C_ij = −10⁹ for j > i when causal
///     P = softmax(S) ⊙ m_query                          K_pad = (m_key − 1)·10⁹ from the mask of real steps
///     y = concat_h(P·V_h)·W_o + b_o
///
/// −10⁹ is −∞ for the softmax in float32 (e^(−10⁹ + s) is 0). A padded query's row is
/// zero, as the engine's masked softmax leaves it.
extension GraphWriter {
    mutating func attended(_ x: String, _ layer: MultiHeadAttention, time t: Int) -> String {
        // Keras's order: query, key, value kernels [D, H, d] and biases [H, d], then output [H, d, D] and [D].
        let p = layer.parameters.map(\.value)
        let name = layer.name, (heads, size) = (layer.heads, layer.keySize), width = heads * size
        let features = p[0].shape[0]
        func projection(_ i: Int, _ part: String, perm: [Int]) -> String {
            let label = "\(name).\(part)"
            let z = graph.add("MatMul", [x, graph.constant(p[2 * i].reshaped([features, width]), label + ".kernel")],
                              name: label + ".matmul")
            let y = graph.add("Add", [z, graph.constant(p[2 * i + 1].reshaped([width]), label + ".bias")], name: label)
            let split = graph.add("Reshape", [y, graph.integers([0, t, heads, size], label + ".shape")], name: label + ".heads")
            return graph.add("Transpose", [split], name: label + ".transposed", [ONNXGraphBuilder.attribute("perm", ints: perm)])
        }
        let q = projection(0, "query", perm: [0, 2, 1, 3])   // [N, H, T, d]
        let kT = projection(1, "key", perm: [0, 2, 3, 1])    // [N, H, d, T]
        let v = projection(2, "value", perm: [0, 2, 1, 3])   // [N, H, T, d]
        let products = graph.add("MatMul", [q, kT], name: name + ".qk")
        var s = graph.add("Mul", [products, graph.constant([1 / Float(size).squareRoot()], shape: [], name + ".scale")],
                          name: name + ".scores")
        if layer.causal {
            let future = (0..<(t * t)).map { $0 % t > $0 / t ? Float(-1e9) : 0 }
            s = graph.add("Add", [s, graph.constant(future, shape: [t, t], name + ".causal_mask")], name: name + ".causal")
        }
        if let mask {
            // (m − 1)·10⁹ on the keys [N, 1, 1, T]; m on the queries [N, 1, T, 1].
            let minusOne = graph.add("Sub", [mask, graph.constant([1], shape: [], name + ".one")], name: name + ".mask.minus_one")
            let big = graph.add("Mul", [minusOne, graph.constant([1e9], shape: [], name + ".big")], name: name + ".mask.key_bias")
            let keys = graph.add("Unsqueeze", [big, graph.integers([1, 2], name + ".key_axes")], name: name + ".mask.keys")
            s = graph.add("Add", [s, keys], name: name + ".padding")
        }
        var weights = graph.add("Softmax", [s], name: name + ".weights", [ONNXGraphBuilder.attribute("axis", int: -1)])
        if let mask {
            let queries = graph.add("Unsqueeze", [mask, graph.integers([1, 3], name + ".query_axes")], name: name + ".mask.queries")
            weights = graph.add("Mul", [weights, queries], name: name + ".weights.masked")
        }
        let o = graph.add("MatMul", [weights, v], name: name + ".heads_out")   // [N, H, T, d]
        let steps = graph.add("Transpose", [o], name: name + ".steps", [ONNXGraphBuilder.attribute("perm", ints: [0, 2, 1, 3])])
        let joined = graph.add("Reshape", [steps, graph.integers([0, t, width], name + ".joined_shape")], name: name + ".joined")
        let y = graph.add("MatMul", [joined, graph.constant(p[6].reshaped([width, features]), name + ".output.kernel")],
                          name: name + ".output.matmul")
        return graph.add("Add", [y, graph.constant(p[7], name + ".output.bias")], name: name)
    }
}
