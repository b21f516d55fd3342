import Tensor

/// Stochastic gradient descent with optional momentum, in Keras's formulation.
///
/// Without momentum, `θ ← θ − lr·g`. With momentum μ the step follows a velocity
/// that remembers past gradients:
///
///     v ← μ·v − lr·g
///     θ ← θ + v                   (Nesterov: θ ← θ + μ·v − lr·g, a look-ahead along the new velocity)
///
/// State: `<parameter>.v` when μ ≠ 0, flushed to zero below the smallest normal
/// float (`SubnormalFlush`: with a zero gradient it decays by μ at every step).
///
/// ```swift
/// let sgd = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
/// ```
public final class SGD: Optimizer {
    public let name = "sgd"
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    public let momentum: Float
    public let nesterov: Bool
    private var slots: OptimizerSlots

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                schedule: LearningRateSchedule = .constant) {
        self.learningRate = learningRate
        self.schedule = schedule
        self.momentum = momentum
        self.nesterov = nesterov
        self.slots = OptimizerSlots(optimizer: name, kinds: momentum == 0 ? [] : ["v"])
    }

    public var iterations: Int { slots.iterations }

    public func prepare(_ parameters: [Parameter]) { slots.prepare(parameters) }

    public func update(_ parameters: [Parameter]) {
        let lr = currentLearningRate
        prepare(parameters)
        for p in parameters {
            if momentum == 0 {
                Self.descend(&p.value.scalars, p.gradient.scalars, lr: lr)
            } else {
                var v = slots.take("v", of: p)
                Self.step(&p.value.scalars, &v, p.gradient.scalars, lr: lr, μ: momentum, nesterov: nesterov)
                slots.put(v, "v", of: p)
            }
        }
        slots.countUpdate()
    }

    public func state() -> [String: Tensor] { slots.state() }

    public func loadState(_ state: [String: Tensor]) throws { try slots.load(state) }

    // θ ← θ − lr·g
    private static func descend(_ θ: inout [Float], _ g: [Float], lr: Float) {
        for i in θ.indices { θ[i] -= lr * g[i] }
    }

    // v ← μ·v − lr·g;  θ ← θ + v  (Nesterov: θ ← θ + μ·v − lr·g)
    private static func step(_ θ: inout [Float], _ v: inout [Float], _ g: [Float],
                             lr: Float, μ: Float, nesterov: Bool) {
        for i in θ.indices {
            v[i] = SubnormalFlush.flush(μ * v[i] - lr * g[i])
            θ[i] += nesterov ? μ * v[i] - lr * g[i] : v[i]
        }
    }
}
