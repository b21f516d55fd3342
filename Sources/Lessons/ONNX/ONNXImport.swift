import Foundation
import NeuralNet
import ONNXProto
import Tensor

/// A model trained elsewhere (PyTorch's `torch.onnx.export`, Keras through
/// `tf2onnx`) rebuilt as a `learn` model: the ONNX graph, a chain of supported
/// operators, becomes a `ModelArchitecture` and its parameters, converted from
/// ONNX's channels-first layout (NCHW values, OIHW kernels) to the engine's NHWC
/// and HWIO. An activation right after a Conv or Dense is fused into it, as a
/// Keras layer's `activation=` is, so the layers read like a lesson's.
///
/// ```swift
/// let imported = try ONNXImport(contentsOf: url, classNames: nil)
/// let model = try imported.model()      // Sequential with the file's weights
/// ```
public struct ONNXImport {
    public static let supportedOperators = ["Conv", "MaxPool", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Gelu", "Gemm",
                                            "MatMul", "Add", "Flatten", "Reshape", "Softmax", "Dropout", "Identity",
                                            "Transpose", "Constant"]
    public let architecture: ModelArchitecture
    /// Each layer's parameters in the engine's layout, in the layer's parameter order.
    let layerParameters: [[Tensor]]
    /// Indices (in `architecture.layers`) of the Dense layers whose rows were reordered from
    /// a channels-first Flatten's (c, h, w) order to the engine's (h, w, c).
    public let reorderedDenseRows: [Int]

    /// Reads `url`; `classNames` name the outputs (nil: "0", "1", ...).
    public init(contentsOf url: URL, classNames: [String]?) throws {
        let file = try ONNXFile(contentsOf: url)
        var chain = try LayerChain(file: file)
        for node in file.graph.node where node.opType != "Constant" {
            // Shape arithmetic of a free batch (Shape → Gather → Concat → …) becomes a constant.
            if let value = ShapeFolding.fold(node, shape: { chain.onnxShapes[$0] }, constant: { chain.constant(named: $0) }) {
                chain.folded[node.output[0]] = value
                continue
            }
            try chain.add(node)
        }
        let outputs = chain.shape.reduce(1, *)
        let names = classNames ?? (0..<outputs).map { "\($0)" }
        guard names.count == outputs else {
            throw ONNXError.unsupportedGraph(url.path, reason: "the model has \(outputs) outputs but the labels file names \(names.count) classes")
        }
        architecture = ModelArchitecture(inputShape: chain.inputShape, layers: chain.layers, classNames: names)
        layerParameters = chain.parameters
        reorderedDenseRows = chain.reorderedDenseRows
    }

    /// The engine's model with the file's weights.
    public func model() throws -> Sequential {
        let model = try architecture.model()
        var state: [String: Tensor] = [:]
        for (layer, values) in zip(model.layers, layerParameters) {
            for (parameter, value) in zip(layer.parameters, values) { state[parameter.name] = value }
        }
        try model.loadStateDict(state)
        return model
    }
}

/// The walk along the graph's chain of nodes: the layers so far, the current
/// value's name, its per-example shape in the engine's layout, and whether the
/// ONNX value is channels-first.
private struct LayerChain {
    let file: ONNXFile
    let inputShape: [Int]
    var layers: [LayerSpec] = []
    var parameters: [[Tensor]] = []
    var current: String
    var shape: [Int]
    var channelsFirst: Bool
    /// Set by a Flatten of channels-first maps: the next Dense's rows are in (c, h, w) order.
    var flattenedCHW: (height: Int, width: Int, channels: Int)?
    /// The values computed by `ShapeFolding` from shapes and constants.
    var folded: [String: Tensor] = [:]
    /// Each chain value's ONNX shape, batch `ShapeFolding.batch` first, for a Shape node to read.
    var onnxShapes: [String: [Int]] = [:]
    /// The Dense layers that `flattenedCHW` reordered (indices in `layers`).
    var reorderedDenseRows: [Int] = []

    init(file: ONNXFile) throws {
        self.file = file
        current = file.input.name
        let s = file.input.shape
        // A 4-D input that a Conv reads first is NCHW (PyTorch); one that a Transpose reads is NHWC (tf2onnx),
        // and so is one with a few channels last and more rows first (tf2onnx's Reshape of a grey image to NCHW).
        let firstOp = file.graph.node.first { $0.input.first == file.input.name }?.opType
        let looksNHWC = s.count == 3 && s[2] <= 4 && s[0] > 4
        let nchw = s.count == 3 && firstOp != "Transpose" && (firstOp == "Conv" || !looksNHWC)
        channelsFirst = nchw
        shape = nchw ? [s[1], s[2], s[0]] : s
        inputShape = nchw ? [s[1], s[2], s[0]] : s
        onnxShapes[current] = [ShapeFolding.batch] + s
    }

    /// A constant of the file or one folded from shapes.
    func constant(named name: String) -> Tensor? { file.constants[name] ?? folded[name] }

    func fail(_ node: Onnx_NodeProto, _ detail: String) -> ONNXError {
        .unsupportedAttribute(file.path, node: node.name, op: node.opType, detail: detail)
    }

    /// The node's constant input `index`, or an error naming it.
    func constant(_ node: Onnx_NodeProto, _ index: Int) throws -> Tensor {
        guard index < node.input.count, let t = constant(named: node.input[index]) else {
            throw fail(node, "input \(index + 1) must be a constant (weights stored in the file)")
        }
        return t
    }

    mutating func add(_ node: Onnx_NodeProto) throws {
        guard ONNXImport.supportedOperators.contains(node.opType) else {
            throw ONNXError.unsupportedOperator(file.path, node: node.name, op: node.opType)
        }
        guard node.input.first == current else {
            throw ONNXError.unsupportedGraph(file.path, reason: "node '\(node.name)' (\(node.opType)) does not continue the "
                                             + "chain from '\(current)'; learn reads sequential models (no branches)")
        }
        switch node.opType {
        case "Identity", "Dropout": break
        case "Transpose": try transpose(node)
        case "Conv": try conv(node)
        case "MaxPool": try maxPool(node)
        case "Relu": activation(.relu, type: .relu)
        case "Sigmoid": activation(.sigmoid, type: .sigmoid)
        case "Tanh": activation(.tanh, type: .tanh)
        case "Gelu":
            guard (node.string("approximate") ?? "none") == "none" else { throw fail(node, "only the exact GELU (approximate='none')") }
            activation(.gelu, type: .gelu)
        case "LeakyRelu":
            layers.append(.activation(.leakyReLU, alpha: Double(node.float("alpha") ?? 0.01)))
            parameters.append([])
        case "Flatten", "Reshape": try flatten(node)
        case "Gemm": try gemm(node)
        case "MatMul": try dense(node, weight: try constant(node, 1), bias: nil)
        case "Add": try addBias(node)
        case "Softmax":
            guard shape.count == 1, [-1, 1].contains(node.int("axis") ?? -1) else { throw fail(node, "softmax over the class axis only") }
            layers.append(.softmax)
            parameters.append([])
        default:
            throw ONNXError.unsupportedOperator(file.path, node: node.name, op: node.opType)
        }
        current = node.output[0]
        onnxShapes[current] = [ShapeFolding.batch] + (shape.count == 3 && channelsFirst ? [shape[2], shape[0], shape[1]] : shape)
    }

    mutating func transpose(_ node: Onnx_NodeProto) throws {
        let perm = node.ints("perm") ?? []
        if shape.count == 3 && !channelsFirst && perm == [0, 3, 1, 2] {
            channelsFirst = true
        } else if shape.count == 3 && channelsFirst && perm == [0, 2, 3, 1] {
            channelsFirst = false
        } else {
            throw fail(node, "only the NHWC ↔ NCHW transposes of images, not perm \(perm)")
        }
    }

    mutating func conv(_ node: Onnx_NodeProto) throws {
        guard channelsFirst, shape.count == 3 else { throw fail(node, "Conv needs NCHW images") }
        let w = try constant(node, 1)
        guard w.shape.count == 4, w.shape[3] == w.shape[2], w.shape[1] == shape[2] else { throw fail(node, "kernel \(w.shape) is not square or does not match \(shape[2]) channels") }
        let (filters, k) = (w.shape[0], w.shape[2])
        guard (node.int("group") ?? 1) == 1 else { throw fail(node, "grouped convolutions are not supported") }
        guard (node.ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }) else { throw fail(node, "dilated convolutions are not supported") }
        let strides = node.ints("strides") ?? [1, 1]
        guard strides.count == 2, strides[0] == strides[1] else { throw fail(node, "strides \(strides) differ per axis") }
        let padding = try convPadding(node, kernel: k, stride: strides[0])
        let bias = node.input.count > 2 ? try constant(node, 2) : Tensor(shape: [filters])
        let g = Conv2DGeometry(inputShape: [1] + shape, weightShape: [k, k, shape[2], filters], stride: strides[0], padding: padding)
        layers.append(.conv2D(filters: filters, kernel: k, stride: strides[0], padding: padding, activation: .linear,
                              initializer: .glorotUniform))
        parameters.append([WeightLayout.hwio(fromOIHW: w), bias])
        shape = [g.outHeight, g.outWidth, filters]
    }

    /// `valid` for no padding; `same` when the pads are Keras's (the extra one at bottom/right).
    func convPadding(_ node: Onnx_NodeProto, kernel: Int, stride: Int) throws -> Padding {
        let autoPad = node.string("auto_pad") ?? "NOTSET"
        if autoPad == "SAME_UPPER" { return .same }
        if autoPad == "VALID" { return .valid }
        let pads = node.ints("pads") ?? [0, 0, 0, 0]
        if pads.allSatisfy({ $0 == 0 }) { return .valid }
        let g = Conv2DGeometry(inputShape: [1] + shape, weightShape: [kernel, kernel, shape[2], 1], stride: stride, padding: .same)
        let bottom = (g.outHeight - 1) * stride + kernel - shape[0] - g.padTop
        let right = (g.outWidth - 1) * stride + kernel - shape[1] - g.padLeft
        guard pads == [g.padTop, g.padLeft, bottom, right] else {
            throw fail(node, "pads \(pads) are neither none nor 'same' (\([g.padTop, g.padLeft, bottom, right]))")
        }
        return .same
    }

    mutating func maxPool(_ node: Onnx_NodeProto) throws {
        guard channelsFirst, shape.count == 3 else { throw fail(node, "MaxPool needs NCHW images") }
        let kernel = node.ints("kernel_shape") ?? []
        guard kernel.count == 2, kernel[0] == kernel[1] else { throw fail(node, "kernel \(kernel) is not square") }
        let strides = node.ints("strides") ?? kernel
        guard strides.count == 2, strides[0] == strides[1] else { throw fail(node, "strides \(strides) differ per axis") }
        guard (node.ints("pads") ?? []).allSatisfy({ $0 == 0 }), (node.int("ceil_mode") ?? 0) == 0 else {
            throw fail(node, "padded or ceil-mode pooling is not supported")
        }
        let (k, s) = (kernel[0], strides[0])
        layers.append(.maxPool2D(size: k, stride: s == k ? nil : s))
        parameters.append([])
        shape = [(shape[0] - k) / s + 1, (shape[1] - k) / s + 1, shape[2]]
    }

    /// Flatten(axis 1), or a Reshape to `[batch, features]`: the engine's Flatten. A Reshape
    /// of an image to its own shape changes nothing, and one between NHWC and NCHW of a
    /// one-channel image (tf2onnx writes such) only changes the layout: the values stay in order.
    mutating func flatten(_ node: Onnx_NodeProto) throws {
        let features = shape.reduce(1, *)
        if node.opType == "Reshape" {
            let target = Array(try constant(node, 1).scalars.map { Int($0) }.dropFirst())
            if shape.count == 3 {
                let (onnxNow, onnxOther) = channelsFirst ? ([shape[2], shape[0], shape[1]], shape) : (shape, [shape[2], shape[0], shape[1]])
                if target == onnxNow { return }
                if target == onnxOther && shape[2] == 1 { channelsFirst.toggle(); return }
            }
            guard target.count == 1, [features, -1].contains(target[0]) else { throw fail(node, "only a reshape to [batch, \(features)]") }
        } else if (node.int("axis") ?? 1) != 1 {
            throw fail(node, "only Flatten with axis 1")
        }
        if shape.count == 3 {
            if channelsFirst { flattenedCHW = (shape[0], shape[1], shape[2]) }
            layers.append(.flatten)
            parameters.append([])
        }
        channelsFirst = false
        shape = [features]
    }

    /// Gemm: y = A · B (Bᵀ when transB) + C, with alpha = beta = 1.
    mutating func gemm(_ node: Onnx_NodeProto) throws {
        guard (node.int("transA") ?? 0) == 0, (node.float("alpha") ?? 1) == 1, (node.float("beta") ?? 1) == 1 else {
            throw fail(node, "only transA = 0 and alpha = beta = 1")
        }
        var w = try constant(node, 1)
        if (node.int("transB") ?? 0) == 1 { w = matrixTransposed(w) }
        try dense(node, weight: w, bias: node.input.count > 2 ? try constant(node, 2) : nil)
    }

    mutating func dense(_ node: Onnx_NodeProto, weight: Tensor, bias: Tensor?) throws {
        guard shape.count == 1, weight.shape.count == 2, weight.shape[0] == shape[0] else {
            throw fail(node, "weight \(weight.shape) does not fit inputs of \(shape)")
        }
        var w = weight
        if let chw = flattenedCHW {
            w = WeightLayout.denseRowsFromCHW(w, height: chw.height, width: chw.width, channels: chw.channels)
            reorderedDenseRows.append(layers.count)
        }
        flattenedCHW = nil
        let units = w.shape[1]
        layers.append(.dense(units: units, activation: .linear, initializer: .glorotUniform))
        parameters.append([w, bias.map { $0.reshaped([units]) } ?? Tensor(shape: [units])])
        shape = [units]
    }

    /// A constant added to a MatMul's output is its bias.
    mutating func addBias(_ node: Onnx_NodeProto) throws {
        let b = try constant(node, 1)
        guard case let .dense(units, .linear, _, _, _, _)? = layers.last, b.count == units,
              parameters[parameters.count - 1][1].scalars.allSatisfy({ $0 == 0 }) else {
            throw fail(node, "Add is read only as the bias of the MatMul before it")
        }
        parameters[parameters.count - 1][1] = b.reshaped([units])
    }

    /// Fused into the Conv or Dense just before it when that has none, else its own layer.
    mutating func activation(_ name: ActivationName, type: ActivationLayerType) {
        switch layers.last {
        case let .conv2D(filters, kernel, stride, padding, .linear, initializer)?:
            layers[layers.count - 1] = .conv2D(filters: filters, kernel: kernel, stride: stride, padding: padding,
                                               activation: name, initializer: initializer)
        case let .dense(units, .linear, initializer, _, _, _)?:
            layers[layers.count - 1] = .dense(units: units, activation: name, initializer: initializer)
        default:
            layers.append(.activation(type))
            parameters.append([])
        }
    }
}

/// `[rows, columns]` → `[columns, rows]`.
private func matrixTransposed(_ m: Tensor) -> Tensor {
    let (r, c) = (m.shape[0], m.shape[1])
    let x = m.scalars
    return Tensor(shape: [c, r], scalars: (0..<(c * r)).map { i in x[(i % r) * c + i / r] })
}
