import Foundation
import XCTest
@testable import Render

/// A curve fit draws data points with curves over them; fixed axis ranges let
/// several charts share one scale.
final class CurveFitTests: XCTestCase {
    static let xs = (0..<40).map { -3 + 6 * Double($0) / 39 }

    func testPointsAndCurvesAreDrawnInTheirColours() throws {
        let points = Series(name: "data", x: Self.xs, y: Self.xs.map { sin($0) + 0.1 * cos(7 * $0) })
        let curves = [Series(name: "early", x: Self.xs, y: Self.xs.map { 0.5 * $0 / 3 }),
                      Series(name: "final", x: Self.xs, y: Self.xs.map(sin))]
        let plot = try CurveFit(title: "Fit", points: points, curves: curves)
        let image = try Pixels.render(plot)
        XCTAssertGreaterThan(Pixels.inkedFraction(image), 0.02)
        let theme = Theme.standard
        XCTAssertEqual(plot.curveColor(1, theme: theme), theme.categoryColor(0), "the last curve has the full colour")
        XCTAssertNotEqual(plot.curveColor(0, theme: theme), theme.categoryColor(0), "earlier curves are faded")
    }

    func testBadInputThrows() {
        let points = Series(name: "data", x: [0, 1], y: [0, 1])
        XCTAssertThrowsError(try CurveFit(title: "t", points: points, curves: []))
        XCTAssertThrowsError(try CurveFit(title: "t", points: Series(name: "d", x: [0, 1], y: [0]),
                                          curves: [Series(name: "c", y: [0, 1])]))
        XCTAssertThrowsError(try CurveFit(title: "t", points: Series(name: "d", x: [.nan], y: [.nan]),
                                          curves: [Series(name: "c", y: [.nan])]))
    }

    func testFixedRangesOverrideTheFittedAxes() throws {
        let series = [Series(name: "a", y: [1, 2, 3])]
        let fitted = try Pixels.render(LineChart(title: "t", xLabel: "x", yLabel: "y", series: series))
        let fixed = try Pixels.render(LineChart(title: "t", xLabel: "x", yLabel: "y", series: series,
                                                xRange: 0...10, yRange: 0...10))
        XCTAssertNotEqual(fitted.pixels, fixed.pixels)
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: series, yRange: 1...1))
        XCTAssertThrowsError(try LineChart(title: "t", xLabel: "", yLabel: "", series: series, yScale: .log, yRange: 0...1))
    }
}
