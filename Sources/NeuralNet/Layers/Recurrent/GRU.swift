import Tensor

/// Gated recurrent unit (Keras's `GRU` with its default `reset_after=True`, Cho et al.
/// 2014, the variant cuDNN runs). The input and recurrent products keep separate
/// biases, `bias` = [b_x; b_h] `[2, 3·units]`, blocks in Keras's order (update, reset,
/// candidate). At step t, with x_t·W + b_x = (a_z, a_r, a_h) and
/// h_{t−1}·U + b_h = (s_z, s_r, s_h):
///
///     z = σ(a_z + s_z)   r = σ(a_r + s_r)   ĥ = tanh(a_h + r ⊙ s_h)
///     h_t = z ⊙ h_{t−1} + (1 − z) ⊙ ĥ
///
/// The reset gate scales the recurrent part after the product ("reset after").
///
/// ```swift
/// let gru = GRU(128, returnSequences: true)   // gru1.kernel, gru1.recurrent_kernel, gru1.bias
/// ```
public final class GRU: RecurrentBase, RecurrentLayer {
    public let kind = "GRU"
    /// gates: (z, r, ĥ) per row `[T·B, 3u]`; recurrentCandidate: s_h per row `[T·B, u]`.
    private var cache: (pass: RecurrentPass, gates: Tensor, recurrentCandidate: Tensor, hiddens: Tensor)?

    public init(_ units: Int, returnSequences: Bool = false, name: String = "") {
        super.init(units: units, returnSequences: returnSequences, name: name)
    }

    public override var configuration: String { "units=\(units) return_sequences=\(returnSequences) reset_after=true" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        try buildWeights(self, inputShape: inputShape, seed: seed, gates: 3, separateRecurrentBias: true)
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        let pass = try RecurrentPass(x, mask: inputMask, layer: self, features: features, time: time)
        let w = weights!, (B, u) = (pass.batch, units)
        let inputBias = w.bias.value.slice(0), recurrentBias = w.bias.value.slice(1)
        // Every step's a_t = x_t·W + b_x at once; then step by step s = h_{t−1}·U + b_h
        // and the gates and h_t from a_t and s (`RecurrentSequenceKernels.gruForward`).
        var gates = matmul(pass.x, w.kernel.value, addingToEveryRow: inputBias)
        let (recurrentCandidate, hiddens) = RecurrentSequenceKernels.gruForward(
            batch: B, time: time, units: u, recurrentKernel: w.recurrentKernel.value, recurrentBias: recurrentBias,
            gates: &gates, real: pass.real)
        cache = (pass, gates, recurrentCandidate, hiddens)
        return pass.output(hiddens: hiddens, units: u, returnSequences: returnSequences)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // Backpropagation through time (dh = dL/dh_t from the output + dh_next):
    //   dz = dh ⊙ (h_{t−1} − ĥ)        dâ = dh ⊙ (1 − z) ⊙ (1 − ĥ²)     (â = a_h + r ⊙ s_h)
    //   dr = dâ ⊙ s_h
    //   input side  dA = (dz ⊙ z(1 − z), dr ⊙ r(1 − r), dâ)
    //   recurrent   dS = (dz ⊙ z(1 − z), dr ⊙ r(1 − r), dâ ⊙ r)
    //   dh_next ← dh ⊙ z + dS · Uᵀ
    // (`RecurrentSequenceKernels.gruBackward`), then over all steps at once:
    //   dW = Xᵀ·dA    db_x = Σ dA    dU = H_{t−1}ᵀ·dS    db_h = Σ dS    dX = dA·Wᵀ.
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let (pass, gates, recurrentCandidate, hiddens) = cache else {
            preconditionFailure("\(name): backward before forward")
        }
        let w = weights!, (B, u) = (pass.batch, units)
        let dH = pass.hiddenGradients(dy, units: u, returnSequences: returnSequences)
        let (dA, dS) = RecurrentSequenceKernels.gruBackward(batch: B, time: time, units: u,
                                                            recurrentKernel: w.recurrentKernel.value,
                                                            gates: gates, recurrentCandidate: recurrentCandidate,
                                                            hiddens: hiddens, dOutput: dH, real: pass.real)
        return weightAndInputGradients(pass, hiddens: hiddens, inputSide: dA, recurrentSide: dS,
                                       bias: { Tensor(shape: [2, 3 * u], scalars: sumRows(dA).scalars + sumRows(dS).scalars) },
                                       inputGradient: inputGradient, parameterGradients: parameterGradients)
    }

    public func states() -> [(name: String, tensor: Tensor)] {
        guard let (pass, gates, _, hiddens) = cache else { return [] }
        let B = pass.batch
        return [("hidden", stepStates(hiddens, batch: B)), ("update_gate", gate(0, of: gates, batch: B)),
                ("reset_gate", gate(1, of: gates, batch: B)), ("candidate", gate(2, of: gates, batch: B))]
    }
}
