import Tensor

/// Clipping by global norm (Keras's `global_clipnorm`, Pascanu et al. 2013): when the
/// gradient of all parameters together is longer than `maxNorm`, every parameter's
/// gradient is scaled by the same factor, so the step keeps its direction:
///
///     g = √(Σ_θ ‖∂L/∂θ‖²)        ∂L/∂θ ← ∂L/∂θ · maxNorm / g    when g > maxNorm
///
/// An exploding gradient then moves the weights by a bounded step instead of
/// throwing them far away.
public enum GradientClipping {
    /// ‖∂L/∂θ‖₂ over every parameter at once, from each parameter's ‖∂L/∂θ‖₂.
    public static func globalNorm(of norms: [Double]) -> Double {
        norms.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// Scales every gradient by `maxNorm / norm` when `norm` (their global norm) exceeds
    /// `maxNorm`; returns the factor applied (1 when the gradient was within the limit).
    @discardableResult
    public static func clip(_ parameters: [Parameter], norm: Double, to maxNorm: Float) -> Float {
        guard norm > Double(maxNorm), norm.isFinite else { return 1 }
        let scale = Float(Double(maxNorm) / norm)
        for p in parameters { p.gradient.mapInPlace { $0 * scale } }
        return scale
    }
}
