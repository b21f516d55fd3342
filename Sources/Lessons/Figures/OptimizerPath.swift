import NeuralNet
import Tensor

/// The walk of one of the engine's optimizers over a `TestSurface`: the same `SGD`,
/// `RMSprop` and `Adam` objects that train networks, updating a single two-element
/// parameter θ = (x, y) whose gradient is the surface's analytic gradient.
///
/// ```swift
/// let path = OptimizerPath.walk(on: .rosenbrock, optimizer: .momentum, learningRate: 0.001,
///                               from: [-1.2, 1], steps: 1000)
/// path.points.last   // where θ stands after 1000 updates
/// ```
public struct OptimizerPath {
    public let optimizer: OptimizerName
    public let learningRate: Double
    /// θ₀ (the start), θ₁, …: one point per update, fewer if the walk diverged.
    public let points: [SIMD2<Double>]
    /// The walk left every sensible range (|θ| > 10⁶ or not finite) and was stopped there.
    public let diverged: Bool

    /// Momentum coefficient μ of the `momentum` and `nesterov` walks (the lesson format's default).
    public static let momentum: Float = 0.9

    /// `steps` updates of the optimizer `name` (fresh state, constant rate) from `start`.
    public static func walk(on surface: TestSurface, optimizer name: OptimizerName, learningRate: Double,
                            from start: SIMD2<Double>, steps: Int) -> OptimizerPath {
        let optimizer = ModelFactory.optimizer(name, learningRate: Float(learningRate),
                                               momentum: name.usesMomentum ? momentum : 0)
        let θ = Parameter(name: "θ", value: Tensor(shape: [2], scalars: [Float(start.x), Float(start.y)]), decays: false)
        var points = [start], diverged = false
        for _ in 0..<steps {
            let (x, y) = (Double(θ.value.scalars[0]), Double(θ.value.scalars[1]))
            let g = surface.gradient(x, y)
            θ.gradient = Tensor(shape: [2], scalars: [Float(g.x), Float(g.y)])
            optimizer.update([θ])
            let next = SIMD2(Double(θ.value.scalars[0]), Double(θ.value.scalars[1]))
            points.append(next)
            if !(next.x.isFinite && next.y.isFinite) || max(abs(next.x), abs(next.y)) > 1e6 {
                diverged = true
                break
            }
        }
        return OptimizerPath(optimizer: name, learningRate: learningRate, points: points, diverged: diverged)
    }

    /// The name figures show: `SGD`, `momentum 0.9`, `Nesterov 0.9`, `RMSprop`, `Adam`.
    public static func displayName(_ optimizer: OptimizerName) -> String {
        optimizer.usesMomentum ? "\(optimizer.displayName) \(momentum)" : optimizer.displayName
    }

    /// `SGD, lr 0.001`: the legend entry of this path.
    public var label: String { "\(Self.displayName(optimizer)), lr \(learningRate)" }

    /// The first step at which θ is within `radius` of `point` and stays there to the end, if any.
    public func arrival(at point: SIMD2<Double>, radius: Double) -> Int? {
        guard !diverged else { return nil }
        var arrived: Int?
        for (step, p) in points.enumerated() {
            let d = p - point
            if (d * d).sum().squareRoot() <= radius { arrived = arrived ?? step } else { arrived = nil }
        }
        return arrived
    }
}
