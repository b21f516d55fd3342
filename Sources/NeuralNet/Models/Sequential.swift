import Tensor

/// A chain of layers, each feeding the next (Keras's `Sequential`), and the one
/// place where a model reports to the recorder: after each layer's forward pass
/// (its activation) and around each layer's backward pass (dL/d(its output) and
/// its parameters' gradients).
///
/// A `Sequential` is itself a `Layer`, so models compose: a GAN's generator and
/// discriminator chained for the generator's update, or a `Residual` block's body.
///
/// ```swift
/// let model = try Sequential(inputShape: [28, 28, 1], seed: 42, [
///     Conv2D(32, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
///     Flatten(), Dense(10),
/// ])
/// let logits = try model.forward(batch, context: ForwardContext(training: false))
/// ```
public final class Sequential: Layer, MaskConsumingLayer, LayerContainer {
    public var name: String
    public let kind = "Sequential"
    public let layers: [Layer]
    /// The mask of the input's steps, for a chain nested in a model (a `Residual`'s body):
    /// handed to its first layer as a mask-producing layer's would be.
    public var inputMask: Tensor?
    public private(set) var inputShape: [Int] = []
    /// Per-sample output shape of each layer, in order.
    public private(set) var outputShapes: [[Int]] = []
    private var recorder: Recorder?

    /// An unbuilt chain, to nest inside another model.
    public init(_ layers: [Layer], name: String = "") {
        self.layers = layers
        self.name = name
    }

    /// A built top-level model: layers named, parameters initialised from `seed`,
    /// shapes checked from `inputShape` (per sample) through the last layer.
    /// A named model prefixes its layers' names (`generator.dense1`, so `generator.dense1.weight`).
    public convenience init(inputShape: [Int], seed: UInt64, _ layers: [Layer], name: String = "") throws {
        self.init(layers, name: name)
        _ = try build(inputShape: inputShape, seed: seed)
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var chain: Sequential { self }
    public var outputShape: [Int] { outputShapes.last ?? inputShape }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        try assignNames()
        self.inputShape = inputShape
        outputShapes = []
        var shape = inputShape
        for layer in layers {
            shape = try layer.build(inputShape: shape, seed: seed)
            outputShapes.append(shape)
        }
        return shape
    }

    /// Names unnamed layers Keras-style by kind and position (`conv1`, `pool1`,
    /// `conv2`, `dense1`), prefixed by this model's name when it has one.
    private func assignNames() throws {
        var counts: [String: Int] = [:]
        var seen = Set<String>()
        let prefix = name.isEmpty ? "" : name + "."
        for layer in layers {
            let stem = Sequential.nameStem(layer.kind)
            counts[stem, default: 0] += 1
            if layer.name.isEmpty { layer.name = prefix + stem + String(counts[stem]!) }
            guard seen.insert(layer.name).inserted else { throw LayerError.duplicateName(layer.name) }
        }
    }

    static func nameStem(_ kind: String) -> String {
        switch kind {
        case "Conv2D": return "conv"
        case "MaxPool2D": return "pool"
        case "LeakyReLU": return "leaky_relu"
        case "SimpleRNN": return "simple_rnn"
        case "Sequential": return "block"
        case "MultiHeadAttention": return "attn"
        case "LayerNorm": return "layer_norm"
        case "PositionalEncoding": return "positional_encoding"
        case "TransformerBlock": return "transformer"
        default: return kind.lowercased()
        }
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        recorder = context.recorder
        if let r = recorder, r.wants(.input), name.isEmpty { r.record(.input, name: "input", tensor: x) }
        var h = x
        var mask = inputMask
        var pooledAlready = false
        for (i, layer) in layers.enumerated() {
            if pooledAlready {
                pooledAlready = false
                continue
            }
            // A convolution and the max pooling after it in one pass, where nothing is kept or
            // recorded (no mask passes through either: neither makes one, and none came in).
            if !context.backwardFollows, recorder == nil, mask == nil, let conv = layer as? Conv2D,
               i + 1 < layers.count, let pool = layers[i + 1] as? MaxPool2D, let y = try conv.forwardPooled(h, by: pool) {
                (h, pooledAlready) = (y, true)
                continue
            }
            // The same for a pass a backward one follows, where neither output is recorded: the
            // pooling keeps its argmax, and the convolution's output is never stored.
            if context.backwardFollows, mask == nil, let conv = layer as? Conv2D, i + 1 < layers.count,
               let pool = layers[i + 1] as? MaxPool2D, !(recorder?.wants(.activation, name: conv.name) ?? false),
               !(recorder?.wants(.activation, name: pool.name) ?? false),
               let y = try conv.forwardPooledForBackward(h, by: pool) {
                (h, pooledAlready) = (y, true)
                continue
            }
            // The same where the recorder keeps either output: both are stored and measured in that pass.
            // At a statistics-only step the convolution's output may come as a summary, never stored.
            if context.backwardFollows, mask == nil, let r = recorder, let conv = layer as? Conv2D, i + 1 < layers.count,
               let pool = layers[i + 1] as? MaxPool2D, let y = try forwardPooledRecorded(conv, pool, h, into: r) {
                if r.wants(.activation, name: pool.name) {
                    r.record(.activation, name: pool.name, tensor: y, moments: pool.outputMoments)
                }
                (h, pooledAlready) = (y, true)
                continue
            }
            let recorded = recorder.map { $0.wants(.activation, name: layer.name) } == true && !(layer is Sequential)
            let measuring = layer as? MeasuringLayer
            measuring?.measuresOutput = recorded
            (layer as? MaskConsumingLayer)?.inputMask = mask
            h = try layer.forward(h, context: context)
            mask = Self.mask(after: layer, input: mask, output: h)
            if recorded { recorder!.record(.activation, name: layer.name, tensor: h, moments: measuring?.outputMoments) }
            if let r = recorder, let recurrent = layer as? RecurrentLayer { recordStates(of: recurrent, into: r) }
            if let r = recorder, let attention = layer as? AttentionLayer { recordAttention(of: attention, into: r) }
        }
        return h
    }

    /// `conv` and `pool` in one measured pass (`Conv2D.forwardPooledMeasured`), the convolution's
    /// output reported to `r` (as a summary where `r` takes one; where it declines that
    /// summary, the pass runs again storing the output, the same bits); the pooled output, or nil
    /// where the pair does not fuse.
    private func forwardPooledRecorded(_ conv: Conv2D, _ pool: MaxPool2D, _ x: Tensor, into r: Recorder,
                                       summarizing: Bool = true) throws -> Tensor? {
        let wanted = r.wants(.activation, name: conv.name)
        let sample = wanted && summarizing ? r.histogramSample(.activation, name: conv.name) : nil
        guard let y = try conv.forwardPooledMeasured(x, by: pool, summarizing: sample) else { return nil }
        if wanted, let summary = y.summary, !r.record(.activation, name: conv.name, summary: summary) {
            return try forwardPooledRecorded(conv, pool, x, into: r, summarizing: false)
        }
        if wanted, let convolved = y.convolved {
            r.record(.activation, name: conv.name, tensor: convolved, moments: conv.outputMoments)
        }
        return y.pooled
    }

    /// An attention layer's weights and scores (`attention/attn1`, `attention/attn1.scores`,
    /// `[batch, heads, query, key]`) and its Q, K, V (`attn1.query`, `[batch, time, heads, size]`).
    private func recordAttention(of layer: AttentionLayer, into r: Recorder) {
        if r.wants(.attention) {
            if let weights = layer.attentionWeights, r.wants(.attention, name: layer.name) {
                r.record(.attention, name: layer.name, tensor: weights)
            }
            if let scores = layer.attentionScores, r.wants(.attention, name: "\(layer.name).scores") {
                r.record(.attention, name: "\(layer.name).scores", tensor: scores)
            }
        }
        guard r.wants(.activation) else { return }
        for projection in layer.projectionsOfLastPass() {
            let name = "\(layer.name).\(projection.name)"
            if r.wants(.activation, name: name) { r.record(.activation, name: name, tensor: projection.tensor) }
        }
    }

    /// The mask of the steps of `layer`'s output: the one it produces, or the input's
    /// mask passed on while the output keeps the time axis (`[batch, time, …]`, as a
    /// Dense or Dropout on a sequence does), else none.
    private static func mask(after layer: Layer, input: Tensor?, output: Tensor) -> Tensor? {
        if let producer = layer as? MaskProducingLayer { return producer.outputMask }
        guard let input, output.rank >= 3, Array(output.shape.prefix(2)) == input.shape else { return nil }
        return input
    }

    /// Every step's states of a recurrent layer (`state/lstm1.forget_gate`, each
    /// `[batch, time, units]`), for a recorder that keeps them.
    private func recordStates(of layer: RecurrentLayer, into r: Recorder) {
        guard r.wants(.state) else { return }
        for state in layer.states() {
            let name = "\(layer.name).\(state.name)"
            if r.wants(.state, name: name) { r.record(.state, name: name, tensor: state.tensor) }
        }
    }

    /// Backpropagates dL/d(model output) through every layer, reporting dL/d(layer
    /// output) under the layer's name and dL/dθ under each parameter's name.
    ///
    /// The dL/dx a layer returns is recorded under the name of the layer before it (or
    /// as `input`), so that is the name a `MeasuringLayer` is asked to measure it for.
    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        var g: Tensor? = dy
        var moments: TensorMoments?
        // dL/dz of the ReLU layer below, its mask applied by the pooling above it (g too)…
        var rectified: Tensor?
        // …and, for a recorder, dL/dx as patches of that dL/dz.
        var patches: TensorPatches?
        // Whether that ReLU layer's parameter gradients came with the pooling's pass.
        var fusedParameters = false
        for (i, layer) in layers.enumerated().reversed() {
            guard let upstream = g else { break }
            let wantsGradients = recorder?.wants(.gradient) ?? false
            if wantsGradients, !(layer is Sequential) {
                if let patches {
                    recorder!.record(.gradient, name: layer.name, tensor: upstream, moments: moments, patches: patches)
                } else {
                    recorder!.record(.gradient, name: layer.name, tensor: upstream, moments: moments)
                }
            }
            patches = nil
            let measuring = layer as? MeasuringLayer
            measuring?.measuresInputGradient = recordsGradient(below: i, inputGradient: inputGradient)
            if i == 1, let pool = layer as? MaxPool2D, let conv = layers[0] as? Conv2D,
               summarizeFirstLayerGradient(conv, pool, upstream, inputGradient: inputGradient,
                                           parameterGradients: parameterGradients) {
                // The first layer's gradients are done and no dL/dx is asked of it: nothing is left.
                g = nil
            } else if let dz = rectified, let conv = layer as? Conv2D {
                g = conv.backward(preActivationGradient: dz, inputGradient: i > 0 || inputGradient,
                                  parameterGradients: parameterGradients && !fusedParameters)
                (rectified, fusedParameters) = (nil, false)
            } else if let pool = layer as? MaxPool2D, i > 0, let conv = layers[i - 1] as? Conv2D, conv.rectifies,
                      pool.stride >= pool.size || !pool.measuresInputGradient {
                // One pass for the pooling's scatter and the ReLU's mask below it; a recorder that
                // keeps dL/dx gets it as patches of dL/dz (windows that do not overlap). Where it
                // can, the pass brings the convolution's parameter gradients too, and dL/dz only
                // where its dL/dx or the recorder needs it. (The recorder keeps that dL/dx exactly
                // when the pooling measures it, `recordsGradient`: a training pass beside a probe
                // batch, which reports parameter gradients only, takes the unrecorded pass.)
                let patched = pool.measuresInputGradient
                if parameterGradients, let fused = pool.backwardThroughRectifier(
                    upstream, withParametersOf: conv, keepsRectified: i - 1 > 0 || inputGradient || patched,
                    patched: patched) {
                    (g, patches, fusedParameters) = (fused.rectified, fused.patches, true)
                    // Without a dL/dz kept, the convolution gets no turn of its own: its parameter
                    // gradients are reported here.
                    if g == nil { recordParameterGradients(of: conv) }
                } else if patched {
                    (g, patches) = pool.backwardThroughRectifierPatched(upstream)
                } else {
                    g = pool.backwardThroughRectifier(upstream)
                }
                rectified = g
            } else {
                g = layer.backward(upstream, inputGradient: i > 0 || inputGradient, parameterGradients: parameterGradients)
            }
            moments = measuring?.inputGradientMoments
            // dL/dx_t of every step t: how far back in the sequence the loss reaches.
            if wantsGradients, layer is RecurrentLayer, let g {
                recorder!.record(.gradient, name: "\(layer.name).input", tensor: g)
            }
            // A container's parameters are reported by the chain inside it, layer by layer.
            if parameterGradients, !(layer is LayerContainer) { recordParameterGradients(of: layer) }
        }
        if inputGradient, let g, let r = recorder, r.wants(.gradient), name.isEmpty {
            r.record(.gradient, name: "input", tensor: g, moments: moments)
        }
        return g
    }

    /// At a statistics-only step, a ReLU first layer under a pooling whose windows do not overlap
    /// (`MaxPool2D.backwardThroughRectifierSummarized`): its parameter gradients from the
    /// pooling's dy without any dL/dz written (in registers, for a one-channel 3×3 layer), and
    /// dL/d(its output) handed to the recorder as a summary, or, where the recorder declines
    /// that, as a tensor. False (nothing done) where that does not apply.
    private func summarizeFirstLayerGradient(_ conv: Conv2D, _ pool: MaxPool2D, _ dy: Tensor, inputGradient: Bool,
                                             parameterGradients: Bool) -> Bool {
        guard let r = recorder, !inputGradient, parameterGradients, conv.rectifies, pool.measuresInputGradient,
              let sample = r.histogramSample(.gradient, name: conv.name),
              let summary = pool.backwardThroughRectifierSummarized(dy, withParametersOf: conv, sample: sample)
        else { return false }
        if !r.record(.gradient, name: conv.name, summary: summary) {
            let dx = pool.backwardThroughRectifierPatched(dy)
            r.record(.gradient, name: conv.name, tensor: dx.rectified, moments: pool.inputGradientMoments,
                     patches: dx.patches)
        }
        recordParameterGradients(of: conv)
        return true
    }

    /// `layer`'s parameter gradients, to a recorder that keeps gradients.
    private func recordParameterGradients(of layer: Layer) {
        guard let r = recorder, r.wants(.gradient) else { return }
        for p in layer.parameters { r.record(.gradient, name: p.name, tensor: p.gradient) }
    }

    /// Whether the recorder keeps the statistics of the dL/dx that layer `i` returns.
    private func recordsGradient(below i: Int, inputGradient: Bool) -> Bool {
        guard let r = recorder else { return false }
        if i > 0 { return !(layers[i - 1] is Sequential) && r.wants(.gradient, name: layers[i - 1].name) }
        return inputGradient && name.isEmpty && r.wants(.gradient, name: "input")
    }

    /// One row per layer, for summaries and trace manifests.
    public var summary: [LayerSummary] {
        zip(layers, outputShapes).map { layer, shape in
            LayerSummary(name: layer.name, kind: layer.kind, outputShape: shape,
                         parameters: layer.parameters.map { ParameterSummary(name: $0.name, shape: $0.shape) },
                         configuration: layer.configuration)
        }
    }
}

/// A layer made of other layers that a `Sequential` inside it runs (`Sequential`,
/// `Residual`, `TransformerBlock`): that chain reports its layers' activations and
/// gradients, so the model around it does not report the container's parameters again.
public protocol LayerContainer: Layer {
    /// The chain inside (the model itself for a `Sequential`).
    var chain: Sequential { get }
}

/// A layer as a summary table shows it.
public struct LayerSummary: Codable, Equatable, Sendable {
    public var name: String
    public var kind: String
    public var outputShape: [Int]
    public var parameters: [ParameterSummary]
    public var configuration: String

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.shape.reduce(1, *) } }
}

/// A parameter's name and shape.
public struct ParameterSummary: Codable, Equatable, Sendable {
    public var name: String
    public var shape: [Int]
}
