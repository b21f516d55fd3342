import Foundation
import XCTest
import Tensor
@testable import NeuralNet

/// Finite-difference checks of backward passes along random directions: for
/// L(θ) = Σ r ⊙ f(x; θ) with a fixed random r, the analytic directional derivative
/// ⟨∇L, v⟩ must match the numeric derivative of t ↦ L(θ + t·v) at 0.
///
/// The numeric derivative is Richardson's extrapolation of two central differences:
///
///     D(h) = (L(θ + h·v) − L(θ − h·v)) / 2h = ⟨∇L, v⟩ + c·h² + O(h⁴)
///     R    = (4·D(h) − D(2h)) / 3           = ⟨∇L, v⟩ + O(h⁴)
///
/// Cancelling the h² term lets the step stay large, where the Float rounding of the
/// loss (the layers compute in Float) moves the estimate least: ~u·Σ|r ⊙ y| / h.
/// Steps are powers of two, so h·v is exact in Float. The loss is summed in Double.
/// A comparison passes when |analytic − numeric| ≤ tolerance · max(|analytic|, |numeric|)
/// plus the resolution that the loss's rounding allows at that step.
///
/// Set `GRADIENT_CHECK_REPORT=1` to print each check's worst relative error.
enum GradientCheck {
    /// The relative error allowed. Smooth layers measure at most 2e-4 at the default
    /// step, so a gradient 0.5 % wrong fails (`GradientCheckTests` proves it on Dense
    /// and Conv2D with one gradient scaled by 1.01, 1.005 and 0.995).
    static let tolerance = 1e-3
    /// 2⁻⁶: small enough that the h⁴ truncation left after extrapolation is below 1e-4
    /// for tanh and sigmoid, large enough that rounding noise (∝ 1/h) is too.
    /// A layer with a kink needs a smaller step (see `LayerGradientTests`).
    static let defaultStep: Float = 1.0 / 64

    /// One directional derivative, analytic against numeric.
    struct Comparison: CustomStringConvertible {
        var quantity: String
        var analytic: Double
        var numeric: Double
        /// How far the Float rounding of the loss alone can move `numeric`: an absolute
        /// floor for derivatives so small that rounding dominates them.
        var resolution: Double

        var error: Double { abs(analytic - numeric) }
        var relativeError: Double { error == 0 ? 0 : error / max(abs(analytic), abs(numeric)) }

        func passes(tolerance: Double) -> Bool {
            error <= tolerance * max(abs(analytic), abs(numeric)) + resolution
        }

        var description: String {
            "\(quantity): analytic \(analytic) vs numeric \(numeric) (relative error \(relativeError), "
                + "rounding resolution \(resolution))"
        }
    }

    /// Every comparison of one check.
    struct Report {
        var comparisons: [Comparison] = []

        func failures(tolerance: Double = GradientCheck.tolerance) -> [Comparison] {
            comparisons.filter { !$0.passes(tolerance: tolerance) }
        }

        var worstRelativeError: Double { comparisons.map(\.relativeError).max() ?? 0 }
    }

    /// Measures dL/dx and every dL/dθ of `layer` (already built) on input `x`, each
    /// along three random directions.
    static func measure(_ layer: Layer, input x: Tensor, step: Float = defaultStep) throws -> Report {
        let context = ForwardContext(training: true, step: 3, seed: 5)
        let y = try layer.forward(x, context: context)
        let r = randomTensor(y.shape, "upstream")
        func loss(_ input: Tensor) throws -> (value: Double, magnitude: Double) {
            let output = try layer.forward(input, context: context)
            return (dot(output, r), absoluteDot(output, r))
        }

        _ = try layer.forward(x, context: context)
        let dx = layer.backward(r, inputGradient: true)!
        let grads = layer.parameters.map(\.gradient)

        var report = Report()
        for k in 0..<3 {
            let v = randomTensor(x.shape, "direction-x", seed: UInt64(k))
            let numeric = try derivative(step: step) { t in try loss(shifted(x, v, t)) }
            report.comparisons.append(Comparison(quantity: "\(layer.name) dL/dx, direction \(k)", analytic: dot(dx, v),
                                                 numeric: numeric.value, resolution: numeric.resolution))
        }
        for (p, g) in zip(layer.parameters, grads) {
            let original = p.value
            defer { p.value = original }
            for k in 0..<3 {
                let v = randomTensor(p.shape, "direction-" + p.name, seed: UInt64(k))
                let numeric = try derivative(step: step) { t in
                    p.value = shifted(original, v, t)
                    return try loss(x)
                }
                report.comparisons.append(Comparison(quantity: "dL/d\(p.name), direction \(k)", analytic: dot(g, v),
                                                     numeric: numeric.value, resolution: numeric.resolution))
            }
        }
        return report
    }

    /// `measure`, failing the calling test for every comparison outside `tolerance`.
    @discardableResult
    static func check(_ layer: Layer, input x: Tensor, step: Float = defaultStep, tolerance: Double = tolerance,
                      file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        let report = try measure(layer, input: x, step: step)
        assertPasses(report, tolerance: tolerance, file: file, line: line)
        return report
    }

    static func assertPasses(_ report: Report, tolerance: Double = tolerance,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(report.comparisons.isEmpty, "nothing was compared", file: file, line: line)
        for failure in report.failures(tolerance: tolerance) {
            XCTFail("\(failure)", file: file, line: line)
        }
        if ProcessInfo.processInfo.environment["GRADIENT_CHECK_REPORT"] != nil {
            print("gradient check \(file):\(line): worst relative error \(report.worstRelativeError), "
                  + "worst error / resolution \(report.comparisons.map { $0.error / $0.resolution }.max() ?? 0)")
        }
    }

    /// The derivative of t ↦ loss(t) at 0 by Richardson's extrapolation of central
    /// differences at steps h and 2h, with the size of its rounding noise. `loss` returns
    /// its value and `magnitude`, the sum of its terms' absolute values: Float outputs
    /// carry about one unit in the last place of that, and R = (4·D(h) − D(2h))/3 turns an
    /// error δ in each of its four evaluations into at most (4·2δ/2h + 2δ/4h)/3 = 1.5·δ/h.
    /// The smooth layers' errors measure 0.1–0.3 of this resolution.
    static func derivative(step h: Float,
                           _ loss: (Float) throws -> (value: Double, magnitude: Double)) rethrows
        -> (value: Double, resolution: Double) {
        let plus = try loss(h), minus = try loss(-h), plus2 = try loss(2 * h), minus2 = try loss(-2 * h)
        let d1 = (plus.value - minus.value) / (2 * Double(h))
        let d2 = (plus2.value - minus2.value) / (4 * Double(h))
        let lossRounding = Double(Float.ulpOfOne) * [plus, minus, plus2, minus2].map(\.magnitude).max()!
        return ((4 * d1 - d2) / 3, 1.5 * lossRounding / Double(h))
    }

    static func randomTensor(_ shape: [Int], _ name: String, seed: UInt64 = 11) -> Tensor {
        var rng = RandomStream(seed: seed, name: name)
        var t = Tensor(shape: shape)
        for i in t.scalars.indices { t.scalars[i] = rng.nextNormal() }
        return t
    }

    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    static func absoluteDot(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).reduce(0) { $0 + abs(Double($1.0) * Double($1.1)) }
    }

    static func shifted(_ t: Tensor, _ v: Tensor, _ eps: Float) -> Tensor {
        var out = t
        for i in out.scalars.indices { out.scalars[i] += eps * v.scalars[i] }
        return out
    }
}
