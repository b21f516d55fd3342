import Foundation
import XCTest
@testable import Render

final class LineChartTests: XCTestCase {
    func testGradientNormsOnLogAxisMatchGolden() throws {
        // Per-layer gradient norms: early layers vanish (shrinking by decades), the last grows.
        let steps = (0..<50).map(Double.init)
        let series = ["dense1", "dense2", "dense3", "output"].enumerated().map { k, name in
            Series(name: name, x: steps, y: steps.map { (s: Double) -> Double in
                let decades: Double = -Double(3 - k) * (0.3 + s / 60)
                return pow(10, decades) * (1 + 0.2 * sin(s))
            })
        }
        let chart = try LineChart(title: "Gradient norm per layer", xLabel: "step", yLabel: "‖∂L/∂W‖",
                                  series: series, yScale: .log)
        try Golden.assertMatches(chart, named: "line-chart-log")
    }

    func testLinearSeriesWithMarkersMatchGolden() throws {
        let x = (0...10).map { Double($0) / 2 }
        let chart = try LineChart(title: "Activation functions", xLabel: "x", yLabel: "f(x)", series: [
            Series(name: "tanh", x: x, y: x.map(tanh)), Series(name: "sigmoid", x: x, y: x.map { 1 / (1 + exp(-$0)) }),
        ], markers: true)
        try Golden.assertMatches(chart, named: "line-chart-linear")
    }

    func testCategoriesChooseEachSeriesColour() throws {
        let series = [Series(name: "a", y: [1, 2, 3]), Series(name: "b", y: [3, 1, 2])]
        let plain = try LineChart(title: "t", xLabel: "x", yLabel: "y", series: series).raster()
        XCTAssertEqual(try LineChart(title: "t", xLabel: "x", yLabel: "y", series: series, categories: [0, 1]).raster(), plain)
        XCTAssertNotEqual(try LineChart(title: "t", xLabel: "x", yLabel: "y", series: series, categories: [3, 7]).raster(), plain)
    }

    func testBadInputThrows() {
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: []))
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: [Series(name: "a", x: [1, 2], y: [1])]))
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: [Series(name: "a", y: [0, -1])], yScale: .log))
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: [Series(name: "a", y: [.nan])]))
    }

    func testZerosOnALogAxisBreakTheLineAndAPointBetweenBreaksIsADot() throws {
        // A dead layer's gradient norm: exactly 0 on most steps.
        let gappy = Series(name: "a", y: [1, 2, 0, 0, 3, 0, 0, 0, 2, 1])
        let chart = try LineChart(title: "t", xLabel: "x", yLabel: "y", series: [gappy], yScale: .log)
        XCTAssertEqual((0..<10).filter { chart.isolated($0, in: gappy) }, [4])
        let bridged = try LineChart(title: "t", xLabel: "x", yLabel: "y",
                                    series: [Series(name: "a", x: [0, 1, 4, 8, 9], y: [1, 2, 3, 2, 1])], yScale: .log)
        XCTAssertEqual((0..<5).filter { bridged.isolated($0, in: bridged.series[0]) }, [])
        XCTAssertLessThan(Pixels.inkedFraction(try Pixels.render(chart)), Pixels.inkedFraction(try Pixels.render(bridged)),
                          "no lines drawn across the zero steps")
    }

    func testSinglePointAndFlatSeriesStillDraw() throws {
        let chart = try LineChart(title: "one point", xLabel: "x", yLabel: "y", series: [Series(name: "a", y: [3])])
        XCTAssertGreaterThan(Pixels.inkedFraction(try Pixels.render(chart)), 0.005)
    }
}
