import XCTest
@testable import Render

/// `ColorRange`: what a plot's values are decides its colour scale.
final class ColorRangeTests: XCTestCase {
    private let theme = Theme.standard

    private func scale(_ range: ColorRange, _ values: [Float]) throws -> ColorScale {
        try range.colorScale(for: values, theme: theme, figure: "fig", what: "values")
    }

    func testUnitIntervalIsExactlyZeroToOneOnViridis() throws {
        let s = try scale(.unitInterval, [0.2, 0.3, .nan])
        XCTAssertEqual([s.lower, s.upper], [0, 1])
        XCTAssertEqual(s.colormap.name, "viridis")
        XCTAssertThrowsError(try scale(.unitInterval, [0.5, 1.2]))
        XCTAssertThrowsError(try scale(.unitInterval, [-0.1, 0.5]))
    }

    func testSymmetricTakesTheDataOrTheGivenLimit() throws {
        let own = try scale(.symmetric(), [-0.5, 2])
        XCTAssertEqual([own.lower, own.upper], [-2, 2])
        XCTAssertEqual(own.colormap.name, "RdBu_r")
        let shared = try scale(.symmetric(limit: 5), [-0.5, 2])
        XCTAssertEqual([shared.lower, shared.upper], [-5, 5])
        XCTAssertThrowsError(try scale(.symmetric(limit: 0), [1]))
        XCTAssertThrowsError(try scale(.symmetric(limit: .nan), [1]))
    }

    func testMagnitudeStartsAtZeroAndRefusesNegatives() throws {
        let s = try scale(.magnitude(), [2, 7])
        XCTAssertEqual([s.lower, s.upper], [0, 7])
        XCTAssertEqual(try scale(.magnitude(upper: 10), [2, 7]).upper, 10)
        XCTAssertThrowsError(try scale(.magnitude(), [-1, 7]))
    }

    func testAutomaticPicksByTheData() throws {
        XCTAssertEqual(try scale(.automatic, [-1, 0.5]).colormap.name, "RdBu_r")
        XCTAssertEqual(try scale(.automatic, [0.1, 0.9]).upper, 1)
        XCTAssertEqual(try scale(.automatic, [0.1, 0.9]).lower, 0)
        XCTAssertEqual(try scale(.automatic, [3, 9]).lower, 0)
        XCTAssertEqual(try scale(.automatic, [3, 9]).upper, 9)
    }

    func testACallersScaleIsUsedAsItIs() throws {
        let given = ColorScale.symmetric([-4, 1, 3], theme: theme)
        let s = try scale(.scale(given), [0.1])
        XCTAssertEqual([s.lower, s.upper], [-4, 4])
    }

    func testOutOfRangeErrorSaysWhatToUseInstead() {
        XCTAssertThrowsError(try scale(.unitInterval, [0.5, 1.5])) { error in
            XCTAssertEqual("\(error)", "fig: a value of values is 1.50 but needs [0, 1] (a gate or probability); "
                           + "use .symmetric() for signed states")
        }
    }
}
