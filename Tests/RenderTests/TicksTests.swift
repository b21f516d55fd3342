import XCTest
import Render

final class TicksTests: XCTestCase {
    func testStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(Ticks.niceStep(span: 1, target: 5), 0.2)
        XCTAssertEqual(Ticks.niceStep(span: 7, target: 6), 1)
        XCTAssertEqual(Ticks.niceStep(span: 3000, target: 6), 500)
        XCTAssertEqual(Ticks.niceStep(span: 0.03, target: 6), 0.005)
    }

    func testLinearTicksAreExactMultiplesInsideTheRange() {
        XCTAssertEqual(Ticks.linear(-0.05, 1.05, target: 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        XCTAssertEqual(Ticks.linear(0.13, 0.52, target: 4), [0.2, 0.30000000000000004, 0.4, 0.5])
    }

    func testAnEpochAxisTicksOnlyWholeEpochs() {
        // Three epochs fit about six ticks at 0.5 apart; an epoch axis keeps whole ones.
        XCTAssertEqual(Ticks.linear(0.9, 3.1, target: 6), [1, 1.5, 2, 2.5, 3])
        XCTAssertEqual(Ticks.linear(0.9, 3.1, target: 6, minimumStep: 1), [1, 2, 3])
        XCTAssertTrue(AxisSpec(label: "epoch", lower: 0.9, upper: 3.1).wholeNumbers)
        XCTAssertFalse(AxisSpec(label: "loss", lower: 0.9, upper: 3.1).wholeNumbers)
        let scale = Scale(kind: .linear, lower: 0.9, upper: 3.1, start: 0, end: 100, wholeNumbers: true)
        XCTAssertEqual(scale.ticks().map { scale.tickLabel($0, among: scale.ticks()) }, ["1", "2", "3"])
    }

    func testLogTicksArePowersOfTen() {
        XCTAssertEqual(Ticks.log(0.0005, 20), [0.001, 0.01, 0.1, 1, 10])
        XCTAssertEqual(Ticks.scientific(0.001), "10⁻³")
        XCTAssertEqual(Ticks.scientific(2e5), "2×10⁵")
    }

    func testLabelsUseTheStepsPrecisionAndATrueMinus() {
        XCTAssertEqual(Ticks.label(0.30000000000000004, step: 0.1), "0.3")
        XCTAssertEqual(Ticks.label(-0.5, step: 0.5), "−0.5")
        XCTAssertEqual(Ticks.label(1500, step: 500), "1500")
        XCTAssertEqual(Ticks.compact(0.4551), "0.455")
        XCTAssertEqual(Ticks.compact(48), "48")
    }
}
