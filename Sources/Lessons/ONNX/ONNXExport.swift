import Foundation
import NeuralNet
import ONNXProto
import SwiftProtobuf
import Tensor

/// A trained `learn` model written as an ONNX graph (opset 17) that any ONNX
/// runtime runs as `learn predict` does: input `[N, height, width, channels]`
/// (channels last, pixels as the loaders give them, in [0, 1]) → the model's own
/// input normalisation (x − offset) · factor → the layers → output
/// `probabilities` `[N, classes]`, with the logits as a second output `logits`
/// when the model does not end in a Softmax layer.
///
/// ONNX convolutions and pooling take NCHW with OIHW kernels while the engine is
/// NHWC with HWIO kernels, so the graph transposes the images to NCHW before the
/// first convolution and back to NHWC before a Flatten or Dense: the Dense weights
/// then need no reordering, and every exported value equals the engine's.
///
/// ```swift
/// let proto = try ONNXExport.model(model, architecture: architecture)
/// try proto.serializedData().write(to: url)
/// ```
public enum ONNXExport {
    public static let opset: Int64 = 17

    /// The run folder's trained model (`model.json` + `model.safetensors`) as an ONNX file at `url`,
    /// written atomically: a failed export leaves no file.
    public static func write(runFolder: URL, to url: URL) throws {
        let folder = try Predictor.modelFolder(in: runFolder)
        let (model, architecture) = try ModelArchitecture.trainedModel(in: folder)
        let data = try Self.model(model, architecture: architecture).serializedData()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw ONNXError.unwritable(url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// The ONNX model of `model`, whose layers were built from `architecture.layers`.
    public static func model(_ model: Sequential, architecture: ModelArchitecture) throws -> Onnx_ModelProto {
        var writer = GraphWriter(inputShape: architecture.inputShape)
        var x = writer.normalized("input", architecture.normalization)
        for (index, spec) in architecture.layers.enumerated() {
            x = try writer.layer(spec, model.layers[index], input: x, inputShape: index == 0 ? model.inputShape
                                                                                     : model.outputShapes[index - 1])
        }
        x = writer.channelsLast(x, name: "output")
        let classes = model.outputShape
        var outputs = [String]()
        if architecture.layers.last == .softmax {
            outputs = [writer.graph.add("Identity", [x], name: "probabilities")]
        } else if classes == [1] && !architecture.classNames.isEmpty {
            // One logit z: [1 − σ(z), σ(z)], as `classProbabilities` does for binary cross-entropy.
            let p = writer.graph.add("Sigmoid", [x], name: "sigmoid")
            let one = writer.graph.constant([1], shape: [1], "one")
            let q = writer.graph.add("Sub", [one, p], name: "complement")
            outputs = [writer.graph.add("Concat", [q, p], name: "probabilities",
                                        [ONNXGraphBuilder.attribute("axis", int: -1)]),
                       writer.graph.add("Identity", [x], name: "logits")]
        } else if !architecture.classNames.isEmpty {
            outputs = [writer.graph.add("Softmax", [x], name: "probabilities", [ONNXGraphBuilder.attribute("axis", int: -1)]),
                       writer.graph.add("Identity", [x], name: "logits")]
        } else {
            outputs = [writer.graph.add("Identity", [x], name: "outputs")]
        }
        var graph = Onnx_GraphProto()
        graph.name = "learn"
        graph.node = writer.graph.nodes
        graph.initializer = writer.graph.initializers
        graph.input = [ONNXGraphBuilder.valueInfo("input", batch: "N", shape: architecture.inputShape)]
        graph.output = outputs.map { name in
            let width = name == "probabilities" && classes == [1] ? [2] : classes
            return ONNXGraphBuilder.valueInfo(name, batch: "N", shape: width)
        }
        var proto = Onnx_ModelProto()
        proto.irVersion = 8
        proto.producerName = "learn"
        proto.producerVersion = learnVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.version = Self.opset
        proto.opsetImport = [opset]
        proto.graph = graph
        if !architecture.classNames.isEmpty {
            var names = Onnx_StringStringEntryProto()
            names.key = "class_names"
            names.value = architecture.classNames.joined(separator: "\n")
            proto.metadataProps = [names]
        }
        return proto
    }
}

/// The walk over the layers: the graph so far and whether the current image
/// value is channels-first (after a Transpose for a convolution) or last.
private struct GraphWriter {
    var graph = ONNXGraphBuilder()
    var channelsFirst = false
    let inputShape: [Int]

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
            let input = channelsLast(x, name: name)
            let w = graph.constant(p["weight"]!, name + ".weight")
            let b = graph.constant(p["bias"]!, name + ".bias")
            let z = graph.add("MatMul", [input, w], name: name + ".matmul")
            return try activated(graph.add("Add", [z, b], name: name), activation.activation, name: name)
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
            let input = channelsLast(x, name: name)
            return graph.add("LayerNormalization", [input, graph.constant(p["gamma"]!, name + ".gamma"),
                                                    graph.constant(p["beta"]!, name + ".beta")], name: name,
                             [ONNXGraphBuilder.attribute("axis", int: -1),
                              ONNXGraphBuilder.attribute("epsilon", float: Float(epsilon ?? 1e-3))])
        case .embedding, .recurrent, .positionalEncoding, .multiHeadAttention, .transformerBlock:
            throw ONNXError.layerNotExportable(layer: name, kind: layer.kind)
        }
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
