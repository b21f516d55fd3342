import XCTest
import Tensor
@testable import NeuralNet

/// Data sets come from users' files: a count that does not match is an error the
/// command line can print, never a crash.
final class LabeledDataTests: XCTestCase {
    func testLabelsForAnotherNumberOfExamplesAreAnError() {
        XCTAssertThrowsError(try LabeledData(inputs: Tensor(shape: [3, 2]), labels: [0, 1], classNames: ["a", "b"])) {
            XCTAssertEqual($0 as? TrainingError, .countMismatch(examples: 3, answers: 2, kind: "labels"))
            XCTAssertEqual("\($0)", "2 labels for 3 examples: every example needs exactly one")
        }
    }

    func testTargetsForAnotherNumberOfExamplesAreAnError() {
        XCTAssertThrowsError(try LabeledData(inputs: Tensor(shape: [2, 1]), targets: Tensor(shape: [4, 1]))) {
            XCTAssertEqual($0 as? TrainingError, .countMismatch(examples: 2, answers: 4, kind: "targets"))
        }
    }

    func testASubsetKeepsLabelsAndTargetsWithTheirExamples() throws {
        let data = try LabeledData(inputs: Tensor(shape: [3, 1], scalars: [10, 20, 30]),
                                   targets: Tensor(shape: [3, 1], scalars: [1, 2, 3]))
        let picked = data.subset([2, 0])
        XCTAssertEqual(picked.inputs.scalars, [30, 10])
        XCTAssertEqual(picked.targets?.scalars, [3, 1])
        XCTAssertEqual(picked.count, 2)
    }
}
