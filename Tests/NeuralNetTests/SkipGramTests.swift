import Foundation
import XCTest
import Tensor
@testable import NeuralNet

/// Word2Vec's skip-gram with negative sampling: the gradient against finite differences,
/// the kernel against its plain twin, the sampler and the pairs, and training that
/// brings words seen together closer.
final class SkipGramTests: XCTestCase {
    private func randomModel(vocabulary: Int = 7, dimension: Int = 11, seed: UInt64 = 3) -> SkipGram {
        var rng = RandomStream(seed: seed, name: "skip-gram-test")
        func matrix() -> Tensor {
            Tensor(shape: [vocabulary, dimension], scalars: (0..<(vocabulary * dimension)).map { _ in rng.nextUniform(-1, 1) })
        }
        return SkipGram(input: matrix(), output: matrix())
    }

    /// ⟨∇L, direction⟩ against the central difference of L along it, in Double.
    func testGradientMatchesFiniteDifferences() {
        let model = randomModel()
        let centre = 2, targets: [Int32] = [4, 1, 6, 4, 0]   // a negative equal to the context counts twice
        let (dv, du) = model.gradients(centre: centre, targets: targets)
        let d = model.dimension
        func loss(_ input: [Float], _ output: [Float]) -> Double {
            Double(SkipGram(input: Tensor(shape: model.input.shape, scalars: input),
                            output: Tensor(shape: model.output.shape, scalars: output)).loss(centre: centre, targets: targets))
        }
        let v0 = model.input.value.scalars, u0 = model.output.value.scalars
        let h: Float = 1.0 / 256
        for i in 0..<d {
            var plus = v0, minus = v0
            plus[centre * d + i] += h
            minus[centre * d + i] -= h
            let numeric = (loss(plus, u0) - loss(minus, u0)) / (2 * Double(h))
            XCTAssertEqual(Double(dv[i]), numeric, accuracy: 2e-3 * max(1, abs(numeric)), "∂L/∂v[\(i)]")
        }
        for (row, gradient) in du {
            for i in 0..<d {
                var plus = u0, minus = u0
                plus[row * d + i] += h
                minus[row * d + i] -= h
                let numeric = (loss(v0, plus) - loss(v0, minus)) / (2 * Double(h))
                XCTAssertEqual(Double(gradient[i]), numeric, accuracy: 2e-3 * max(1, abs(numeric)), "∂L/∂u\(row)[\(i)]")
            }
        }
        XCTAssertEqual(Set(du.keys), [4, 1, 6, 0])
    }

    /// The loss on scores is the one the model computes, and its gradient is σ(s) − y per score.
    func testNegativeSamplingLossAgreesWithTheModel() throws {
        let model = randomModel()
        let targets: [Int32] = [3, 5, 0]
        let v = model.input.value.slice(1).scalars
        let scores = targets.map { t in zip(model.output.value.slice(Int(t)).scalars, v).map { $0 * $1 }.reduce(0, +) }
        let (value, gradient) = try NegativeSampling().evaluate(Tensor(shape: [1, 3], scalars: scores), .classes([0]))
        XCTAssertEqual(value, model.loss(centre: 1, targets: targets), accuracy: 1e-5)
        for (j, s) in scores.enumerated() {
            XCTAssertEqual(gradient.scalars[j], 1 / (1 + exp(-s)) - (j == 0 ? 1 : 0), accuracy: 1e-6)
        }
    }

    func testKernelMatchesItsReferenceTwin() {
        let model = randomModel(vocabulary: 9, dimension: 19)
        var input = model.input.value.scalars, output = model.output.value.scalars
        let targets: [Int32] = [5, 2, 8, 5, 1]
        let fast = model.step(centre: 3, targets: targets, rate: 0.3)
        let slow = ReferenceKernels.skipGramStep(input: &input, output: &output, dimension: 19, centre: 3,
                                                 targets: targets.map(Int.init), rate: 0.3)
        XCTAssertEqual(fast, slow, accuracy: 1e-5)
        for (a, b) in zip(model.input.value.scalars, input) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(model.output.value.scalars, output) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testSamplerFollowsTheThreeQuarterPowerAndSkipsUncountedWords() {
        let sampler = NegativeSampler(counts: [0, 0, 16, 1, 0])!
        let p = sampler.probabilities
        XCTAssertEqual(p[2] / p[3], 8, accuracy: 1e-9, "16^¾ / 1^¾")
        XCTAssertEqual(p[0] + p[1] + p[4], 0)
        var rng = RandomStream(seed: 1, name: "draws")
        let draws = (0..<2000).map { _ in sampler.draw(&rng, excluding: 3) }
        XCTAssertEqual(Set(draws), [2], "word 3 is excluded, words of count 0 never drawn")
        XCTAssertNil(NegativeSampler(counts: [0, 0]))
    }

    func testPairsStayInsideTheWindowAndDoNotCrossBoundaries() {
        // ids: 9 is a line break; 1 is <unk>.
        let ids = [2, 3, 4, 5, 9, 6, 1, 7]
        let pairs = SkipGramPairs(window: 2, subsample: nil, boundaries: [9])
        let found = pairs.pairs(ids, keep: nil, seed: 5, epoch: 0)
        XCTAssertFalse(found.isEmpty)
        for (c, o) in found {
            XCTAssertFalse([9, 1].contains(Int(c)) || [9, 1].contains(Int(o)), "no boundary or unknown word is paired")
            XCTAssertEqual([2, 3, 4, 5].contains(Int(c)), [2, 3, 4, 5].contains(Int(o)), "no pair crosses the line break")
        }
        XCTAssertTrue(found.contains { $0 == (2, 3) } && found.contains { $0 == (6, 7) }, "neighbours are always paired")
        XCTAssertFalse(found.contains { $0 == (2, 5) }, "3 apart is outside a window of 2")
        XCTAssertTrue(found.elementsEqual(pairs.pairs(ids, keep: nil, seed: 5, epoch: 0)) { $0 == $1 }, "deterministic")
        let keep = SkipGramPairs(window: 2, subsample: 1e-3).keepProbabilities(counts: [0, 0, 1000, 1])
        XCTAssertLessThan(keep[2], 0.1)
        XCTAssertEqual(keep[3], 1)
    }

    /// Two families of words that occur only among themselves: after training, a word is
    /// closer to its own family than to the other, and the run is the same for the same seed.
    func testTrainingRaisesTheSimilarityOfWordsSeenTogether() throws {
        var rng = RandomStream(seed: 11, name: "toy-text")
        // Words 2…5 and 6…9, sentences of one family each, split by the boundary 10.
        let text = (0..<400).flatMap { s -> [Int] in
            let base = s % 2 == 0 ? 2 : 6
            return (0..<6).map { _ in base + Int(rng.next() % 4) } + [10]
        }
        var counts = [Int](repeating: 0, count: 11)
        for id in text { counts[id] += 1 }
        func train(_ seed: UInt64) throws -> SkipGram {
            let model = SkipGram(vocabulary: 11, dimension: 8, seed: seed)
            let trainer = try SkipGramTrainer(model: model, options: SkipGramOptions(window: 2, negatives: 3, subsample: nil,
                                                                                    epochs: 3, pairsPerStep: 64,
                                                                                    learningRate: 0.05, seed: seed),
                                              counts: counts, boundaries: [10])
            let history = try trainer.fit(training: text, validation: Array(text.prefix(70)))
            XCTAssertLessThan(history.epochs.last!.loss, history.epochs.first!.loss)
            return model
        }
        func cosine(_ m: SkipGram, _ a: Int, _ b: Int) -> Float {
            let x = m.input.value.slice(a).scalars, y = m.input.value.slice(b).scalars
            let dot = zip(x, y).map { $0 * $1 }.reduce(0, +)
            return dot / (sqrt(x.map { $0 * $0 }.reduce(0, +)) * sqrt(y.map { $0 * $0 }.reduce(0, +)))
        }
        let untrained = SkipGram(vocabulary: 11, dimension: 8, seed: 4)
        let model = try train(4)
        let same = (cosine(model, 2, 3) + cosine(model, 6, 7)) / 2, other = (cosine(model, 2, 7) + cosine(model, 3, 6)) / 2
        XCTAssertGreaterThan(same, other + 0.5, "same family \(same), other family \(other)")
        XCTAssertGreaterThan(same, (cosine(untrained, 2, 3) + cosine(untrained, 6, 7)) / 2 + 0.3)
        XCTAssertEqual(model.input.value, try train(4).input.value, "the same seed gives the same vectors")
    }
}
