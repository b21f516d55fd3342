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
/// Sequence models take their token ids as floats `[N, time]` (as the engine keeps
/// them) and give every step's output, e.g. `[N, time, vocabulary]`: embeddings,
/// recurrent layers unrolled step by step, positional encodings and attention are
/// written as standard operators (`GraphWriter+Sequence`, `+Recurrent`, `+Attention`).
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
            writer.passMask(after: model.layers[index], outputShape: model.outputShapes[index])
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
