import Tensor

/// A rule that turns each parameter's gradient into a step, `θ ← θ − …`.
///
/// An optimizer keeps per-parameter state between updates (momentum,
/// squared-gradient averages), keyed by parameter name. It never adds weight
/// decay itself: L2 belongs in the gradient before `update` (see `L2`), as with
/// a Keras `kernel_regularizer`.
///
/// ```swift
/// let adam = Adam()                        // lr 0.001, β1 0.9, β2 0.999, ε 1e-7
/// model.backward(dy)                       // fills each parameter's gradient
/// adam.update(model.parameters)
/// checkpoint["optimizer"] = adam.state()   // "conv1.weight.m", …, "iterations"
/// ```
///
/// To restore into a fresh optimizer, `prepare(parameters)` first so that
/// `loadState` knows which slots to expect.
public protocol Optimizer: AnyObject {
    /// `sgd`, `rmsprop` or `adam`.
    var name: String { get }
    /// The base rate, before the schedule.
    var learningRate: Float { get set }
    var schedule: LearningRateSchedule { get set }
    /// Updates done so far.
    var iterations: Int { get }
    /// The rate the next update will use: the schedule applied to `learningRate` at `iterations`.
    var currentLearningRate: Float { get }
    /// Creates zero state for parameters not seen before (`update` does this too).
    func prepare(_ parameters: [Parameter])
    /// One update from each parameter's `gradient`; L2 must already be in the gradient.
    func update(_ parameters: [Parameter])
    /// `update`, also returning each parameter's change θ_new − θ_old in order (what a
    /// trace records as the step's update).
    func updateReturningChanges(_ parameters: [Parameter]) -> [Tensor]
    /// The state for a checkpoint: one slot per parameter and kind,
    /// `"<parameter>.<kind>"` (`conv1.weight.m`), and `iterations` as a rank-0 tensor.
    func state() -> [String: Tensor]
    /// Restores `state()`; throws `OptimizerError` naming a missing slot or a
    /// shape mismatch, and changes nothing then. Slots of unknown parameters are ignored.
    func loadState(_ state: [String: Tensor]) throws
}

public extension Optimizer {
    var currentLearningRate: Float { schedule.rate(base: learningRate, step: iterations) }

    /// The values before, `update`, then the differences (`Adam` writes them in its own pass).
    func updateReturningChanges(_ parameters: [Parameter]) -> [Tensor] {
        let before = parameters.map(\.value)
        update(parameters)
        return ParameterNorms.changes(parameters, since: before)
    }
}
