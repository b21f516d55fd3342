import Foundation
import XCTest
@testable import NeuralNet
import Tensor

final class LossTests: XCTestCase {
    // MARK: Softmax cross-entropy by hand

    func testSoftmaxOfLogLogitsIsProportionalToTheirExponents() {
        // exp(0) : exp(ln 2) : exp(ln 3) = 1 : 2 : 3, so softmax = [1/6, 2/6, 3/6].
        let p = softmax(Tensor(shape: [1, 3], scalars: [0, log(2), log(3)]))
        XCTAssertEqual(p.shape, [1, 3])
        assertElementsEqual(p.scalars, [1.0 / 6, 2.0 / 6, 3.0 / 6], accuracy: 1e-6)
    }

    func testSoftmaxCrossEntropyOnHandCase() throws {
        // Both rows are logits [0, ln 2, ln 3], so p = [1/6, 1/3, 1/2] in each.
        // Row 0, class 2: −ln(1/2) = ln 2.   Row 1, class 0: −ln(1/6) = ln 6.
        // Mean over B = 2: (ln 2 + ln 6)/2 = ln(12)/2.
        // Gradient (p − onehot)/2: row 0 [1/6, 1/3, −1/2]/2, row 1 [−5/6, 1/3, 1/2]/2.
        let row: [Float] = [0, log(2), log(3)]
        let logits = Tensor(shape: [2, 3], scalars: row + row)
        let (value, gradient) = try SoftmaxCrossEntropy().evaluate(logits, .classes([2, 0]))
        XCTAssertEqual(value, Float(log(12.0) / 2), accuracy: 1e-6)
        assertElementsEqual(gradient.scalars, [1.0 / 12, 1.0 / 6, -1.0 / 4, -5.0 / 12, 1.0 / 6, 1.0 / 4], accuracy: 1e-6)
    }

    func testSoftmaxCrossEntropyWithProbabilityRowsEqualsClassLabelsWhenOneHot() throws {
        let logits = Tensor(shape: [2, 3], scalars: [0.3, -1.2, 2.0, 0.5, 0.5, -0.7])
        let oneHot = Tensor(shape: [2, 3], scalars: [0, 0, 1, 1, 0, 0])
        let fromClasses = try SoftmaxCrossEntropy().evaluate(logits, .classes([2, 0]))
        let fromValues = try SoftmaxCrossEntropy().evaluate(logits, .values(oneHot))
        XCTAssertEqual(fromClasses.value, fromValues.value)
        XCTAssertEqual(fromClasses.gradient, fromValues.gradient)
    }

    func testSoftmaxCrossEntropyStaysFiniteOnHugeLogits() throws {
        // Logits [1e4, 0, −1e4]: naive exp(1e4) is inf. With the log-sum-exp,
        // lse = 1e4 + ln(1 + e^−1e4 + e^−2e4) = 1e4, so class 0 costs 0 and class 1 costs 1e4.
        let logits = Tensor(shape: [2, 3], scalars: [1e4, 0, -1e4, 1e4, 0, -1e4])
        let (value, gradient) = try SoftmaxCrossEntropy().evaluate(logits, .classes([0, 1]))
        XCTAssertEqual(value, 5000, accuracy: 1e-2)   // (0 + 1e4) / 2
        // p = [1, 0, 0]: row 0 gradient is 0, row 1 is [1, −1, 0]/2.
        assertElementsEqual(gradient.scalars, [0, 0, 0, 0.5, -0.5, 0], accuracy: 1e-6)
        XCTAssertTrue(softmax(logits).scalars.allSatisfy(\.isFinite))
    }

    // MARK: Binary cross-entropy and MSE by hand

    func testBinaryCrossEntropyStaysFiniteAtPlusMinus100() throws {
        // ℓ(z, y) = max(z, 0) − z·y + ln(1 + e^−|z|), with e^−100 ≈ 4e−44 negligible:
        // ℓ(100, 1) = 0, ℓ(100, 0) = 100, ℓ(−100, 1) = 100, ℓ(−100, 0) = 0. Mean 50.
        // Gradient (σ(z) − y)/4 with σ(100) = 1, σ(−100) = 0: [0, 1, −1, 0]/4.
        let logits = Tensor(shape: [4, 1], scalars: [100, 100, -100, -100])
        let labels = Tensor(shape: [4, 1], scalars: [1, 0, 1, 0])
        let (value, gradient) = try BinaryCrossEntropy().evaluate(logits, .values(labels))
        XCTAssertEqual(value, 50, accuracy: 1e-5)
        assertElementsEqual(gradient.scalars, [0, 0.25, -0.25, 0], accuracy: 1e-7)
    }

    func testBinaryCrossEntropyAtZeroLogitIsLn2() throws {
        // σ(0) = 1/2, so either label costs ln 2 and the gradient is (1/2 − y)/N.
        let (value, gradient) = try BinaryCrossEntropy().evaluate(Tensor(shape: [2], scalars: [0, 0]), .classes([1, 0]))
        XCTAssertEqual(value, Float(log(2.0)), accuracy: 1e-6)
        assertElementsEqual(gradient.scalars, [-0.25, 0.25], accuracy: 1e-7)
    }

    func testMeanSquaredErrorValueAndGradient() throws {
        // p − y = [1, 0, 0, −2], squares sum to 5 over N = 4 elements: 1.25.
        // dL/dp = 2(p − y)/4 = [0.5, 0, 0, −1].
        let p = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let y = Tensor(shape: [2, 2], scalars: [0, 2, 3, 6])
        let (value, gradient) = try MeanSquaredError().evaluate(p, .values(y))
        XCTAssertEqual(value, 1.25)
        XCTAssertEqual(gradient, Tensor(shape: [2, 2], scalars: [0.5, 0, 0, -1]))
    }

    // MARK: Gradients against double-precision central differences

    func testSoftmaxCrossEntropyGradientMatchesFiniteDifferences() throws {
        var rng = RandomStream(seed: 1, name: "softmax-ce")
        let z = randomNormal([4, 5], &rng)
        let y = probabilityRows(4, 5, &rng)
        let targets = y.scalars.map(Double.init)
        let reference: ([Double]) -> Double = { z in
            var total = 0.0
            for b in 0..<4 {
                let row = Array(z[(b * 5)..<(b * 5 + 5)])
                let partition = row.map { Foundation.exp($0) }.reduce(0, +)
                for j in 0..<5 { total -= targets[b * 5 + j] * Foundation.log(Foundation.exp(row[j]) / partition) }
            }
            return total / 4
        }
        try checkGradient(SoftmaxCrossEntropy(), z, .values(y), reference: reference)
    }

    /// A sequence's logits `[batch, time, classes]` with one label per step; steps
    /// labelled −1 (padding) count for nothing and the mean is over the steps that count.
    func testSequenceCrossEntropyAveragesOverTheLabelledStepsOnly() throws {
        var rng = RandomStream(seed: 2, name: "sequence-ce")
        let z = randomNormal([2, 3, 4], &rng)
        let labels = [1, LossTarget.ignored, 3, 0, 2, LossTarget.ignored]
        let reference: ([Double]) -> Double = { z in
            var total = 0.0
            for (row, label) in labels.enumerated() where label >= 0 {
                let logits = Array(z[(row * 4)..<(row * 4 + 4)])
                let partition = logits.map { Foundation.exp($0) }.reduce(0, +)
                total -= Foundation.log(Foundation.exp(logits[label]) / partition)
            }
            return total / 4
        }
        try checkGradient(SoftmaxCrossEntropy(), z, .classes(labels), reference: reference)
        let gradient = try SoftmaxCrossEntropy().evaluate(z, .classes(labels)).gradient
        XCTAssertEqual(Array(gradient.scalars[4..<8]) + Array(gradient.scalars[20..<24]), [Float](repeating: 0, count: 8),
                       "ignored steps get no gradient")
        // The same rows as a plain [4, 4] batch give the same loss.
        let kept = [0, 2, 3, 4].flatMap { Array(z.scalars[($0 * 4)..<($0 * 4 + 4)]) }
        XCTAssertEqual(try SoftmaxCrossEntropy().evaluate(Tensor(shape: [4, 4], scalars: kept), .classes([1, 3, 0, 2])).value,
                       try SoftmaxCrossEntropy().evaluate(z, .classes(labels)).value, accuracy: 1e-6)
        XCTAssertThrowsError(try SoftmaxCrossEntropy().evaluate(z, .classes([1, 2])), "one label per step")
    }

    func testBinaryCrossEntropyGradientMatchesFiniteDifferences() throws {
        var rng = RandomStream(seed: 2, name: "bce")
        let z = randomNormal([3, 4], &rng)
        let y = Tensor(shape: [3, 4], scalars: (0..<12).map { _ in rng.nextUniform() })
        let targets = y.scalars.map(Double.init)
        let reference: ([Double]) -> Double = { z in
            var total = 0.0
            for (z, y) in zip(z, targets) {
                let s = 1 / (1 + Foundation.exp(-z))
                total -= y * Foundation.log(s) + (1 - y) * Foundation.log(1 - s)
            }
            return total / 12
        }
        try checkGradient(BinaryCrossEntropy(), z, .values(y), reference: reference)
    }

    func testMeanSquaredErrorGradientMatchesFiniteDifferences() throws {
        var rng = RandomStream(seed: 3, name: "mse")
        let p = randomNormal([3, 4], &rng)
        let y = randomNormal([3, 4], &rng)
        let targets = y.scalars.map(Double.init)
        let reference: ([Double]) -> Double = { p in
            var total = 0.0
            for (p, y) in zip(p, targets) { total += (p - y) * (p - y) }
            return total / 12
        }
        try checkGradient(MeanSquaredError(), p, .values(y), reference: reference)
    }

    // MARK: Bad input

    func testLabelOutOfRangeIsNamed() {
        let logits = Tensor(shape: [2, 3])
        XCTAssertThrowsError(try SoftmaxCrossEntropy().evaluate(logits, .classes([1, 3]))) { error in
            XCTAssertEqual(error as? LossError,
                           .labelOutOfRange(loss: "softmax_cross_entropy", label: 3, example: 1, classes: 3))
            XCTAssertTrue("\(error)".contains("label 3 of example 1"))
        }
    }

    func testShapeMismatchNamesBothShapes() {
        XCTAssertThrowsError(try MeanSquaredError().evaluate(Tensor(shape: [2, 3]), .values(Tensor(shape: [2, 4])))) {
            XCTAssertEqual($0 as? LossError, .shapeMismatch(loss: "mse", prediction: [2, 3], target: [2, 4]))
            XCTAssertTrue("\($0)".contains("[2, 3]") && "\($0)".contains("[2, 4]"))
        }
        XCTAssertThrowsError(try SoftmaxCrossEntropy().evaluate(Tensor(shape: [2, 3]), .classes([0, 1, 2]))) {
            XCTAssertEqual($0 as? LossError,
                           .shapeMismatch(loss: "softmax_cross_entropy", prediction: [2, 3], target: [3]))
        }
    }

    func testEmptyBatchIsRejected() {
        XCTAssertThrowsError(try BinaryCrossEntropy().evaluate(Tensor(shape: [0, 1]), .classes([]))) {
            guard case .unsupportedShape? = $0 as? LossError else { return XCTFail("\($0)") }
        }
    }

    // MARK: Helpers

    /// Compares the loss's value and analytic gradient with a double-precision
    /// reference and its central differences (h = 1e-5); relative error
    /// ‖a − n‖ / (‖a‖ + ‖n‖) must stay below 1e-3.
    private func checkGradient(_ loss: Loss, _ x: Tensor, _ target: LossTarget,
                               reference: ([Double]) -> Double,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let (value, gradient) = try loss.evaluate(x, target)
        let point = x.scalars.map(Double.init)
        XCTAssertEqual(Double(value), reference(point), accuracy: 1e-5, file: file, line: line)
        let h = 1e-5
        let numeric = point.indices.map { i -> Double in
            var plus = point, minus = point
            plus[i] += h
            minus[i] -= h
            return (reference(plus) - reference(minus)) / (2 * h)
        }
        let analytic = gradient.scalars.map(Double.init)
        let difference = zip(analytic, numeric).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let scale = norm(analytic) + norm(numeric)
        XCTAssertGreaterThan(scale, 0, file: file, line: line)
        XCTAssertLessThan(difference / scale, 1e-3, "\(loss.name) gradient", file: file, line: line)
    }

    private func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }

    private func randomNormal(_ shape: [Int], _ rng: inout RandomStream) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in rng.nextNormal() })
    }

    /// Rows of positive weights normalised to sum to 1 (soft labels).
    private func probabilityRows(_ rows: Int, _ columns: Int, _ rng: inout RandomStream) -> Tensor {
        var scalars: [Float] = []
        for _ in 0..<rows {
            let weights = (0..<columns).map { _ in rng.nextUniform(0.1, 1) }
            let total = weights.reduce(0, +)
            scalars += weights.map { $0 / total }
        }
        return Tensor(shape: [rows, columns], scalars: scalars)
    }
}

/// Element-wise closeness of two float arrays of the same length.
func assertElementsEqual(_ actual: [Float], _ expected: [Float], accuracy: Float,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "element count", file: file, line: line)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        XCTAssertEqual(a, e, accuracy: accuracy, "element \(i) of \(actual)", file: file, line: line)
    }
}
