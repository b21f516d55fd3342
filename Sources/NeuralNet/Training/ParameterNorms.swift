import Tensor

/// The per-parameter norms a step reports, as scalars named by
/// `ScalarName.gradientNorm(of:)` and `updateNorm(of:)`: ‖∂L/∂θ‖₂ of each parameter's
/// gradient (measured once by the trainer, which also needs them for the global norm)
/// and ‖θ_new − θ_old‖₂ of its update, computed here and nowhere else.
enum ParameterNorms {
    /// The norms of `parameters` after an update from the values in `before` with
    /// gradients of norms `gradientNorms` (same order), and each update θ_new − θ_old
    /// for a recorder that keeps them.
    static func afterUpdate(_ parameters: [Parameter], before: [Tensor], gradientNorms: [Double])
        -> (scalars: [String: Double], updates: [(name: String, delta: Tensor)]) {
        var scalars: [String: Double] = [:]
        var updates: [(name: String, delta: Tensor)] = []
        for ((p, old), gradientNorm) in zip(zip(parameters, before), gradientNorms) {
            let delta = p.value.zipMapped(old, -)
            scalars[ScalarName.gradientNorm(of: p.name)] = gradientNorm
            scalars[ScalarName.updateNorm(of: p.name)] = delta.l2Norm
            updates.append((p.name, delta))
        }
        return (scalars, updates)
    }
}
