import NeuralNet
import ONNXProto
import Tensor

/// The walk over the layers: the graph so far, whether the current image
/// value is channels-first (after a Transpose for a convolution) or last, and the
/// mask of a sequence's real steps where a layer made one (`SequenceMask`).
struct GraphWriter {
    var graph = ONNXGraphBuilder()
    var channelsFirst = false
    let inputShape: [Int]
    /// `[N, time]` floats, 1 for a real step and 0 for padding (an Embedding with
    /// `maskZero` makes it from the ids); nil: every step is real.
    var mask: String?
    var maskTime = 0

    /// The mask after `layer` as the engine's `Sequential` passes it on: the one a
    /// mask-producing layer set, else the input's while the output keeps its time axis.
    mutating func passMask(after layer: Layer, outputShape: [Int]) {
        guard !(layer is MaskProducingLayer) else { return }
        if outputShape.count < 2 || outputShape[0] != maskTime { mask = nil }
    }

    /// (x − offset) · factor per channel (the last axis), or x when the map is the identity.
    mutating func normalized(_ x: String, _ n: InputNormalization?) -> String {
        guard let n, !n.isIdentity else { return x }
        let offset = graph.constant(n.offset, shape: [n.offset.count], "normalization.offset")
        let factor = graph.constant(n.factor, shape: [n.factor.count], "normalization.factor")
        let centred = graph.add("Sub", [x, offset], name: "normalization.sub")
        return graph.add("Mul", [centred, factor], name: "normalization.mul")
    }

    /// NHWC → NCHW before a convolution or pooling.
    mutating func channelsFirst(_ x: String, name: String) -> String {
        guard !channelsFirst else { return x }
        channelsFirst = true
        return graph.add("Transpose", [x], name: name + ".to_nchw", [ONNXGraphBuilder.attribute("perm", ints: [0, 3, 1, 2])])
    }

    /// NCHW → NHWC before a layer that sees the engine's element order (Flatten, Dense, the output).
    mutating func channelsLast(_ x: String, name: String) -> String {
        guard channelsFirst else { return x }
        channelsFirst = false
        return graph.add("Transpose", [x], name: name + ".to_nhwc", [ONNXGraphBuilder.attribute("perm", ints: [0, 2, 3, 1])])
    }

    mutating func layer(_ spec: LayerSpec, _ layer: Layer, input x: String, inputShape: [Int]) throws -> String {
        let name = layer.name
        let p = Dictionary(uniqueKeysWithValues: layer.parameters.map { ($0.name.replacingOccurrences(of: name + ".", with: ""), $0.value) })
        switch spec {
        case let .conv2D(_, kernel, stride, padding, activation, _):
            let geometry = Conv2DGeometry(inputShape: [1] + inputShape, weightShape: p["weight"]!.shape,
                                          stride: stride, padding: padding)
            let bottom = max((geometry.outHeight - 1) * stride + kernel - inputShape[0] - geometry.padTop, 0)
            let right = max((geometry.outWidth - 1) * stride + kernel - inputShape[1] - geometry.padLeft, 0)
            let input = channelsFirst(x, name: name)
            let w = graph.constant(WeightLayout.oihw(fromHWIO: p["weight"]!), name + ".weight")
            let b = graph.constant(p["bias"]!, name + ".bias")
            let y = graph.add("Conv", [input, w, b], name: name, [
                ONNXGraphBuilder.attribute("kernel_shape", ints: [kernel, kernel]),
                ONNXGraphBuilder.attribute("strides", ints: [stride, stride]),
                ONNXGraphBuilder.attribute("pads", ints: [geometry.padTop, geometry.padLeft, bottom, right])])
            return try activated(y, activation.activation, name: name)
        case let .dense(_, activation, _, _, _, _):
            return try dense(channelsLast(x, name: name), weight: p["weight"]!, bias: p["bias"]!,
                             activation.activation, name: name)
        case let .maxPool2D(size, stride):
            let input = channelsFirst(x, name: name)
            return graph.add("MaxPool", [input], name: name, [
                ONNXGraphBuilder.attribute("kernel_shape", ints: [size, size]),
                ONNXGraphBuilder.attribute("strides", ints: [stride ?? size, stride ?? size])])
        case .flatten:
            return graph.add("Flatten", [channelsLast(x, name: name)], name: name, [ONNXGraphBuilder.attribute("axis", int: 1)])
        case let .reshape(target):
            let shape = graph.integers([0] + target, name + ".shape")
            return graph.add("Reshape", [channelsLast(x, name: name), shape], name: name)
        case .dropout:
            return x   // the identity at inference
        case .softmax:
            return graph.add("Softmax", [channelsLast(x, name: name)], name: name, [ONNXGraphBuilder.attribute("axis", int: -1)])
        case let .activation(type, alpha):
            return try activated(x, ModelFactory.activation(type, alpha: alpha), name: name)
        case let .layerNorm(epsilon):
            return layerNorm(channelsLast(x, name: name), gamma: p["gamma"]!, beta: p["beta"]!,
                             epsilon: Float(epsilon ?? 1e-3), name: name)
        case .embedding, .recurrent, .positionalEncoding, .multiHeadAttention, .transformerBlock:
            return try sequenceLayer(layer, input: channelsLast(x, name: name), inputShape: inputShape)
        }
    }

    /// y = f(x·W + b) on the last axis (a vector, or every step of a sequence).
    mutating func dense(_ x: String, weight: Tensor, bias: Tensor, _ f: Activation, name: String) throws -> String {
        let w = graph.constant(weight, name + ".weight")
        let b = graph.constant(bias, name + ".bias")
        let z = graph.add("MatMul", [x, w], name: name + ".matmul")
        return try activated(graph.add("Add", [z, b], name: name), f, name: name)
    }

    /// ONNX's LayerNormalization (opset 17) over the last axis: (x − mean) / √(var + ε) · γ + β.
    mutating func layerNorm(_ x: String, gamma: Tensor, beta: Tensor, epsilon: Float, name: String) -> String {
        graph.add("LayerNormalization", [x, graph.constant(gamma, name + ".gamma"), graph.constant(beta, name + ".beta")],
                  name: name, [ONNXGraphBuilder.attribute("axis", int: -1), ONNXGraphBuilder.attribute("epsilon", float: epsilon)])
    }

    /// f(x) as ONNX nodes; GELU is Keras's exact form x · Φ(x) = x · (1 + erf(x/√2)) / 2.
    mutating func activated(_ x: String, _ f: Activation, name: String) throws -> String {
        switch f {
        case .linear: return x
        case .relu: return graph.add("Relu", [x], name: name + ".relu")
        case let .leakyReLU(alpha):
            return graph.add("LeakyRelu", [x], name: name + ".leaky_relu", [ONNXGraphBuilder.attribute("alpha", float: alpha)])
        case .sigmoid: return graph.add("Sigmoid", [x], name: name + ".sigmoid")
        case .tanh: return graph.add("Tanh", [x], name: name + ".tanh")
        case .gelu:
            let scaled = graph.add("Mul", [x, graph.constant([Float(0.5).squareRoot()], shape: [], name + ".gelu.rsqrt2")],
                                   name: name + ".gelu.scaled")
            let erf = graph.add("Erf", [scaled], name: name + ".gelu.erf")
            let onePlus = graph.add("Add", [erf, graph.constant([1], shape: [], name + ".gelu.one")], name: name + ".gelu.add")
            let half = graph.add("Mul", [onePlus, graph.constant([0.5], shape: [], name + ".gelu.half")], name: name + ".gelu.half_phi")
            return graph.add("Mul", [x, half], name: name + ".gelu")
        }
    }
}
