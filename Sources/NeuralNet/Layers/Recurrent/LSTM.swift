import Tensor

/// Long short-term memory (Keras's `LSTM`, Hochreiter & Schmidhuber 1997). At step t,
/// with z_t = x_t·W + h_{t−1}·U + b split into four blocks of `units` in Keras's
/// order (input, forget, cell, output):
///
///     i = σ(z_i)   f = σ(z_f)   g = tanh(z_c)   o = σ(z_o)
///     c_t = f ⊙ c_{t−1} + i ⊙ g          h_t = o ⊙ tanh(c_t)
///
/// The forget gate's bias starts at 1 (Keras's `unit_forget_bias`), so the cell
/// remembers by default. Weights: `kernel` `[features, 4·units]`, `recurrent_kernel`
/// `[units, 4·units]`, `bias` `[4·units]` (`RecurrentLayer`).
///
/// ```swift
/// let lstm = LSTM(128, returnSequences: true)   // lstm1.kernel, lstm1.recurrent_kernel, lstm1.bias
/// ```
public final class LSTM: RecurrentBase, RecurrentLayer {
    public let kind = "LSTM"
    private var cache: (pass: RecurrentPass, gates: Tensor, cells: Tensor, hiddens: Tensor)?

    public init(_ units: Int, returnSequences: Bool = false, name: String = "") {
        super.init(units: units, returnSequences: returnSequences, name: name)
    }


    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let u = units
        return try buildWeights(self, inputShape: inputShape, seed: seed, gates: 4, biasValue: { $0 >= u && $0 < 2 * u ? 1 : 0 })
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        let pass = try RecurrentPass(x, mask: inputMask, layer: self, features: features, time: time)
        let w = weights!, (B, u) = (pass.batch, units)
        // Every step's x_t·W + b at once: [T·B, 4u]; then step by step z_t += h_{t−1}·U,
        // and the gates, c_t and h_t from z_t (`RecurrentSequenceKernels.lstmForward`).
        var gates = matmul(pass.x, w.kernel.value, addingToEveryRow: w.bias.value)
        let (cells, hiddens) = RecurrentSequenceKernels.lstmForward(batch: B, time: time, units: u,
                                                                    recurrentKernel: w.recurrentKernel.value,
                                                                    gates: &gates, real: pass.real)
        cache = (pass, gates, cells, hiddens)
        return pass.output(hiddens: hiddens, units: u, returnSequences: returnSequences)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // Backpropagation through time, from the last step to the first, with dh and dc
    // flowing back from step t + 1 (tc = tanh(c_t)):
    //   dh = dL/dh_t (from the output) + dh_next      dc = dc_next + dh ⊙ o ⊙ (1 − tc²)
    //   dz_o = dh ⊙ tc ⊙ o(1 − o)    dz_c = dc ⊙ i ⊙ (1 − g²)
    //   dz_i = dc ⊙ g ⊙ i(1 − i)     dz_f = dc ⊙ c_{t−1} ⊙ f(1 − f)
    //   dh_next ← dz · Uᵀ            dc_next ← dc ⊙ f
    // (`RecurrentSequenceKernels.lstmBackward`), then over all steps at once:
    //   dW = Xᵀ·dZ    dU = H_{t−1}ᵀ·dZ    db = Σ dZ    dX = dZ·Wᵀ.
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let (pass, gates, cells, hiddens) = cache else { preconditionFailure("\(name): backward before forward") }
        let w = weights!, (B, u) = (pass.batch, units)
        let dH = pass.hiddenGradients(dy, units: u, returnSequences: returnSequences)
        let dZ = RecurrentSequenceKernels.lstmBackward(batch: B, time: time, units: u,
                                                       recurrentKernel: w.recurrentKernel.value,
                                                       gates: gates, cells: cells, dOutput: dH, real: pass.real)
        return weightAndInputGradients(pass, hiddens: hiddens, inputSide: dZ, recurrentSide: dZ, bias: { sumRows(dZ) },
                                       inputGradient: inputGradient, parameterGradients: parameterGradients)
    }

    public func states() -> [(name: String, tensor: Tensor)] {
        guard let (pass, gates, cells, hiddens) = cache else { return [] }
        let B = pass.batch
        return [("hidden", stepStates(hiddens, batch: B)), ("cell", stepStates(cells, batch: B)),
                ("input_gate", gate(0, of: gates, batch: B)), ("forget_gate", gate(1, of: gates, batch: B)),
                ("cell_candidate", gate(2, of: gates, batch: B)), ("output_gate", gate(3, of: gates, batch: B))]
    }
}
