import NeuralNet
import XCTest
@testable import Lessons

/// A lesson file names a per-epoch metric by the set it is measured on (issue 20:
/// validation is not test), and a trace from before the set was recorded still draws.
final class MetricNameTests: XCTestCase {
    func testAHeldOutMetricMustNameTheLessonsOwnSet() throws {
        XCTAssertThrowsError(try MetricName.validationAccuracy.check(against: .test)) { error in
            XCTAssertTrue("\(error)".contains("metric: test_accuracy"), "\(error)")
        }
        XCTAssertThrowsError(try MetricName.testLoss.check(against: .validation)) { error in
            XCTAssertTrue("\(error)".contains("metric: val_loss"), "\(error)")
        }
        XCTAssertNoThrow(try MetricName.testAccuracy.check(against: .test))
        XCTAssertNoThrow(try MetricName.validationLoss.check(against: .validation))
        XCTAssertNoThrow(try MetricName.loss.check(against: .test))
        XCTAssertNoThrow(try MetricName.validationAccuracy.check(against: nil), "an old trace does not say")
    }

    func testLabelsNameTheSetTheValuesCameFrom() {
        XCTAssertEqual(MetricName.testAccuracy.label(on: .test), "test accuracy")
        XCTAssertEqual(MetricName.validationLoss.on(.test), .testLoss)
        XCTAssertEqual(MetricName.testAccuracy.scalar, ScalarName.testAccuracy)
        XCTAssertTrue(MetricName.testLoss.isHeldOut)
        XCTAssertFalse(MetricName.accuracy.isHeldOut)
    }
}
