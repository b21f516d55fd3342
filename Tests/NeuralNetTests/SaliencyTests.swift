import XCTest
import Tensor
@testable import NeuralNet

/// `classScoreGradient`: ∂z_ŷ/∂x, the gradient of the predicted class's logit with
/// respect to the input, which the saliency figure shows.
final class SaliencyTests: XCTestCase {
    /// A small smooth classifier of 6 × 6 images into 3 classes.
    private func classifier(softmax: Bool = false) throws -> Sequential {
        try Sequential(inputShape: [6, 6, 1], seed: 5,
                       [Conv2D(4, kernelSize: 3, activation: .tanh), Flatten(), Dense(3)] + (softmax ? [SoftmaxLayer()] : []))
    }

    private let images = GradientCheck.randomTensor([2, 6, 6, 1], "saliency images")

    /// Each example's predicted logit, summed in Double, with one pixel moved by t.
    private func predictedLogit(_ model: Sequential, example i: Int, pixel: Int, predicted k: Int,
                                _ t: Float) throws -> (value: Double, magnitude: Double) {
        var x = images.slice(i..<(i + 1))
        x.scalars[pixel] += t
        let z = try model.forward(x, context: .inference).scalars
        return (Double(z[k]), z.map { Double(abs($0)) }.reduce(0, +))
    }

    func testGradientMatchesFiniteDifferencesOfThePredictedLogit() throws {
        let model = try classifier()
        let result = try model.classScoreGradient(images)
        let pixels = 36
        for i in 0..<2 {
            let k = result.predicted[i]
            XCTAssertEqual(k, predictedClasses(result.logits.slice(i..<(i + 1)))[0])
            for pixel in [0, 7, 14, 21, 35] {
                let numeric = try GradientCheck.derivative(step: GradientCheck.defaultStep) {
                    try predictedLogit(model, example: i, pixel: pixel, predicted: k, $0)
                }
                let analytic = Double(result.gradient.scalars[i * pixels + pixel])
                XCTAssertEqual(analytic, numeric.value,
                               accuracy: 1e-3 * max(abs(analytic), abs(numeric.value)) + numeric.resolution,
                               "example \(i), pixel \(pixel)")
            }
        }
    }

    /// For a confidently classified example dL/dx = Σ_k (p_k − y_k)·∂z_k/∂x vanishes; the
    /// predicted score's gradient does not. A saliency of the loss would be blank here.
    func testConfidentExampleKeepsAScoreGradientWhereTheLossGradientVanishes() throws {
        let model = try classifier()
        var state = model.stateDict()
        state["dense1.weight"]!.scalars = state["dense1.weight"]!.scalars.map { $0 * 60 }
        try model.loadStateDict(state)
        let x = images.slice(0..<1)
        let result = try model.classScoreGradient(x)
        let p = softmax(result.logits).scalars
        XCTAssertGreaterThan(p[result.predicted[0]], 0.999, "the example is classified with > 99.9 % confidence")

        let scoreGradient = result.gradient.scalars.map(abs).max()!
        let logits = try model.forward(x, context: .inference)
        let dLdz = try SoftmaxCrossEntropy().evaluate(logits, .classes([result.predicted[0]])).gradient
        let lossGradient = model.backward(dLdz, inputGradient: true, parameterGradients: false)!.scalars.map(abs).max()!
        XCTAssertGreaterThan(scoreGradient, 0.1)
        XCTAssertLessThan(lossGradient, 0.01 * scoreGradient, "|∂L/∂x| ≈ 0 for a confident example")
    }

    func testTrailingSoftmaxIsLeftOutOfTheScore() throws {
        let logits = try classifier().classScoreGradient(images)
        let probabilities = try classifier(softmax: true).classScoreGradient(images)
        XCTAssertEqual(probabilities.predicted, logits.predicted)
        XCTAssertEqual(probabilities.logits.scalars, logits.logits.scalars)
        XCTAssertEqual(probabilities.gradient.scalars, logits.gradient.scalars)
    }

    func testSingleLogitScoresClassZeroAsMinusTheLogit() throws {
        let model = try Sequential(inputShape: [3], seed: 2, [Dense(1)])
        let x = Tensor(shape: [2, 3], scalars: [1, 0, 0, -1, 0, 0])
        let result = try model.classScoreGradient(x)
        let w = model.stateDict()["dense1.weight"]!.scalars
        for i in 0..<2 {
            let sign: Float = result.predicted[i] == 1 ? 1 : -1
            XCTAssertEqual(Array(result.gradient.scalars[(i * 3)..<(i * 3 + 3)]), w.map { sign * $0 })
        }
        XCTAssertEqual(Set(result.predicted), [0, 1], "the two inputs fall on opposite sides")
    }
}
