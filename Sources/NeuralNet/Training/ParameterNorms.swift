import Tensor

/// The per-parameter norms a step reports, as scalars named by
/// `ScalarName.gradientNorm(of:)` and `updateNorm(of:)`: ‖∂L/∂θ‖₂ of each parameter's
/// gradient (measured once by the trainer, which also needs them for the global norm)
/// and ‖θ_new − θ_old‖₂ of its update, computed here and nowhere else.
enum ParameterNorms {
    /// The norms of the step's `changes` (θ_new − θ_old of each parameter, in order,
    /// as `Optimizer.updateReturningChanges` gives them) and of gradients of norms
    /// `gradientNorms` (same order), and the changes named for a recorder that keeps them.
    /// The norms are computed one parameter per block over the `WorkerPool` (the
    /// recorder's serial share of a step would otherwise grow with the thread count);
    /// each is the same whoever computes it.
    static func afterUpdate(_ parameters: [Parameter], changes: [Tensor], gradientNorms: [Double])
        -> (scalars: [String: Double], updates: [(name: String, delta: Tensor)]) {
        var norms = [Double](repeating: 0, count: changes.count)
        norms.withUnsafeMutableBufferPointer { norms in
            WorkerPool.shared.run(blocks: changes.count) { i in norms[i] = changes[i].l2Norm }
        }
        var scalars: [String: Double] = [:]
        var updates: [(name: String, delta: Tensor)] = []
        for (i, (p, gradientNorm)) in zip(parameters, gradientNorms).enumerated() {
            scalars[ScalarName.gradientNorm(of: p.name)] = gradientNorm
            scalars[ScalarName.updateNorm(of: p.name)] = norms[i]
            updates.append((p.name, changes[i]))
        }
        return (scalars, updates)
    }

    /// θ_new − θ_old of each parameter from its values in `before` (same order), one
    /// parameter per block over the `WorkerPool`.
    static func changes(_ parameters: [Parameter], since before: [Tensor]) -> [Tensor] {
        let values = parameters.map(\.value)
        var changes = [Tensor?](repeating: nil, count: values.count)
        changes.withUnsafeMutableBufferPointer { changes in
            WorkerPool.shared.run(blocks: values.count) { i in changes[i] = values[i].zipMapped(before[i], -) }
        }
        return changes.map { $0! }
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
