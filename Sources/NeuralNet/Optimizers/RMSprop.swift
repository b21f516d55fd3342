import Tensor

/// RMSprop (Hinton, 2012): divides each gradient by a running root mean square
/// of recent gradients, exactly as Keras 3's `RMSprop` does.
///
///     v ← ρ·v + (1−ρ)·g²
///     θ ← θ − lr·g / √(v + ε)                       (ε inside the root, as Keras)
///
/// `centered` also tracks the mean gradient ḡ ← ρ·ḡ + (1−ρ)·g and divides by
/// √(v − ḡ² + ε), an estimate of the variance; `momentum` μ > 0 accumulates the
/// steps, m ← μ·m + lr·g/√(…), θ ← θ − m. Keras defaults: lr 0.001, ρ 0.9,
/// ε 1e-7, μ 0, not centered.
///
/// State: `<parameter>.v`, plus `.m` with momentum and `.g_avg` when centered; each
/// flushed to zero below the smallest normal float (`SubnormalFlush`: with a zero
/// gradient they decay by ρ or μ at every step).
public final class RMSprop: Optimizer {
    public let name = "rmsprop"
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    public let rho: Float
    public let momentum: Float
    public let epsilon: Float
    public let centered: Bool
    private var slots: OptimizerSlots

    public init(learningRate: Float = 0.001, rho: Float = 0.9, momentum: Float = 0,
                epsilon: Float = 1e-7, centered: Bool = false, schedule: LearningRateSchedule = .constant) {
        self.learningRate = learningRate
        self.schedule = schedule
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        let kinds = ["v"] + (momentum > 0 ? ["m"] : []) + (centered ? ["g_avg"] : [])
        self.slots = OptimizerSlots(optimizer: name, kinds: kinds)
    }

    public var iterations: Int { slots.iterations }

    public func prepare(_ parameters: [Parameter]) { slots.prepare(parameters) }

    public func update(_ parameters: [Parameter]) {
        let lr = currentLearningRate
        prepare(parameters)
        for p in parameters {
            var v = slots.take("v", of: p)
            var m = momentum > 0 ? slots.take("m", of: p) : []
            var gAvg = centered ? slots.take("g_avg", of: p) : []
            step(&p.value.scalars, &v, &m, &gAvg, p.gradient.scalars, lr: lr)
            slots.put(v, "v", of: p)
            if momentum > 0 { slots.put(m, "m", of: p) }
            if centered { slots.put(gAvg, "g_avg", of: p) }
        }
        slots.countUpdate()
    }

    public func state() -> [String: Tensor] { slots.state() }

    public func loadState(_ state: [String: Tensor]) throws { try slots.load(state) }

    // v ← ρv + (1−ρ)g²          [centered: ḡ ← ρḡ + (1−ρ)g]
    // Δ = lr·g / √(v [− ḡ²] + ε)  [momentum: m ← μm + Δ, Δ = m]
    // θ ← θ − Δ
    private func step(_ θ: inout [Float], _ v: inout [Float], _ m: inout [Float], _ gAvg: inout [Float],
                      _ g: [Float], lr: Float) {
        let (ρ, μ, ε, centered) = (rho, momentum, epsilon, self.centered)
        for i in θ.indices {
            v[i] = SubnormalFlush.flush(ρ * v[i] + (1 - ρ) * g[i] * g[i])
            var meanSquare = v[i]
            if centered {
                gAvg[i] = SubnormalFlush.flush(ρ * gAvg[i] + (1 - ρ) * g[i])
                meanSquare -= gAvg[i] * gAvg[i]
            }
            var Δ = lr * g[i] / (meanSquare + ε).squareRoot()
            if μ > 0 {
                m[i] = SubnormalFlush.flush(μ * m[i] + Δ)
                Δ = m[i]
            }
            θ[i] -= Δ
        }
    }
}
