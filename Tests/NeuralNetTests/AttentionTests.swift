import Foundation
import XCTest
import Tensor
@testable import NeuralNet

/// MultiHeadAttention and its scaled dot-product attention: finite differences with
/// every mask, a naive twin computed in Double, Keras's names and shapes, what the
/// masks do to the weights, dropout, and thread-count independence.
final class AttentionTests: XCTestCase {
    private func attention(heads: Int = 2, keySize: Int = 3, causal: Bool = false, dropout: Float = 0,
                           time: Int = 5, features: Int = 4) throws -> MultiHeadAttention {
        let layer = MultiHeadAttention(heads: heads, keySize: keySize, causal: causal, dropout: dropout, name: "attn1")
        _ = try layer.build(inputShape: [time, features], seed: 7)
        // Biases away from zero, so that their gradients are tested too.
        for p in layer.parameters where p.name.hasSuffix(".bias") { p.value = GradientCheck.randomTensor(p.shape, p.name) }
        return layer
    }

    /// Sequence 1 of 3 ends after 3 of its 5 steps; sequence 2 starts with one padded step.
    private var mask: Tensor { Tensor(shape: [3, 5], scalars: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1]) }

    func testKerasNamesAndShapes() throws {
        let layer = try attention(heads: 4, keySize: 8, features: 6)
        XCTAssertEqual(layer.parameters.map(\.name), ["attn1.query.kernel", "attn1.query.bias", "attn1.key.kernel",
                                                      "attn1.key.bias", "attn1.value.kernel", "attn1.value.bias",
                                                      "attn1.output.kernel", "attn1.output.bias"])
        XCTAssertEqual(layer.parameters.map(\.shape), [[6, 4, 8], [4, 8], [6, 4, 8], [4, 8], [6, 4, 8], [4, 8], [4, 8, 6], [6]])
    }

    func testGradientMatchesFiniteDifferencesWithEveryMask() throws {
        for causal in [false, true] {
            for masked in [false, true] {
                let layer = try attention(causal: causal)
                layer.inputMask = masked ? mask : nil
                try GradientCheck.check(layer, input: GradientCheck.randomTensor([3, 5, 4], "x"))
            }
        }
    }

    func testDropoutOnTheWeightsIsDifferentiatedThroughItsMask() throws {
        let layer = try attention(causal: true, dropout: 0.3)
        try GradientCheck.check(layer, input: GradientCheck.randomTensor([3, 5, 4], "x"))
        let x = GradientCheck.randomTensor([3, 5, 4], "x")
        let training = try layer.forward(x, context: ForwardContext(training: true, step: 1, seed: 5))
        XCTAssertNotEqual(training, try layer.forward(x, context: .inference), "dropout acts in training only")
        XCTAssertEqual(training, try layer.forward(x, context: ForwardContext(training: true, step: 1, seed: 5)),
                       "the same draw for the same step")
    }

    func testMatchesANaiveTwinInDouble() throws {
        for causal in [false, true] {
            let layer = try attention(heads: 3, keySize: 4, causal: causal, time: 7, features: 5)
        let x = GradientCheck.randomTensor([2, 7, 5], "x")
            let padding = Tensor(shape: [2, 7], scalars: [1, 1, 1, 1, 1, 0, 0] + [1, 1, 1, 1, 1, 1, 1])
            layer.inputMask = padding
            let y = try layer.forward(x, context: .inference)
            let (expected, weights) = naive(layer, x, mask: padding)
            for (a, b) in zip(y.scalars, expected) { XCTAssertEqual(Double(a), b, accuracy: 1e-5) }
            for (a, b) in zip(layer.attentionWeights!.scalars, weights) { XCTAssertEqual(Double(a), b, accuracy: 1e-6) }
        }
    }

    func testMasksZeroTheWeightsTheyHide() throws {
        let layer = try attention(causal: true)
        layer.inputMask = mask
        _ = try layer.forward(GradientCheck.randomTensor([3, 5, 4], "x"), context: .inference)
        let p = try XCTUnwrap(layer.attentionWeights)
        XCTAssertEqual(p.shape, [3, 2, 5, 5], "[batch, heads, query, key]")
        for b in 0..<3 {
            for h in 0..<2 {
                for i in 0..<5 {
                    let row = (0..<5).map { p[b, h, i, $0] }
                    let queryReal = mask[b, i] == 1
                    for j in 0..<5 where j > i || mask[b, j] == 0 || !queryReal {
                        XCTAssertEqual(row[j], 0, "b \(b) h \(h) query \(i) key \(j)")
                    }
                    XCTAssertEqual(row.reduce(0, +), queryReal ? 1 : 0, accuracy: 1e-6, "a padded query attends nowhere")
                }
            }
        }
        let scores = try XCTUnwrap(layer.attentionScores)
        XCTAssertEqual(scores.shape, [3, 2, 5, 5])
        XCTAssertNotEqual(scores[0, 0, 0, 4], 0, "scores are kept before the mask")
    }

    func testAMaskOfTheWrongShapeIsRefusedNamingTheLayer() throws {
        let layer = try attention()
        layer.inputMask = Tensor(shape: [3, 4], repeating: 1)
        XCTAssertThrowsError(try layer.forward(GradientCheck.randomTensor([3, 5, 4], "x"), context: .inference)) {
            XCTAssertEqual("\($0)", "layer 'attn1' (MultiHeadAttention) needs a mask of shape [3, 5] (batch, time) but got [3, 4]")
        }
    }

    func testResultsAreBitIdenticalWithOneOrTwoThreads() throws {
        func run(_ threads: Int) throws -> [Tensor] {
            let saved = WorkerPool.shared.threads
            defer { WorkerPool.shared.threads = saved }
            WorkerPool.shared.threads = threads
            let layer = try attention(heads: 4, keySize: 16, causal: true, dropout: 0.1, time: 64, features: 64)
            layer.inputMask = Tensor(shape: [6, 64], scalars: (0..<(6 * 64)).map { $0 % 64 < 50 + $0 / 64 ? 1 : 0 })
            let y = try layer.forward(GradientCheck.randomTensor([6, 64, 64], "x"), context: ForwardContext(training: true, step: 2))
            let dx = layer.backward(GradientCheck.randomTensor(y.shape, "dy"), inputGradient: true)!
            return [y, dx] + layer.parameters.map(\.gradient)
        }
        XCTAssertEqual(try run(1), try run(2))
    }

    /// y and P of `layer` on `x`, computed from its parameters in Double with plain loops.
    private func naive(_ layer: MultiHeadAttention, _ x: Tensor, mask: Tensor) -> ([Double], [Double]) {
        let (batch, time, features) = (x.shape[0], x.shape[1], x.shape[2])
        let (heads, d) = (layer.heads, layer.keySize)
        let p = layer.parameters.map { $0.value.scalars.map(Double.init) }
        func project(_ w: [Double], _ bias: [Double], _ b: Int, _ t: Int, _ h: Int, _ k: Int) -> Double {
            var s = bias[h * d + k]
            for f in 0..<features { s += Double(x[b, t, f]) * w[(f * heads + h) * d + k] }
            return s
        }
        var y = [Double](repeating: 0, count: batch * time * features)
        var weights = [Double](repeating: 0, count: batch * heads * time * time)
        for b in 0..<batch {
            var o = [Double](repeating: 0, count: time * heads * d)
            for h in 0..<heads {
                for i in 0..<time {
                    var scores = [Double](repeating: -.infinity, count: time)
                    for j in 0..<time where mask[b, i] == 1 && mask[b, j] == 1 && (!layer.causal || j <= i) {
                        scores[j] = (0..<d).reduce(0) { $0 + project(p[0], p[1], b, i, h, $1) * project(p[2], p[3], b, j, h, $1) }
                            / Double(d).squareRoot()
                    }
                    let top = scores.max()!
                    let e = scores.map { top == -.infinity ? 0 : exp($0 - top) }
                    let sum = e.reduce(0, +)
                    for j in 0..<time {
                        let w = sum == 0 ? 0 : e[j] / sum
                        weights[((b * heads + h) * time + i) * time + j] = w
                        for k in 0..<d { o[(i * heads + h) * d + k] += w * project(p[4], p[5], b, j, h, k) }
                    }
                }
            }
            for t in 0..<time {
                for f in 0..<features {
                    var s = p[7][f]
                    for hk in 0..<(heads * d) { s += o[t * heads * d + hk] * p[6][hk * features + f] }
                    y[(b * time + t) * features + f] = s
                }
            }
        }
        return (y, weights)
    }
}
