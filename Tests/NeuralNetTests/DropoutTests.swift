import XCTest
import Tensor
@testable import NeuralNet

/// Inverted dropout: `y = x ⊙ m / (1 − rate)` in training with `m_i ~ Bernoulli(1 − rate)`,
/// `y = x` in inference, `dL/dx = dL/dy ⊙ m / (1 − rate)`.
final class DropoutTests: XCTestCase {
    /// 100 000 elements: the kept fraction then has a standard error of about 0.0015.
    private static let rows = 1000, columns = 100
    private let training = ForwardContext(training: true, step: 3, seed: 5)

    private func dropout(_ rate: Float) throws -> Dropout {
        let layer = Dropout(rate: rate, name: "dropout1")
        _ = try layer.build(inputShape: [Self.columns], seed: 0)
        return layer
    }

    /// Inputs that are never zero, so a zero output can only be a dropped unit.
    private func input() -> Tensor {
        var rng = RandomStream(seed: 1, name: "dropout-input")
        return Tensor(shape: [Self.rows, Self.columns],
                      scalars: (0..<(Self.rows * Self.columns)).map { _ in rng.nextUniform(0.5, 2) * (rng.nextUniform() < 0.5 ? -1 : 1) })
    }

    func testKeptUnitsAreTheInputOverOneMinusRateAndDroppedUnitsAreZero() throws {
        // rate 0.75: the scale 1/(1 − 0.75) = 4 is exact in Float, so kept units must be exactly 4x.
        let x = input()
        let y = try dropout(0.75).forward(x, context: training)
        let kept = x.scalars.indices.filter { y.scalars[$0] != 0 }
        let wrong = kept.filter { y.scalars[$0] != x.scalars[$0] / (1 - 0.75) }
        XCTAssertEqual(wrong.count, 0, wrong.first.map { "x = \(x.scalars[$0]), y = \(y.scalars[$0])" } ?? "")
        XCTAssertGreaterThan(kept.count, 0)
        XCTAssertLessThan(kept.count, x.count)
    }

    func testKeptUnitsAtARateWithAnInexactScaleAreWithinOneRoundingOfTheQuotient() throws {
        let rate: Float = 0.3, x = input()
        let y = try dropout(rate).forward(x, context: training)
        let wrong = x.scalars.indices.filter { i in
            let expected = Double(x.scalars[i]) / (1 - Double(rate))
            return y.scalars[i] != 0 && abs(Double(y.scalars[i]) - expected) > abs(expected) * 2e-7
        }
        XCTAssertEqual(wrong.count, 0, wrong.first.map { "x = \(x.scalars[$0]), y = \(y.scalars[$0])" } ?? "")
    }

    func testFractionKeptIsOneMinusRateWithinFourStandardErrors() throws {
        for rate: Float in [0.1, 0.3, 0.5, 0.8] {
            let y = try dropout(rate).forward(input(), context: training)
            let p = 1 - Double(rate), n = Double(y.count)
            let kept = Double(y.scalars.filter { $0 != 0 }.count) / n
            let standardError = (p * (1 - p) / n).squareRoot()
            XCTAssertEqual(kept, p, accuracy: 4 * standardError, "rate \(rate)")
        }
    }

    func testSumIsPreservedInExpectationWithinFourStandardErrors() throws {
        // E[y_i] = x_i, Var[y_i] = x_i² (1/p − 1) with p = 1 − rate; so Σy − Σx has standard
        // deviation √((1/p − 1) Σx²). Without the 1/p scaling Σy would be p·Σx.
        let x = Tensor(shape: [Self.rows, Self.columns], scalars: input().scalars.map(abs))
        for rate: Float in [0.2, 0.5] {
            let y = try dropout(rate).forward(x, context: training)
            let p = 1 - Double(rate)
            let sumX = x.scalars.reduce(0) { $0 + Double($1) }
            let sumY = y.scalars.reduce(0) { $0 + Double($1) }
            let standardDeviation = ((1 / p - 1) * x.scalars.reduce(0) { $0 + Double($1) * Double($1) }).squareRoot()
            XCTAssertEqual(sumY, sumX, accuracy: 4 * standardDeviation, "rate \(rate)")
            XCTAssertLessThan(4 * standardDeviation, (1 - p) * sumX / 10, "the bound is tight enough to see a missing scale")
        }
    }

    func testInferenceAndRateZeroReturnTheInputUnchanged() throws {
        let x = input(), dy = input()
        let layer = try dropout(0.5)
        XCTAssertEqual(try layer.forward(x, context: .inference), x)
        XCTAssertEqual(layer.backward(dy, inputGradient: true), dy)
        let none = try dropout(0)
        XCTAssertEqual(try none.forward(x, context: training), x)
        XCTAssertEqual(none.backward(dy, inputGradient: true), dy)
    }

    func testBackwardUsesTheForwardMaskAndScale() throws {
        let layer = try dropout(0.75)
        let x = input()
        let y = try layer.forward(x, context: training)
        var rng = RandomStream(seed: 2, name: "upstream")
        let dy = Tensor(shape: x.shape, scalars: x.scalars.map { _ in rng.nextUniform(0.5, 2) })
        let dx = try XCTUnwrap(layer.backward(dy, inputGradient: true))
        let wrong = x.scalars.indices.filter { dx.scalars[$0] != (y.scalars[$0] == 0 ? 0 : dy.scalars[$0] * 4) }
        XCTAssertEqual(wrong.count, 0, wrong.first.map { "element \($0): dy \(dy.scalars[$0]), dx \(dx.scalars[$0])" } ?? "")
    }

    func testMaskIsTheSameForTheSameStepAndDiffersBetweenSteps() throws {
        let layer = try dropout(0.5), x = input()
        let first = try layer.forward(x, context: training)
        XCTAssertEqual(try layer.forward(x, context: training), first)
        let next = try layer.forward(x, context: ForwardContext(training: true, step: 4, seed: 5))
        XCTAssertNotEqual(next.scalars.map { $0 == 0 }, first.scalars.map { $0 == 0 })
    }
}
