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

    func testViridisEndsAreMatplotlibsHexColours() {
        XCTAssertEqual(hex(Colormap.viridis.table[0]), 0x440154)
        XCTAssertEqual(hex(Colormap.viridis.table[255]), 0xFDE725)
    }

    /// matplotlib's lookup: `index = min(⌊t·256⌋, 255)` with t clamped to 0...1, so bin k
    /// is `[k/256, (k+1)/256)` and t = 1 falls in the last bin. A colormap whose entry k has
    /// red k/255 tells which entry was picked.
    func testLookupPicksTheBinHoldingTAtEveryEdge() {
        let map = Colormap(name: "index", stops: (0..<256).map { (Double($0) / 255, 0, 0) })
        func index(_ t: Double) -> Int? { map.table.firstIndex(of: map.color(at: t)) }
        for k in 0...256 {
            let edge = Double(k) / 256
            XCTAssertEqual(index(edge), min(k, 255), "t = \(k)/256")
            XCTAssertEqual(index(edge + 1e-12), min(k, 255), "t = \(k)/256 + 1e-12")
            if k > 0 {
                XCTAssertEqual(index(edge.nextDown), k - 1, "t just below \(k)/256")
                XCTAssertEqual(index(edge - 1e-12), k - 1, "t = \(k)/256 − 1e-12")
            }
        }
        XCTAssertEqual(index(0.5), 128)
        for below: Double in [-1e-12, -0.5, -1, -.infinity] { XCTAssertEqual(index(below), 0, "t = \(below) clamps to 0") }
        for above: Double in [1 + 1e-12, 1.5, 2, .infinity] { XCTAssertEqual(index(above), 255, "t = \(above) clamps to 1") }
    }

    func testDivergingIsBlueWhiteRedAroundZero() {
        let d = Colormap.diverging
        XCTAssertEqual(d.table.count, 256)
        XCTAssertGreaterThan(d.color(at: 0).blue, d.color(at: 0).red)
        XCTAssertGreaterThan(d.color(at: 1).red, d.color(at: 1).blue)
        let middle = d.color(at: 0.5)
        XCTAssertGreaterThan(min(middle.red, middle.green, middle.blue), 0.93, "zero must look (almost) white")
        XCTAssertLessThan(max(middle.red, middle.green, middle.blue) - min(middle.red, middle.green, middle.blue), 0.02,
                          "and neutral, neither blue nor red")
        let low = d.color(at: 0), high = d.color(at: 1)
        XCTAssertGreaterThan(low.blue, max(low.red, low.green), "the low end is blue")
        XCTAssertGreaterThan(high.red, max(high.green, high.blue), "the high end is red")
        XCTAssertEqual(hex(d.table[0]), 0x053061, "RdBu_r starts at ColorBrewer's darkest blue")
        XCTAssertEqual(hex(d.table[255]), 0x67001F, "and ends at its darkest red")
    }

    private func hex(_ color: Color) -> UInt32 {
        [color.red, color.green, color.blue].reduce(0) { $0 << 8 | UInt32(($1 * 255).rounded()) }
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
