import Foundation
import XCTest
@testable import NeuralNet

final class ScheduleTests: XCTestCase {
    func testConstantNeverChanges() {
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.01, step: 0), 0.01)
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.01, step: 1_000_000), 0.01)
    }

    func testStepMultipliesByFactorEveryNUpdates() {
        // lr · 0.5^⌊step/10⌋: steps 0…9 → 0.8, 10…19 → 0.4, 25 → 0.2.
        let schedule = LearningRateSchedule.step(every: 10, factor: 0.5)
        XCTAssertEqual(schedule.rate(base: 0.8, step: 0), 0.8)
        XCTAssertEqual(schedule.rate(base: 0.8, step: 9), 0.8)
        XCTAssertEqual(schedule.rate(base: 0.8, step: 10), 0.4)
        XCTAssertEqual(schedule.rate(base: 0.8, step: 25), 0.2)
    }

    func testCosineEndpointsAndMidpoint() {
        // lr·(α + (1−α)·½(1 + cos(π s/T))), α = 0.1, T = 100, lr = 1:
        //   s = 0 → 1;  s = 50 → 0.1 + 0.9·½ = 0.55;  s = 25 → 0.1 + 0.9·½(1 + √2/2) = 0.868198;
        //   s = 100 → 0.1, and it stays there after T.
        let schedule = LearningRateSchedule.cosine(totalSteps: 100, minimumFactor: 0.1)
        XCTAssertEqual(schedule.rate(base: 1, step: 0), 1, accuracy: 1e-7)
        XCTAssertEqual(schedule.rate(base: 1, step: 50), 0.55, accuracy: 1e-6)
        XCTAssertEqual(schedule.rate(base: 1, step: 25), 0.1 + 0.9 * 0.5 * (1 + Float(2).squareRoot() / 2), accuracy: 1e-6)
        XCTAssertEqual(schedule.rate(base: 1, step: 100), 0.1, accuracy: 1e-7)
        XCTAssertEqual(schedule.rate(base: 1, step: 500), 0.1, accuracy: 1e-7)
    }

    func testNonsenseSchedulesFailValidationButNeverDivideByZero() {
        let everyZero = LearningRateSchedule.step(every: 0, factor: 0.5)
        XCTAssertThrowsError(try everyZero.validate()) {
            XCTAssertTrue("\($0)".contains("`every` must be at least 1"))
        }
        XCTAssertEqual(everyZero.rate(base: 0.1, step: 7), 0.1)
        XCTAssertThrowsError(try LearningRateSchedule.cosine(totalSteps: 0, minimumFactor: 0).validate())
        XCTAssertThrowsError(try LearningRateSchedule.cosine(totalSteps: 10, minimumFactor: 2).validate())
        XCTAssertNoThrow(try LearningRateSchedule.cosine(totalSteps: 10, minimumFactor: 0).validate())
    }
}
