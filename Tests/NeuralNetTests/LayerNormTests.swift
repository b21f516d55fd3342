import Foundation
import XCTest
import Tensor
@testable import NeuralNet

/// LayerNorm and GELU, the two pieces a Transformer block adds to the engine: finite
/// differences, Keras's defaults, values by hand, and thread-count independence.
final class LayerNormTests: XCTestCase {
    private func built<L: Layer>(_ layer: L, _ inputShape: [Int], name: String) throws -> L {
        layer.name = name
        _ = try layer.build(inputShape: inputShape, seed: 7)
        return layer
    }

    func testLayerNormGradientMatchesFiniteDifferences() throws {
        let norm = try built(LayerNorm(), [5, 11], name: "ln")
        // γ and β away from 1 and 0, so that their gradients and their effect on dL/dx are tested.
        norm.gamma.value = GradientCheck.randomTensor([11], "gamma")
        norm.beta.value = GradientCheck.randomTensor([11], "beta")
        try GradientCheck.check(norm, input: GradientCheck.randomTensor([3, 5, 11], "x"))
        try GradientCheck.check(try built(LayerNorm(), [16], name: "flat"), input: GradientCheck.randomTensor([4, 16], "x"))
    }

    func testLayerNormStandardisesEachVectorWithKerasDefaults() throws {
        let norm = try built(LayerNorm(), [2, 4], name: "layer_norm1")
        XCTAssertEqual(norm.epsilon, 1e-3, "Keras's LayerNormalization epsilon")
        XCTAssertEqual(norm.parameters.map(\.name), ["layer_norm1.gamma", "layer_norm1.beta"])
        XCTAssertEqual(norm.gamma.value.scalars, [1, 1, 1, 1])
        let y = try norm.forward(Tensor(shape: [1, 2, 4], scalars: [1, 2, 3, 4, -2, 0, 0, 2]), context: .inference)
        // Row 1: mean 2.5, variance 1.25.
        let r = 1 / (1.25 + 1e-3 as Float).squareRoot()
        for (j, x) in [1, 2, 3, 4].enumerated() { XCTAssertEqual(y.scalars[j], (Float(x) - 2.5) * r, accuracy: 1e-6) }
        XCTAssertEqual(y.scalars[4], -2 / (2 + 1e-3 as Float).squareRoot(), accuracy: 1e-6)
    }

    func testGELUIsKerasExactForm() {
        let xs: [Float] = [-9, -5, -3, -1.5, -0.5, -1e-3, 0, 0.25, 1, 2.5, 4, 8]
        let y = Tensor(shape: [xs.count], scalars: xs).gelu()
        let slope = Tensor(shape: [xs.count], repeating: 1).geluGradient(input: Tensor(shape: [xs.count], scalars: xs))
        for (i, x) in xs.map(Double.init).enumerated() {
            let cdf = 0.5 * erfc(-x / 2.0.squareRoot()), density = exp(-x * x / 2) / (2 * Double.pi).squareRoot()
            let expected = x * cdf, expectedSlope = cdf + x * density
            XCTAssertEqual(Double(y.scalars[i]), expected, accuracy: 2e-7 * max(1, abs(expected)) + 1e-12, "gelu(\(x))")
            // Far in the tail e^(−x²/2) carries the rounding of its argument: ~|x²/2| ulp.
            XCTAssertLessThanOrEqual(abs(Double(y.scalars[i]) - expected), 1e-5 * abs(expected) + 1e-30,
                                     "relative accuracy in the tail, gelu(\(x))")
            XCTAssertEqual(Double(slope.scalars[i]), expectedSlope, accuracy: 1e-6, "gelu′(\(x))")
        }
    }

    func testGELUGradientsMatchFiniteDifferences() throws {
        try GradientCheck.check(try built(ActivationLayer(.gelu), [3, 6], name: "gelu"),
                                input: GradientCheck.randomTensor([2, 3, 6], "x"))
        try GradientCheck.check(try built(Dense(7, activation: .gelu), [3, 5], name: "ff"),
                                input: GradientCheck.randomTensor([2, 3, 5], "x"))
        XCTAssertEqual(ActivationLayer(.gelu).kind, "GELU")
    }

    func testLayerNormIsBitIdenticalWithOneOrTwoThreads() throws {
        func run(_ threads: Int) throws -> [Tensor] {
            let saved = WorkerPool.shared.threads
            defer { WorkerPool.shared.threads = saved }
            WorkerPool.shared.threads = threads
            let norm = try built(LayerNorm(), [64, 64], name: "ln")
            norm.gamma.value = GradientCheck.randomTensor([64], "gamma")
            let y = try norm.forward(GradientCheck.randomTensor([9, 64, 64], "x"), context: .inference)
            let dx = norm.backward(GradientCheck.randomTensor(y.shape, "dy"), inputGradient: true)!
            return [y, dx, norm.gamma.gradient, norm.beta.gradient]
        }
        XCTAssertEqual(try run(1), try run(2))
    }
}
