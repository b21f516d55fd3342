import XCTest
import Render

/// A fixed y range: flat fractions still draw inside it, and a range that is
/// empty (or ≤ 0 on a log axis) is refused with an error, not a blank chart.
final class LineChartRangeTests: XCTestCase {
    func testFlatSeriesDrawsInsideAFixedRange() throws {
        let flat = try LineChart(title: "dead units", xLabel: "step", yLabel: "fraction",
                                 series: [Series(name: "dense1", y: [0, 0, 0, 0])], yRange: -0.03...1.03)
        XCTAssertGreaterThan(Pixels.inkedFraction(try Pixels.render(flat)), 0.005)
    }

    func testEmptyOrNonPositiveRangeThrows() {
        let s = [Series(name: "a", y: [1, 2])]
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: s, yRange: 1...1))
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: s, yScale: .log, yRange: 0...10))
        XCTAssertNoThrow(try LineChart(title: "t", xLabel: "", yLabel: "", series: s, yScale: .log, yRange: 0.1...10))
    }
}
