import Foundation
import Tensor

/// Adam (Kingma & Ba, 2014), exactly as Keras 3's `Adam` computes it.
///
/// Running averages of the gradient and of its square, with the bias
/// correction folded into the step size at update t = iterations + 1:
///
///     m ← β1·m + (1−β1)·g
///     v ← β2·v + (1−β2)·g²
///     α = lr · √(1−β2ᵗ) / (1−β1ᵗ)
///     θ ← θ − α·m / (√v + ε̂)
///
/// ε̂ is the paper's "epsilon hat" (the formula before its section 2.1), added to
/// the uncorrected √v, not Algorithm 1's ε added to √v̂; the two differ when
/// gradients are tiny. Keras defaults: lr 0.001, β1 0.9, β2 0.999, ε̂ 1e-7.
///
/// State: `<parameter>.m` and `<parameter>.v`.
public final class Adam: Optimizer {
    public let name = "adam"
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    private var slots: OptimizerSlots

    public init(learningRate: Float = 0.001, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, schedule: LearningRateSchedule = .constant) {
        self.learningRate = learningRate
        self.schedule = schedule
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.slots = OptimizerSlots(optimizer: name, kinds: ["m", "v"])
    }

    public var iterations: Int { slots.iterations }

    public func prepare(_ parameters: [Parameter]) { slots.prepare(parameters) }

    // m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  θ ← θ − α·m/(√v + ε̂)   (`AdamKernel`)
    public func update(_ parameters: [Parameter]) { _ = step(parameters, keepingChanges: false) }

    public func updateReturningChanges(_ parameters: [Parameter]) -> [Tensor] {
        step(parameters, keepingChanges: true)
    }

    /// Every parameter in one `AdamKernel` step: θ and the slots are taken out, so that the
    /// kernel holds the only reference to each and updates it in place (θ too, unless the
    /// changes are kept: then θ_new goes to a new array), and put back.
    private func step(_ parameters: [Parameter], keepingChanges: Bool) -> [Tensor] {
        let t = Double(iterations + 1)
        let correction = (1 - pow(Double(beta2), t)).squareRoot() / (1 - pow(Double(beta1), t))
        let α = currentLearningRate * Float(correction)
        prepare(parameters)
        var buffers = parameters.map { p in
            AdamKernel.Buffers(θ: Self.takeScalars(&p.value), m: slots.take("m", of: p), v: slots.take("v", of: p),
                               g: p.gradient.scalars)
        }
        AdamKernel.step(&buffers, α: α, β1: beta1, β2: beta2, ε: epsilon, keepingChanges: keepingChanges)
        var changes: [Tensor] = []
        for (p, i) in zip(parameters, buffers.indices) {
            swap(&p.value.scalars, &buffers[i].θ)
            slots.put(buffers[i].m, "m", of: p)
            slots.put(buffers[i].v, "v", of: p)
            if keepingChanges { changes.append(Tensor(shape: p.shape, scalars: buffers[i].change)) }
        }
        slots.countUpdate()
        return changes
    }

    /// The tensor's values, leaving it empty until they are swapped back.
    private static func takeScalars(_ tensor: inout Tensor) -> [Float] {
        var scalars: [Float] = []
        swap(&scalars, &tensor.scalars)
        return scalars
    }

    public func state() -> [String: Tensor] { slots.state() }

    public func loadState(_ state: [String: Tensor]) throws { try slots.load(state) }
}
