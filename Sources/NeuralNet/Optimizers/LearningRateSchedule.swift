import Foundation

/// How the learning rate changes with the update count, as Keras's schedules do.
///
/// - `constant`: `lr`.
/// - `step(every:factor:)`: `lr · factor^⌊step / every⌋`, Keras's
///   `ExponentialDecay(decay_steps: every, decay_rate: factor, staircase: True)`.
/// - `cosine(totalSteps:minimumFactor:)`: Keras's `CosineDecay` with
///   `alpha = minimumFactor`: with `s = min(step, totalSteps)`,
///   `lr · (α + (1 − α) · ½(1 + cos(π s / totalSteps)))`, falling from `lr` to
///   `α·lr` at `totalSteps` and staying there.
///
/// `step` counts updates already done, so the first update uses `rate(base:step: 0)`.
public enum LearningRateSchedule: Equatable, Sendable {
    case constant
    case step(every: Int, factor: Float)
    case cosine(totalSteps: Int, minimumFactor: Float)

    /// The learning rate for update number `step` (0-based) when the base rate is `base`.
    /// A schedule that `validate()` rejects decays not at all (`every` ≤ 0) or is
    /// already at its end (`totalSteps` ≤ 0), rather than dividing by zero.
    public func rate(base: Float, step: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(every, factor):
            guard every > 0 else { return base }
            return base * pow(factor, Float(step / every))
        case let .cosine(totalSteps, alpha):
            guard totalSteps > 0 else { return base * alpha }
            let progress = Double(min(step, totalSteps)) / Double(totalSteps)
            let cosine = Float(0.5 * (1 + cos(Double.pi * progress)))
            return base * (alpha + (1 - alpha) * cosine)
        }
    }

    /// Throws `OptimizerError.invalidSchedule` for a schedule that makes no sense
    /// (a lesson file asking for a step every 0 updates, a negative factor).
    public func validate() throws {
        switch self {
        case .constant:
            return
        case let .step(every, factor):
            if every <= 0 { throw OptimizerError.invalidSchedule(self, reason: "`every` must be at least 1") }
            if factor <= 0 { throw OptimizerError.invalidSchedule(self, reason: "`factor` must be positive") }
        case let .cosine(totalSteps, alpha):
            if totalSteps <= 0 { throw OptimizerError.invalidSchedule(self, reason: "`totalSteps` must be at least 1") }
            if !(0...1).contains(alpha) {
                throw OptimizerError.invalidSchedule(self, reason: "`minimumFactor` must be in 0...1")
            }
        }
    }
}
