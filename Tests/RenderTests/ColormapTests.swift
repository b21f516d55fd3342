import XCTest
import Render

final class ColormapTests: XCTestCase {
    func testViridisIsMatplotlibsTable() {
        let v = Colormap.viridis
        XCTAssertEqual(v.table.count, 256)
        XCTAssertEqual(v.color(at: 0), Color(red: 0.267004, green: 0.004874, blue: 0.329415))
        XCTAssertEqual(v.color(at: 1), Color(red: 0.993248, green: 0.906157, blue: 0.143936))
        // matplotlib: index = min(⌊t·256⌋, 255), so 0.5 is entry 128.
        XCTAssertEqual(v.color(at: 0.5), v.table[128])
        XCTAssertEqual(v.table[128], Color(red: 0.127568, green: 0.566949, blue: 0.550556))
    }

    func testDivergingIsBlueWhiteRedAroundZero() {
        let d = Colormap.diverging
        XCTAssertEqual(d.table.count, 256)
        XCTAssertGreaterThan(d.color(at: 0).blue, d.color(at: 0).red)
        XCTAssertGreaterThan(d.color(at: 1).red, d.color(at: 1).blue)
        let middle = d.color(at: 0.5)
        XCTAssertGreaterThan(min(middle.red, middle.green, middle.blue), 0.93, "zero must look (almost) white")
    }

    func testSymmetricScaleIsCentredAtZeroAndIgnoresNaN() {
        let scale = ColorScale.symmetric([0.5, -2, .nan, .infinity], theme: .standard)
        XCTAssertEqual(scale.lower, -2)
        XCTAssertEqual(scale.upper, 2)
        XCTAssertEqual(scale.color(0), Colormap.diverging.color(at: 0.5))
        XCTAssertEqual(scale.color(.nan), Theme.standard.missingValue)
    }

    func testPaletteHasTenDistinctClassColours() {
        let colors = (0..<10).map { Theme.standard.categoryColor($0) }
        XCTAssertEqual(Set(colors.map { "\($0)" }).count, 10)
        XCTAssertEqual(Theme.standard.categoryColor(10), Theme.standard.categoryColor(0))
    }
}
