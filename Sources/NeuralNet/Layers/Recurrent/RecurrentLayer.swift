import Tensor

/// What SimpleRNN, LSTM and GRU share, with Keras's conventions so that a Keras user
/// recognises every weight: input `[batch, time, features]`; `kernel` W
/// `[features, gates · units]` (glorot_uniform), `recurrent_kernel` U
/// `[units, gates · units]` (orthogonal), `bias`; output the last hidden state
/// `[batch, units]`, or every step's `[batch, time, units]` with `returnSequences`.
///
/// Each layer owns its step math and its backpropagation through time, in its own
/// file. Both run time-major (`SequenceLayout`): the input projection X·W + b of all
/// steps is one GEMM before the loop; the loop (`RecurrentSequenceKernels`) runs blocks
/// of sequences in parallel, each through every step with its own h_{t−1}·U GEMM; after
/// the backward loop dW, dU, db and dX are one GEMM (or sum) each.
/// Masked steps (`MaskConsumingLayer`) carry the state over, and with
/// `returnSequences` repeat the last real step's output there, as Keras's layers do.
public protocol RecurrentLayer: MaskConsumingLayer, MaskProducingLayer {
    var units: Int { get }
    var returnSequences: Bool { get }
    /// The per-step states of the last forward pass, each `[batch, time, units]`, by
    /// the name a trace gives them under `state/<layer>.`: `hidden`, `cell`,
    /// `input_gate`, `forget_gate`, `output_gate` (LSTM), `update_gate`, `reset_gate` (GRU).
    func states() -> [(name: String, tensor: Tensor)]
}

/// What SimpleRNN, LSTM and GRU have in common besides their step math: the
/// configuration, Keras's three weights, the input's time and feature sizes, and the
/// mask of the steps. Each cell subclasses it and conforms to `RecurrentLayer`.
public class RecurrentBase {
    public var name: String
    public let units: Int
    public let returnSequences: Bool
    public var inputMask: Tensor?
    /// The scale of the orthogonal recurrent kernel when the weights are built (Keras's
    /// `Orthogonal(gain=…)`): above 1 a state's small changes grow from step to step.
    public var recurrentGain: Float = 1
    /// With every step's output, the input's mask still applies; the last step alone has none.
    public var outputMask: Tensor? { returnSequences ? inputMask : nil }
    private(set) var weights: RecurrentWeights?
    public var kernel: Parameter? { weights?.kernel }
    public var recurrentKernel: Parameter? { weights?.recurrentKernel }
    public var bias: Parameter? { weights?.bias }
    private(set) var time = 0
    private(set) var features = 0

    init(units: Int, returnSequences: Bool, name: String) {
        self.units = units
        self.returnSequences = returnSequences
        self.name = name
    }

    public var parameters: [Parameter] { weights.map { [$0.kernel, $0.recurrentKernel, $0.bias] } ?? [] }
    public var configuration: String {
        "units=\(units) return_sequences=\(returnSequences)" + (recurrentGain == 1 ? "" : " recurrent_gain=\(recurrentGain)")
    }

    /// Takes the per-sample input shape `[time, features]` (or throws, naming `layer`),
    /// creates the weights of `gates` blocks, and returns the output shape.
    func buildWeights(_ layer: Layer, inputShape: [Int], seed: UInt64, gates: Int, separateRecurrentBias: Bool = false,
                      biasValue: (Int) -> Float = { _ in 0 }) throws -> [Int] {
        (time, features) = try recurrentInput(layer, inputShape)
        weights = RecurrentWeights(layer: name, features: features, units: units, gates: gates, seed: seed,
                                   recurrentGain: recurrentGain, separateRecurrentBias: separateRecurrentBias,
                                   biasValue: biasValue)
        return returnSequences ? [time, units] : [units]
    }

    /// After the backward loop, over all steps at once: dW = Xᵀ·dA, dU = H_{t−1}ᵀ·dS, the
    /// bias gradient, and dX = dA·Wᵀ batch-major. dA and dS are the gradients of the
    /// input-side and recurrent-side pre-activations (one tensor for SimpleRNN and LSTM).
    func weightAndInputGradients(_ pass: RecurrentPass, hiddens: Tensor, inputSide dA: Tensor, recurrentSide dS: Tensor,
                                 bias: () -> Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        let w = weights!
        if parameterGradients {
            w.kernel.gradient = matmul(pass.x, dA, transposeA: true)
            w.recurrentKernel.gradient = matmul(hiddens.slice(0..<(time * pass.batch)), dS, transposeA: true)
            w.bias.gradient = bias()
        }
        guard inputGradient else { return nil }
        return matmul(dA, w.kernel.value, transposeB: true).batchMajor(batch: pass.batch, time: time)
    }

    /// States of every step `[batch, time, width]` from time-major state blocks
    /// `[(T + 1)·B, width]` whose block 0 is the initial state.
    func stepStates(_ blocks: Tensor, batch: Int) -> Tensor {
        blocks.slice(batch..<((time + 1) * batch)).batchMajor(batch: batch, time: time)
    }

    /// Gate `k` of every step `[batch, time, units]` from time-major gates `[T·B, gates·units]`.
    func gate(_ k: Int, of gates: Tensor, batch: Int) -> Tensor {
        gates.columns((k * units)..<((k + 1) * units)).batchMajor(batch: batch, time: time)
    }
}

/// The time-major view of one forward pass: sizes, the input rows `[T · B, F]` and,
/// per row, whether that step is real (not padding).
struct RecurrentPass {
    let batch: Int
    let time: Int
    let features: Int
    /// Input rows, time-major.
    let x: Tensor
    /// `real[t · B + b]`: step t of sequence b is not padding.
    let real: [Bool]

    init(_ input: Tensor, mask: Tensor?, layer: Layer, features: Int, time: Int) throws {
        try checkInput(layer, input, expected: [time, features])
        batch = input.shape[0]
        self.time = time
        self.features = features
        x = input.timeMajorRows()
        if let mask, mask.shape == [batch, time] {
            var real = [Bool](repeating: true, count: batch * time)
            for b in 0..<batch { for t in 0..<time { real[t * batch + b] = mask.scalars[b * time + t] != 0 } }
            self.real = real
        } else {
            real = [Bool](repeating: true, count: batch * time)
        }
    }

    /// The layer's output from the hidden states `[(T + 1) · B, units]` (block 0 is
    /// h₀): every step's `[B, T, units]` (a masked step's is the state carried over
    /// it), or the last `[B, units]`.
    func output(hiddens: Tensor, units: Int, returnSequences: Bool) -> Tensor {
        guard returnSequences else { return hiddens.rowBlock(time, rows: batch) }
        return hiddens.slice(batch..<((time + 1) * batch)).batchMajor(batch: batch, time: time)
    }

    /// dL/d(each step's hidden state) `[T · B, units]` from dL/d(output). At a masked
    /// step the output is the carried state, so its share flows on to the last real step.
    func hiddenGradients(_ dy: Tensor, units: Int, returnSequences: Bool) -> Tensor {
        if returnSequences { return dy.timeMajorRows() }
        var rows = Tensor(shape: [time * batch, units])
        rows.scalars.replaceSubrange(((time - 1) * batch * units)..<(time * batch * units), with: dy.scalars)
        return rows
    }
}

/// Keras's three weights of a recurrent layer with `gates` blocks of `units` columns.
struct RecurrentWeights {
    let kernel: Parameter
    let recurrentKernel: Parameter
    let bias: Parameter

    /// `bias` is `[gates · units]`, or `[2, gates · units]` with `separateRecurrentBias`
    /// (GRU's reset_after: an input bias row and a recurrent bias row); `biasValue`
    /// sets its starting value (LSTM's forget gate starts at 1).
    init(layer name: String, features: Int, units: Int, gates: Int, seed: UInt64, recurrentGain: Float = 1,
         separateRecurrentBias: Bool = false, biasValue: (Int) -> Float = { _ in 0 }) {
        let width = gates * units
        kernel = Parameter(name: "\(name).kernel",
                           value: Initializer.glorotUniform.make(shape: [features, width], seed: seed, name: "\(name).kernel"),
                           decays: true)
        var recurrent = Initializer.orthogonal.make(shape: [units, width], seed: seed, name: "\(name).recurrent_kernel")
        if recurrentGain != 1 { recurrent.scalars = recurrent.scalars.map { $0 * recurrentGain } }
        recurrentKernel = Parameter(name: "\(name).recurrent_kernel", value: recurrent, decays: true)
        let rows = separateRecurrentBias ? 2 : 1
        let start = (0..<(rows * width)).map { biasValue($0 % width) }
        bias = Parameter(name: "\(name).bias", value: Tensor(shape: separateRecurrentBias ? [2, width] : [width], scalars: start),
                         decays: false)
    }
}

/// The per-sample input shape `[time, features]` a recurrent layer takes, or an error.
func recurrentInput(_ layer: Layer, _ shape: [Int]) throws -> (time: Int, features: Int) {
    guard shape.count == 2, shape[0] >= 1, shape[1] >= 1 else {
        throw LayerError.unsupportedInput(layer: layer.name, kind: layer.kind, shape: shape,
                                          reason: "a recurrent layer takes a sequence [time, features] "
                                              + "(token ids go through an Embedding first)")
    }
    return (shape[0], shape[1])
}
