import XCTest
import NeuralNet
@testable import Trace

final class RecordPolicyTests: XCTestCase {
    func testParsesNamedPoliciesAndLists() throws {
        XCTAssertEqual(try RecordPolicy(parsing: "all"), .all)
        XCTAssertEqual(try RecordPolicy(parsing: "none"), .none)
        XCTAssertEqual(try RecordPolicy(parsing: "default"), .default)
        XCTAssertEqual(try RecordPolicy(parsing: "first=5, every=100,epoch-end"),
                       RecordPolicy(first: 5, every: 100, epochEnds: true))
        XCTAssertEqual(try RecordPolicy(parsing: "epoch-end"), RecordPolicy(epochEnds: true))
        XCTAssertEqual(try RecordPolicy(parsing: "default,stats-every=10"),
                       RecordPolicy(first: 3, every: 1000, epochEnds: true, statisticsEvery: 10))
    }

    func testDescriptionParsesBackToTheSamePolicy() throws {
        for policy in [RecordPolicy.all, .none, .default, RecordPolicy(first: 2), RecordPolicy(every: 7, epochEnds: true),
                       RecordPolicy(statisticsEvery: 4), RecordPolicy(every: 1, statisticsEvery: 2)] {
            XCTAssertEqual(try RecordPolicy(parsing: policy.description), policy, policy.description)
        }
    }

    func testRejectsUnknownTokensAndBadNumbers() {
        for text in ["sometimes", "first=-1", "every=x", "last=3", "first", "stats-every=0"] {
            XCTAssertThrowsError(try RecordPolicy(parsing: text), text) { error in
                XCTAssertTrue("\(error)".contains(text))
            }
        }
    }

    func testKeepsFirstEveryNthAndEpochEndSteps() {
        let policy = RecordPolicy(first: 2, every: 5, epochEnds: true)
        let kept = (0..<12).filter { step in
            policy.keepsFullTensors(at: StepInfo(step: step, epoch: step / 4, endsEpoch: step % 4 == 3))
        }
        XCTAssertEqual(kept, [0, 1, 3, 5, 7, 10, 11])
        XCTAssertEqual(policy.fullTensorSteps(totalSteps: 12, epochs: 3), kept)
    }

    func testDefaultPolicyForTheFullFashionMNISTCNNStaysUnder200MB() {
        // 5 epochs of 938 batches of 64; ~30 tensors per step; 3M floats of full tensors per step.
        let estimate = RecordPolicy.default.expectedSize(totalSteps: 4690, epochs: 5, tensorsPerStep: 30,
                                                         fullTensorBytesPerStep: 3_000_000 * 4)
        XCTAssertEqual(estimate.fullTensorSteps, RecordPolicy.default.fullTensorSteps(totalSteps: 4690, epochs: 5).count)
        XCTAssertLessThan(estimate.totalBytes, 200_000_000, estimate.description)
        XCTAssertGreaterThan(RecordPolicy.all.expectedSize(totalSteps: 4690, epochs: 5, tensorsPerStep: 30,
                                                           fullTensorBytesPerStep: 12_000_000).totalBytes,
                             4690 * 12_000_000)
    }
}
