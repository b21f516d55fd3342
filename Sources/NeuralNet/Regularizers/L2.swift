import Tensor

/// L2 weight decay with Keras's `l2` regularizer semantics: the loss gains
/// `λ Σ θ²` over every parameter that `decays` (weights, not biases), so each
/// such gradient gains `2λθ`.
///
/// The trainer adds `penalty` to the reported loss and calls `addGradient`
/// after the backward pass, before the optimizer's update:
///
/// ```swift
/// let l2 = L2(lambda: 1e-4)
/// loss += l2.penalty(model.parameters)
/// l2.addGradient(to: model.parameters)
/// ```
public struct L2: Equatable, Sendable {
    public var lambda: Float

    /// Keras's default factor is 0.01.
    public init(lambda: Float = 0.01) { self.lambda = lambda }

    /// λ Σ θ² over the parameters that decay.
    public func penalty(_ parameters: [Parameter]) -> Float {
        var sum: Double = 0
        for p in parameters where p.decays {
            sum += p.value.scalars.reduce(0) { $0 + Double($1 * $1) }
        }
        return lambda * Float(sum)
    }

    /// g ← g + 2λθ for the parameters that decay.
    public func addGradient(to parameters: [Parameter]) {
        for p in parameters where p.decays {
            Self.addScaled(&p.gradient.scalars, 2 * lambda, p.value.scalars)
        }
    }

    // g ← g + a·θ
    private static func addScaled(_ g: inout [Float], _ a: Float, _ θ: [Float]) {
        for i in g.indices { g[i] += a * θ[i] }
    }
}
