import XCTest
import Tensor
@testable import NeuralNet

/// Finite-difference checks of backward passes along random directions:
/// for L(θ) = Σ r ⊙ f(x; θ) with a fixed random r, the analytic directional
/// derivative ⟨∇L, v⟩ must match (L(θ + εv) − L(θ − εv)) / 2ε.
enum GradientCheck {
    static func randomTensor(_ shape: [Int], _ name: String, seed: UInt64 = 11) -> Tensor {
        var rng = RandomStream(seed: seed, name: name)
        var t = Tensor(shape: shape)
        for i in t.scalars.indices { t.scalars[i] = rng.nextNormal() }
        return t
    }

    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    static func shifted(_ t: Tensor, _ v: Tensor, _ eps: Float) -> Tensor {
        var out = t
        for i in out.scalars.indices { out.scalars[i] += eps * v.scalars[i] }
        return out
    }

    /// Checks dL/dx and every dL/dθ of `layer` (already built) on input `x`.
    static func check(_ layer: Layer, input x: Tensor, eps: Float = 1e-2, tolerance: Double = 2e-2,
                      file: StaticString = #filePath, line: UInt = #line) throws {
        let context = ForwardContext(training: true, step: 3, seed: 5)
        let y = try layer.forward(x, context: context)
        let r = randomTensor(y.shape, "upstream")
        func lossAt(_ input: Tensor) throws -> Double { dot(try layer.forward(input, context: context), r) }

        _ = try layer.forward(x, context: context)
        let dx = layer.backward(r, inputGradient: true)!
        let grads = layer.parameters.map(\.gradient)

        for k in 0..<3 {
            let v = randomTensor(x.shape, "direction-x", seed: UInt64(k))
            let numeric = (try lossAt(shifted(x, v, eps)) - lossAt(shifted(x, v, -eps))) / Double(2 * eps)
            assertClose(dot(dx, v), numeric, tolerance, "\(layer.name) dL/dx", file: file, line: line)
        }
        for (p, g) in zip(layer.parameters, grads) {
            let original = p.value
            for k in 0..<3 {
                let v = randomTensor(p.shape, "direction-" + p.name, seed: UInt64(k))
                p.value = shifted(original, v, eps)
                let plus = try lossAt(x)
                p.value = shifted(original, v, -eps)
                let minus = try lossAt(x)
                p.value = original
                assertClose(dot(g, v), (plus - minus) / Double(2 * eps), tolerance, "dL/d\(p.name)",
                            file: file, line: line)
            }
        }
    }

    static func assertClose(_ analytic: Double, _ numeric: Double, _ tolerance: Double, _ what: String,
                            file: StaticString, line: UInt) {
        // Relative error, plus an absolute floor for derivatives near zero, where
        // Float rounding of the loss dominates the central difference.
        let allowed = tolerance * max(abs(analytic), abs(numeric)) + 5e-4
        XCTAssertLessThanOrEqual(abs(analytic - numeric), allowed,
                                 "\(what): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
    }
}
