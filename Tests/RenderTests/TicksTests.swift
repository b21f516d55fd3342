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

    func testLogTicksWithinAFewDecadesTakeTheMultiplesBetweenThePowers() {
        // A perplexity axis from 4 to 120: ticks at 10 and 100 alone left 5, 20, 50 to guess.
        XCTAssertEqual(Ticks.log(4, 120), [5, 10, 20, 30, 50, 100])
        XCTAssertEqual(Ticks.log(4, 120, target: 5), [5, 10, 20, 50, 100])
        XCTAssertEqual(Ticks.log(18, 110), [20, 30, 50, 100])
        // Fewer allowed: 1 and 3 of each power, then the powers alone.
        func close(_ a: [Double], _ b: [Double]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * abs($1) }
        }
        XCTAssertTrue(close(Ticks.log(0.0008, 0.15, target: 5), [0.001, 0.003, 0.01, 0.03, 0.1]))
        XCTAssertTrue(close(Ticks.log(0.0008, 0.15, target: 3), [0.001, 0.01, 0.1]))
        // Less than a decade: the multiples inside it, or linear steps where fewer than three are.
        XCTAssertEqual(Ticks.log(20, 80), [20, 30, 50])
        XCTAssertEqual(Ticks.log(25, 45), Ticks.linear(25, 45, target: 3))
        let scale = Scale(kind: .log, lower: 4, upper: 120, start: 0, end: 100)
        XCTAssertEqual(scale.ticks().map { scale.tickLabel($0, among: scale.ticks()) }, ["5", "10", "20", "30", "50", "100"])
        let small = Scale(kind: .log, lower: 0.0008, upper: 0.15, start: 0, end: 100)
        XCTAssertEqual(small.ticks(target: 5).map { small.tickLabel($0, among: small.ticks(target: 5)) },
                       ["0.001", "0.003", "0.01", "0.03", "0.1"])
        let decades = Scale(kind: .log, lower: 0.0005, upper: 20, start: 0, end: 100)
        XCTAssertEqual(decades.tickLabel(0.01, among: decades.ticks()), "10⁻²")
    }

    func testLabelsUseTheStepsPrecisionAndATrueMinus() {
        XCTAssertEqual(Ticks.label(0.30000000000000004, step: 0.1), "0.3")
        XCTAssertEqual(Ticks.label(-0.5, step: 0.5), "−0.5")
        XCTAssertEqual(Ticks.label(1500, step: 500), "1500")
        XCTAssertEqual(Ticks.compact(0.4551), "0.455")
        XCTAssertEqual(Ticks.compact(48), "48")
    }

    /// Model sizes in a legend round to the nearest thousand, not down.
    func testThousandsRoundToTheNearest() {
        XCTAssertEqual(Ticks.thousands(95_956), "96k")
        XCTAssertEqual(Ticks.thousands(116_820), "117k")
        XCTAssertEqual(Ticks.thousands(115_028), "115k")
        XCTAssertEqual(Ticks.thousands(999), "999")
    }
}
