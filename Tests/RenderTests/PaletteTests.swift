import XCTest
@testable import Render

/// Colours that must not be confused in one figure: orange beside vermillion, blue beside
/// sky blue (issue 20). The hue families are the theme's; these tests hold the orders
/// that series, runs, layers and the held-out curve take them in to that rule.
final class PaletteTests: XCTestCase {
    let theme = Theme.standard

    func testOrangeAndVermillionAndBlueAndSkyAreOneFamilyEach() {
        XCTAssertTrue(theme.sameHueFamily(1, 3))
        XCTAssertTrue(theme.sameHueFamily(0, 5))
        XCTAssertFalse(theme.sameHueFamily(0, 3))
        XCTAssertFalse(theme.sameHueFamily(1, 2))
        XCTAssertEqual(theme.categoricalFamilies.count, theme.categorical.count)
    }

    func testTheFirstFiveDistinctCategoriesAreOfFiveFamilies() {
        let first = Array(Theme.distinctCategories.prefix(5))
        for (i, a) in first.enumerated() {
            for b in first[(i + 1)...] { XCTAssertFalse(theme.sameHueFamily(a, b), "categories \(a) and \(b)") }
        }
        XCTAssertFalse(Theme.distinctCategories.contains(8), "grey marks reference lines")
        XCTAssertEqual(Set(Theme.distinctCategories).count, Theme.distinctCategories.count)
    }

    func testALineChartsOwnColoursNeverShareAFamilyUpToFiveSeries() {
        for count in 1...5 {
            let colours = LineChart.defaultCategories(count: count)
            XCTAssertEqual(colours.count, count)
            for (i, a) in colours.enumerated() {
                for b in colours[(i + 1)...] {
                    XCTAssertFalse(theme.sameHueFamily(a, b), "\(count) series: categories \(a) and \(b)")
                }
            }
        }
        // Two and three series keep the Okabe–Ito order (blue, orange, green) that captions name.
        XCTAssertEqual(LineChart.defaultCategories(count: 2), [0, 1])
        XCTAssertEqual(LineChart.defaultCategories(count: 3), [0, 1, 2])
    }

    func testHeldOutCurveTakesAFamilyNoRunTakes() {
        XCTAssertEqual(theme.heldOutCategory(avoiding: [0]), 1, "one run: orange beside blue")
        XCTAssertEqual(theme.heldOutCategory(avoiding: [0, 3, 7]), 4, "a vermillion run: not orange")
        XCTAssertEqual(theme.heldOutCategory(avoiding: [0, 3, 7, 4]), 2, "and a purple one: green")
        for runs in [[0], [0, 3], [0, 3, 7], [0, 3, 7, 4]] {
            let heldOut = theme.heldOutCategory(avoiding: runs)
            XCTAssertFalse(runs.contains { theme.sameHueFamily($0, heldOut) }, "runs \(runs): \(heldOut)")
        }
        // Every family taken: the one whose first run comes latest (brown, the seventh run).
        XCTAssertEqual(theme.heldOutCategory(avoiding: Array(Theme.distinctCategories.prefix(7))), 9)
    }

    func testCurvesDrawTheirTrainingAndHeldOutColours() throws {
        func curves(_ train: Int, _ heldOut: Int) throws -> TrainingCurves {
            try TrainingCurves(title: "t", stepsPerEpoch: 2,
                               loss: .init(name: "loss", trainPerStep: [3, 2, 1.5, 1], validationPerEpoch: [2, 1.2], lowerIsBetter: true),
                               trainCategory: train, heldOutCategory: heldOut)
        }
        let plain = try curves(0, 1)
        XCTAssertEqual(try plain.raster(), try TrainingCurves(
            title: "t", stepsPerEpoch: 2,
            loss: .init(name: "loss", trainPerStep: [3, 2, 1.5, 1], validationPerEpoch: [2, 1.2], lowerIsBetter: true)).raster())
        XCTAssertNotEqual(try curves(3, 4).raster(), try plain.raster())
    }
}
