import Foundation
import XCTest
import Render

final class PlaneMapsTests: XCTestCase {
    /// Two maps on a 3 × 4 grid (rows = y, lowest first): map 0 = row index, map 1 = column − 1.
    func values() throws -> FloatArray {
        var v: [Float] = []
        for i in 0..<3 { for j in 0..<4 { v += [Float(i), Float(j) - 1] } }
        return try FloatArray(shape: [3, 4, 2], values: v)
    }

    func testTilesPutTheHighestRowOfThePlaneOnTop() throws {
        let maps = try PlaneMaps(title: "t", xRange: 0...4, yRange: 0...3, values: try values(), labels: ["a", "b"])
        XCTAssertEqual(maps.plane(0), [2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0])
        XCTAssertEqual(maps.plane(1), [-1, 0, 1, 2, -1, 0, 1, 2, -1, 0, 1, 2])
    }

    func testOneSharedScaleDivergingOnlyWhenSomeValueIsNegative() throws {
        let signed = try PlaneMaps(title: "t", xRange: 0...1, yRange: 0...1, values: try values(), labels: ["a", "b"])
        XCTAssertEqual(signed.colorScale.colormap.name, "RdBu_r")
        XCTAssertEqual(signed.colorScale.lower, -2)
        XCTAssertEqual(signed.colorScale.upper, 2)
        let relu = try FloatArray(shape: [2, 2, 1], values: [0, 0, 0.5, 3])
        let positive = try PlaneMaps(title: "t", xRange: 0...1, yRange: 0...1, values: relu, labels: ["unit 1"])
        XCTAssertEqual(positive.colorScale.colormap.name, "viridis")
        XCTAssertEqual(positive.colorScale.lower, 0)
        XCTAssertEqual(positive.colorScale.upper, 3)
    }

    func testDrawsEveryTileWithItsColours() throws {
        let relu = try FloatArray(shape: [2, 2, 1], values: [0, 0, 3, 3])
        let maps = try PlaneMaps(title: "", xRange: 0...1, yRange: 0...1, values: relu, labels: ["unit 1"])
        let image = try maps.raster(width: 300, scale: 1)
        let top = maps.colorScale.colors([3])[0], bottom = maps.colorScale.colors([0])[0]
        // Some pixel within 2/255 per channel of `c` (Cairo rounds colours to bytes).
        func drawn(_ c: Color) -> Bool {
            let want: [Double] = [c.red * 255, c.green * 255, c.blue * 255]
            return image.pixels.contains { p in
                let have: [Double] = [Double((p >> 16) & 0xFF), Double((p >> 8) & 0xFF), Double(p & 0xFF)]
                return zip(want, have).allSatisfy { abs($0 - $1) <= 2 }
            }
        }
        XCTAssertTrue(drawn(top), "the upper half (y high) is drawn in the colour of 3")
        XCTAssertTrue(drawn(bottom), "the lower half in the colour of 0")
    }

    func testBadInputsThrow() throws {
        let flat = try FloatArray(shape: [4], values: [1, 2, 3, 4])
        XCTAssertThrowsError(try PlaneMaps(title: "t", xRange: 0...1, yRange: 0...1, values: flat, labels: []))
        XCTAssertThrowsError(try PlaneMaps(title: "t", xRange: 0...1, yRange: 0...1, values: try values(), labels: ["a"])) { error in
            XCTAssertTrue("\(error)".contains("labels"), "\(error)")
        }
        XCTAssertThrowsError(try PlaneMaps(title: "t", xRange: 1...1, yRange: 0...1, values: try values(), labels: ["a", "b"]))
    }
}
