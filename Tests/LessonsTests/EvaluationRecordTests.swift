import XCTest
import NeuralNet
import Tensor
@testable import Lessons

/// The evaluation record holds class probabilities for every kind of classifier,
/// computed as `learn predict` computes them.
final class EvaluationRecordTests: XCTestCase {
    private func data(classes: Int) throws -> LabeledData {
        let x = Tensor(shape: [6, 2], scalars: [0.5, -1, 2, 0.25, -1.5, 1, 0, 0.75, 1, -2, -0.5, 0.5])
        return try LabeledData(inputs: x, labels: (0..<6).map { $0 % classes }, classNames: (0..<classes).map(String.init))
    }

    private func assertRowsAreProbabilities(_ p: Tensor, classes: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(p.shape, [6, classes], file: file, line: line)
        for row in 0..<6 {
            let values = p.scalars[(row * classes)..<((row + 1) * classes)]
            XCTAssert(values.allSatisfy { $0 >= 0 && $0 <= 1 }, "\(values)", file: file, line: line)
            XCTAssertEqual(values.reduce(0, +), 1, accuracy: 1e-6, file: file, line: line)
        }
    }

    func testOneLogitBecomesTheProbabilitiesOfBothClasses() throws {
        let model = try Sequential(inputShape: [2], seed: 3, [Dense(1)])
        let test = try data(classes: 2)
        let record = try LessonRunner.evaluationRecord(model: model, endsInSoftmax: false, test: test)
        assertRowsAreProbabilities(record.probabilities, classes: 2)
        let z = try model.predict(test.inputs).scalars
        for (i, logit) in z.enumerated() {
            XCTAssertEqual(record.probabilities.scalars[2 * i + 1], 1 / (1 + exp(-logit)), accuracy: 1e-6, "σ(z) for class 1")
        }
        XCTAssertEqual(record.predictions, predictedClasses(try model.predict(test.inputs)))
    }

    func testRawOutputsOfASquaredErrorClassifierBecomeASoftmax() throws {
        let model = try Sequential(inputShape: [2], seed: 3, [Dense(3)])
        let test = try data(classes: 3)
        let record = try LessonRunner.evaluationRecord(model: model, endsInSoftmax: false, test: test)
        assertRowsAreProbabilities(record.probabilities, classes: 3)
        XCTAssertEqual(record.probabilities, softmax(try model.predict(test.inputs)))
    }

    func testASoftmaxLayersOutputIsKeptAsItIs() throws {
        let model = try Sequential(inputShape: [2], seed: 3, [Dense(3), SoftmaxLayer()])
        let test = try data(classes: 3)
        let record = try LessonRunner.evaluationRecord(model: model, endsInSoftmax: true, test: test)
        XCTAssertEqual(record.probabilities, try model.predict(test.inputs))
    }
}
