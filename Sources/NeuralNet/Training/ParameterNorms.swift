import Tensor

/// The per-parameter norms a step reports, as scalars named by
/// `ScalarName.gradientNorm(of:)` and `updateNorm(of:)`: ‖∂L/∂θ‖₂ of each parameter's
/// gradient (measured once by the trainer, which also needs them for the global norm)
/// and ‖θ_new − θ_old‖₂ of its update, computed here and nowhere else.
enum ParameterNorms {
    /// The norms of `parameters` after an update from the values in `before` with
    /// gradients of norms `gradientNorms` (same order), and each update θ_new − θ_old
    /// for a recorder that keeps them.
    /// The deltas and their norms are computed one parameter per block over the
    /// `WorkerPool` (the recorder's serial share of a step would otherwise grow with
    /// the thread count); each is the same whoever computes it.
    static func afterUpdate(_ parameters: [Parameter], before: [Tensor], gradientNorms: [Double])
        -> (scalars: [String: Double], updates: [(name: String, delta: Tensor)]) {
        let values = parameters.map(\.value)
        var deltas = [(delta: Tensor, norm: Double)?](repeating: nil, count: values.count)
        deltas.withUnsafeMutableBufferPointer { deltas in
            WorkerPool.shared.run(blocks: values.count) { i in
                let delta = values[i].zipMapped(before[i], -)
                deltas[i] = (delta, delta.l2Norm)
            }
        }
        var scalars: [String: Double] = [:]
        var updates: [(name: String, delta: Tensor)] = []
        for ((p, update), gradientNorm) in zip(zip(parameters, deltas), gradientNorms) {
            scalars[ScalarName.gradientNorm(of: p.name)] = gradientNorm
            scalars[ScalarName.updateNorm(of: p.name)] = update!.norm
            updates.append((p.name, update!.delta))
        }
        return (scalars, updates)
    }

    /// ‖∂L/∂θ‖₂ of each parameter, one parameter per block over the `WorkerPool`.
    static func gradientNorms(_ parameters: [Parameter]) -> [Double] {
        let gradients = parameters.map(\.gradient)
        var norms = [Double](repeating: 0, count: gradients.count)
        norms.withUnsafeMutableBufferPointer { norms in
            WorkerPool.shared.run(blocks: gradients.count) { i in norms[i] = gradients[i].l2Norm }
        }
        return norms
    }
}
