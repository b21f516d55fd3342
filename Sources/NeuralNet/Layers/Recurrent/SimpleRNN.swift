import Tensor

/// The plain recurrent layer (Keras's `SimpleRNN`): one tanh of the input and the
/// previous state,
///
///     h_t = tanh(x_t·W + h_{t−1}·U + b)
///
/// with `kernel` W `[features, units]`, `recurrent_kernel` U `[units, units]` and
/// `bias` b `[units]`. Its gradient through many steps is a product of many
/// U·diag(1 − h²) factors, which vanishes or explodes: the reason for LSTM and GRU.
///
/// ```swift
/// let rnn = SimpleRNN(32, returnSequences: true)   // simple_rnn1.kernel, …
/// ```
public final class SimpleRNN: RecurrentBase, RecurrentLayer {
    public let kind = "SimpleRNN"
    private var cache: (pass: RecurrentPass, hiddens: Tensor)?

    public init(_ units: Int, returnSequences: Bool = false, name: String = "") {
        super.init(units: units, returnSequences: returnSequences, name: name)
    }


    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        try buildWeights(self, inputShape: inputShape, seed: seed, gates: 1)
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        let pass = try RecurrentPass(x, mask: inputMask, layer: self, features: features, time: time)
        let w = weights!, (B, u) = (pass.batch, units)
        // a = x·W + b for every step at once; then a_t += h_{t−1}·U and h_t = tanh(a_t).
        var preactivations = matmul(pass.x, w.kernel.value, addingToEveryRow: w.bias.value)
        let hiddens = RecurrentSequenceKernels.tanhForward(batch: B, time: time, units: u,
                                                           recurrentKernel: w.recurrentKernel.value,
                                                           preactivations: &preactivations, real: pass.real)
        cache = (pass, hiddens)
        return pass.output(hiddens: hiddens, units: u, returnSequences: returnSequences)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // Backpropagation through time (dh = dL/dh_t from the output + dh_next):
    //   da = dh ⊙ (1 − h_t²)      dh_next ← da · Uᵀ
    // then dW = Xᵀ·dA, dU = H_{t−1}ᵀ·dA, db = Σ dA, dX = dA·Wᵀ.
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let (pass, hiddens) = cache else { preconditionFailure("\(name): backward before forward") }
        let w = weights!, (B, u) = (pass.batch, units)
        let dH = pass.hiddenGradients(dy, units: u, returnSequences: returnSequences)
        let dA = RecurrentSequenceKernels.tanhBackward(batch: B, time: time, units: u,
                                                       recurrentKernel: w.recurrentKernel.value,
                                                       hiddens: hiddens, dOutput: dH, real: pass.real)
        return weightAndInputGradients(pass, hiddens: hiddens, inputSide: dA, recurrentSide: dA, bias: { sumRows(dA) },
                                       inputGradient: inputGradient, parameterGradients: parameterGradients)
    }

    public func states() -> [(name: String, tensor: Tensor)] {
        guard let (pass, hiddens) = cache else { return [] }
        return [("hidden", stepStates(hiddens, batch: pass.batch))]
    }
}
