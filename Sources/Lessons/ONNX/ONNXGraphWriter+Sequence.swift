import NeuralNet
import ONNXProto
import Tensor

/// The sequence layers as ONNX nodes: token ids to vectors, positions added, the
/// mask of padded steps, and the dispatch to the recurrent and attention writers.
/// Every value is `[N, time, features]`, batch first, as in the engine.
extension GraphWriter {
    /// Embedding, SimpleRNN/LSTM/GRU, PositionalEncoding, MultiHeadAttention or
    /// TransformerBlock `layer` on `x`, whose per-example shape is `inputShape`.
    mutating func sequenceLayer(_ layer: Layer, input x: String, inputShape: [Int]) throws -> String {
        switch layer {
        case let embedding as Embedding:
            return embedded(x, embedding, time: inputShape[0])
        case let recurrent as RecurrentBase & RecurrentLayer:
            let y = try unrolled(x, recurrent, time: inputShape[0])
            if !recurrent.returnSequences { mask = nil }
            return y
        case let positions as PositionalEncoding:
            // y[b, t] = x[b, t] + P[t] for the first `time` rows of P (broadcast over the batch).
            let time = inputShape[0], features = inputShape[1]
            let rows = Tensor(shape: [time, features], scalars: Array(positions.table.scalars.prefix(time * features)))
            return graph.add("Add", [x, graph.constant(rows, layer.name + ".table")], name: layer.name)
        case let attention as MultiHeadAttention:
            return attended(x, attention, time: inputShape[0])
        case let block as TransformerBlock:
            return try transformerBlock(x, block, time: inputShape[0])
        default:
            throw ONNXError.layerNotExportable(layer: layer.name, kind: layer.kind)
        }
    }

    /// y[b, t] = E[id[b, t]]: the float ids cast to int64 and gathered from the table.
    /// With `maskZero` the mask of real steps is made here: m = (id ≠ 0) as 1 or 0.
    mutating func embedded(_ x: String, _ layer: Embedding, time: Int) -> String {
        let name = layer.name
        let ids = graph.add("Cast", [x], name: name + ".ids", [ONNXGraphBuilder.attribute("to", int: Self.int64)])
        let y = graph.add("Gather", [graph.constant(layer.embeddings.value, name + ".embeddings"), ids], name: name,
                          [ONNXGraphBuilder.attribute("axis", int: 0)])
        mask = nil
        if layer.maskZero {
            let zero = graph.constant([0], shape: [], name + ".mask.zero")
            let padding = graph.add("Equal", [x, zero], name: name + ".mask.padding")
            let real = graph.add("Not", [padding], name: name + ".mask.real")
            mask = graph.add("Cast", [real], name: name + ".mask", [ONNXGraphBuilder.attribute("to", int: Self.float)])
            maskTime = time
        }
        return y
    }

    /// A TransformerBlock's two residuals, y = x + body(x) each, with the body's
    /// LayerNorm, MultiHeadAttention, Dense and Dropout layers written one by one.
    mutating func transformerBlock(_ x: String, _ block: TransformerBlock, time: Int) throws -> String {
        var h = x
        for part in block.body.layers {
            guard let residual = part as? Residual else {
                throw ONNXError.layerNotExportable(layer: part.name, kind: part.kind)
            }
            var y = h
            for inner in residual.body.layers {
                switch inner {
                case let norm as LayerNorm:
                    y = layerNorm(y, gamma: norm.gamma.value, beta: norm.beta.value, epsilon: norm.epsilon, name: norm.name)
                case let attention as MultiHeadAttention:
                    y = attended(y, attention, time: time)
                case let dense as Dense:
                    y = try self.dense(y, weight: dense.weight.value, bias: dense.bias.value, dense.activation, name: dense.name)
                case is Dropout:
                    continue   // the identity at inference
                default:
                    throw ONNXError.layerNotExportable(layer: inner.name, kind: inner.kind)
                }
            }
            h = graph.add("Add", [h, y], name: residual.name)
        }
        return h
    }

    /// ONNX TensorProto data types, for `Cast`'s `to`.
    static var float: Int { Onnx_TensorProto.DataType.float.rawValue }
    static var int64: Int { Onnx_TensorProto.DataType.int64.rawValue }
}
