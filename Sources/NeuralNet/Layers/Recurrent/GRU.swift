import Foundation
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
public final class GRU: RecurrentLayer {
    public var name: String
    public let kind = "GRU"
    public let units: Int
    public let returnSequences: Bool
    public var inputMask: Tensor?
    public var outputMask: Tensor? { returnSequences ? inputMask : nil }
    private(set) var weights: RecurrentWeights?
    public var kernel: Parameter? { weights?.kernel }
    public var recurrentKernel: Parameter? { weights?.recurrentKernel }
    public var bias: Parameter? { weights?.bias }
    private var time = 0
    private var features = 0
    /// gates: (z, r, ĥ) per row `[T·B, 3u]`; recurrent: s_h per row `[T·B, u]`.
    private var cache: (pass: RecurrentPass, gates: Tensor, recurrent: Tensor, hiddens: Tensor)?

    public init(_ units: Int, returnSequences: Bool = false, name: String = "") {
        self.units = units
        self.returnSequences = returnSequences
        self.name = name
    }

    public var parameters: [Parameter] { weights.map { [$0.kernel, $0.recurrentKernel, $0.bias] } ?? [] }
    public var configuration: String { "units=\(units) return_sequences=\(returnSequences) reset_after=true" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        (time, features) = try recurrentInput(self, inputShape)
        weights = RecurrentWeights(layer: name, features: features, units: units, gates: 3, seed: seed,
                                   separateRecurrentBias: true)
        return returnSequences ? [time, units] : [units]
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        let pass = try RecurrentPass(x, mask: inputMask, layer: self, features: features, time: time)
        let w = weights!, (B, u) = (pass.batch, units)
        let inputBias = w.bias.value.slice(0), recurrentBias = w.bias.value.slice(1)
        var projected = Tensor(shape: [time * B, 3 * u])
        projected.fillRows(with: inputBias)
        matmul(pass.x, w.kernel.value, into: &projected, accumulate: true)
        var gates = Tensor(shape: [time * B, 3 * u]), recurrent = Tensor(shape: [time * B, u])
        var hiddens = Tensor(shape: [(time + 1) * B, u])
        for t in 0..<time {
            var s = Tensor(shape: [B, 3 * u])
            s.fillRows(with: recurrentBias)
            matmul(hiddens.rowBlock(t, rows: B), w.recurrentKernel.value, into: &s, accumulate: true)
            for b in 0..<B {
                let row = t * B + b, previous = t * B + b, next = (t + 1) * B + b
                for j in 0..<u {
                    let hPrevious = hiddens.scalars[previous * u + j]
                    guard pass.real[row] else { hiddens.scalars[next * u + j] = hPrevious; continue }
                    let (ar, sr) = (row * 3 * u, b * 3 * u)
                    let z = sigmoid(projected.scalars[ar + j] + s.scalars[sr + j])
                    let r = sigmoid(projected.scalars[ar + u + j] + s.scalars[sr + u + j])
                    let sh = s.scalars[sr + 2 * u + j]
                    let candidate = tanhf(projected.scalars[ar + 2 * u + j] + r * sh)
                    hiddens.scalars[next * u + j] = z * hPrevious + (1 - z) * candidate
                    (gates.scalars[ar + j], gates.scalars[ar + u + j], gates.scalars[ar + 2 * u + j]) = (z, r, candidate)
                    recurrent.scalars[row * u + j] = sh
                }
            }
        }
        cache = (pass, gates, recurrent, hiddens)
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
    // then dW = Xᵀ·dA, db_x = Σ dA, dU = H_{t−1}ᵀ·dS, db_h = Σ dS, dX = dA·Wᵀ.
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let (pass, gates, recurrent, hiddens) = cache else { preconditionFailure("\(name): backward before forward") }
        let w = weights!, (B, u) = (pass.batch, units)
        let dH = pass.hiddenGradients(dy, units: u, returnSequences: returnSequences)
        var dA = Tensor(shape: [time * B, 3 * u]), dS = Tensor(shape: [time * B, 3 * u])
        var dhNext = Tensor(shape: [B, u])
        for t in (0..<time).reversed() {
            var direct = Tensor(shape: [B, u])
            for b in 0..<B {
                let row = t * B + b, previous = t * B + b, local = b * u
                for j in 0..<u {
                    let dh = dH.scalars[row * u + j] + dhNext.scalars[local + j]
                    guard pass.real[row] else { direct.scalars[local + j] = dh; continue }
                    let gr = row * 3 * u
                    let (z, r, candidate) = (gates.scalars[gr + j], gates.scalars[gr + u + j], gates.scalars[gr + 2 * u + j])
                    let dz = dh * (hiddens.scalars[previous * u + j] - candidate) * z * (1 - z)
                    let da = dh * (1 - z) * (1 - candidate * candidate)
                    let dr = da * recurrent.scalars[row * u + j] * r * (1 - r)
                    (dA.scalars[gr + j], dA.scalars[gr + u + j], dA.scalars[gr + 2 * u + j]) = (dz, dr, da)
                    (dS.scalars[gr + j], dS.scalars[gr + u + j], dS.scalars[gr + 2 * u + j]) = (dz, dr, da * r)
                    direct.scalars[local + j] = dh * z
                }
            }
            matmul(dS.rowBlock(t, rows: B), w.recurrentKernel.value, transposeB: true, into: &direct, accumulate: true)
            dhNext = direct
        }
        if parameterGradients {
            w.kernel.gradient = matmul(pass.x, dA, transposeA: true)
            w.recurrentKernel.gradient = matmul(hiddens.slice(0..<(time * B)), dS, transposeA: true)
            w.bias.gradient = Tensor(shape: [2, 3 * u], scalars: sumRows(dA).scalars + sumRows(dS).scalars)
        }
        guard inputGradient else { return nil }
        return matmul(dA, w.kernel.value, transposeB: true).batchMajor(batch: B, time: time)
    }

    public func states() -> [(name: String, tensor: Tensor)] {
        guard let (pass, gates, _, hiddens) = cache else { return [] }
        let (B, u) = (pass.batch, units)
        func gate(_ k: Int) -> Tensor { gates.columns((k * u)..<((k + 1) * u)).batchMajor(batch: B, time: time) }
        return [("hidden", hiddens.slice(B..<((time + 1) * B)).batchMajor(batch: B, time: time)),
                ("update_gate", gate(0)), ("reset_gate", gate(1)), ("candidate", gate(2))]
    }
}

@inline(__always) private func sigmoid(_ x: Float) -> Float { Activation.sigmoid(x) }
