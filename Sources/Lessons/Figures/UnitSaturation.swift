import NeuralNet
import Tensor

/// How much of a layer has stopped passing gradient back, measured on the
/// outputs y of its units for a batch of examples (the trace's probe batch).
///
/// Backpropagation multiplies the gradient reaching a unit by the slope of its
/// activation, dL/dz = f′(z) · dL/dy. Where f′ is (nearly) zero the unit's
/// incoming weights get (nearly) no gradient, whatever the loss says:
///
///     dead ReLU       y = 0 for every example, so f′ = 0 for every example
///     saturated σ     y ≈ 0 or 1,  σ′ = y(1 − y) ≪ 0.25
///     saturated tanh  y ≈ ±1,      tanh′ = 1 − y² ≪ 1
///
/// A value is *stuck* when f′ < `threshold` × (the largest slope f can have);
/// a unit is stuck when its value is stuck for every example of the batch —
/// it then learns from none of them. Slopes come from the engine's own
/// `Activation.backward`, so the rule is the one training obeys. A leaky ReLU
/// never gets stuck (its smallest slope is α).
///
/// ```swift
/// let s = UnitSaturation(outputs: probeActivations, activation: .relu, threshold: 0.01)
/// s.stuckUnits    // fraction of dead units
/// ```
public struct UnitSaturation: Equatable, Sendable {
    /// Fraction of units stuck on every example (dead or fully saturated units).
    public var stuckUnits: Double
    /// Fraction of all (example, unit) values that are stuck: on a typical
    /// example, how many units pass (almost) no gradient.
    public var stuckValues: Double

    public init(stuckUnits: Double, stuckValues: Double) {
        self.stuckUnits = stuckUnits
        self.stuckValues = stuckValues
    }

    /// Measures `outputs` (`[examples, ...]`; every value after the first axis is
    /// one unit) of a layer with `activation`.
    public init(outputs: Tensor, activation: Activation, threshold: Float) {
        let examples = outputs.shape.first ?? 0
        let units = examples == 0 ? 0 : outputs.count / examples
        // GELU's slope is a function of its input, which the outputs do not give back: not measured.
        guard units > 0, !activation.derivativeUsesInput else {
            self.init(stuckUnits: 0, stuckValues: 0)
            return
        }
        // f′ at every value: backward of dL/dy = 1 gives dL/dx = f′.
        let slope = activation.backward(Tensor(shape: outputs.shape, repeating: 1), output: outputs).scalars
        let limit = threshold * Self.largestSlope(of: activation)
        var stuckEverywhere = [Bool](repeating: true, count: units)
        var stuckCount = 0
        for e in 0..<examples {
            for u in 0..<units {
                let stuck = abs(slope[e * units + u]) < limit
                if stuck { stuckCount += 1 } else { stuckEverywhere[u] = false }
            }
        }
        self.init(stuckUnits: Double(stuckEverywhere.filter { $0 }.count) / Double(units),
                  stuckValues: Double(stuckCount) / Double(examples * units))
    }

    /// max over x of f′(x): σ′(0) = 1/4; tanh′(0) = 1; 1 for the ReLUs and linear.
    static func largestSlope(of activation: Activation) -> Float {
        activation == .sigmoid ? 0.25 : 1
    }
}
