import Tensor

/// The per-parameter norms a step reports, computed here and nowhere else:
/// ‖∂L/∂θ‖₂ of each parameter's gradient and ‖θ_new − θ_old‖₂ of its update, as
/// scalars named by `ScalarName.gradientNorm(of:)` and `updateNorm(of:)`.
enum ParameterNorms {
    /// The norms of `parameters` after an update from the values in `before`
    /// (same order), and each update θ_new − θ_old for a recorder that keeps them.
    static func afterUpdate(_ parameters: [Parameter], before: [Tensor])
        -> (scalars: [String: Double], updates: [(name: String, delta: Tensor)]) {
        var scalars: [String: Double] = [:]
        var updates: [(name: String, delta: Tensor)] = []
        for (p, old) in zip(parameters, before) {
            let delta = p.value.zipMapped(old, -)
            scalars[ScalarName.gradientNorm(of: p.name)] = p.gradient.l2Norm
            scalars[ScalarName.updateNorm(of: p.name)] = delta.l2Norm
            updates.append((p.name, delta))
        }
        return (scalars, updates)
    }
}
