import Foundation
@testable import NeuralNet
import XCTest
@testable import Trace

/// Per-epoch metrics measured on the test set are called test, not validation (issue 20):
/// in the epoch records, `scalars.csv` and `summary.json`; and what was written before,
/// when they were all called `val_*`, still reads.
final class HeldOutNamesTests: XCTestCase {
    func testEpochMetricsOnTheTestSetTakeTestNames() {
        var metrics = EpochMetrics(epoch: 0, loss: 1, accuracy: 0.5, seconds: 1)
        metrics.validationLoss = 0.75
        metrics.validationAccuracy = 0.625
        XCTAssertEqual(metrics.asScalars[ScalarName.validationLoss], 0.75)
        metrics.heldOutSet = .test
        XCTAssertEqual(metrics.asScalars, [ScalarName.loss: 1, ScalarName.accuracy: 0.5,
                                           ScalarName.testLoss: 0.75, ScalarName.testAccuracy: 0.625])
    }

    func testSummaryEpochsNameTheirSetAndOldOnesStillRead() throws {
        var metrics = EpochMetrics(epoch: 2, loss: 1, accuracy: nil, validationLoss: 0.5, seconds: 3)
        metrics.heldOutSet = .test
        let json = String(decoding: try JSONEncoder().encode(metrics), as: UTF8.self)
        XCTAssertTrue(json.contains("\"testLoss\""), json)
        XCTAssertFalse(json.contains("validation"), json)
        XCTAssertEqual(try JSONDecoder().decode(EpochMetrics.self, from: Data(json.utf8)), metrics)
        let old = #"{"epoch": 0, "loss": 1, "validationLoss": 0.5, "validationAccuracy": 0.75, "seconds": 2}"#
        let read = try JSONDecoder().decode(EpochMetrics.self, from: Data(old.utf8))
        XCTAssertEqual(read.validationAccuracy, 0.75)
        XCTAssertNil(read.heldOutSet)
    }

    func testATestSetRunWritesTestColumnsAndReadersFindEitherName() throws {
        let directory = try makeTemporaryDirectory("held-out")
        defer { try? FileManager.default.removeItem(at: directory) }
        var run = denseRunInfo
        run.hyperparameters[HeldOutSet.hyperparameter] = HeldOutSet.test.rawValue
        let writer = try TraceWriter(directory: directory, run: run, policy: .none)
        for step in 0..<3 {
            writer.beginStep(StepInfo(step: step, epoch: 0, endsEpoch: step == 2))
            writer.recordScalars([ScalarName.loss: 1])
            writer.endStep()
        }
        writer.endEpoch(0, metrics: [ScalarName.testLoss: 0.5])
        try writer.finish()
        let reader = try TraceReader(directory: directory)
        XCTAssertEqual(HeldOutSet(reader.manifest.run), .test)
        let scalars = try reader.scalars()
        XCTAssertEqual(Array(scalars.columns.prefix(7)), ScalarsTable.core(.test))
        XCTAssertEqual(scalars.column(ScalarName.testLoss).map(\.value), [0.5])
        XCTAssertFalse(scalars.columns.contains(ScalarName.validationLoss))
        // A trace written before: the test set's loss under `val_loss`, found by either name.
        let old = EpochRecord(epoch: 0, step: 2, metrics: [ScalarName.validationLoss: 0.5])
        XCTAssertEqual(old.value(ScalarName.testLoss), 0.5)
        XCTAssertEqual(reader.manifest.epochs[0].value(ScalarName.validationLoss), 0.5)
        XCTAssertNil(old.value(ScalarName.accuracy))
    }
}
