import XCTest
@testable import Render

/// The network path's last row, the class scores, is read beside the probabilities.
final class NetworkPathTests: XCTestCase {
    private func path(lastUnits: Int, classes: [String]) throws -> NetworkPath {
        let input = try FloatArray(shape: [4, 4], values: (0..<16).map { Float($0) / 16 })
        let maps = try FloatArray(shape: [2, 2, 3], values: (0..<12).map { Float($0) })
        let hidden = try FloatArray(shape: [8], values: (0..<8).map { Float($0) - 4 })
        let logits = try FloatArray(shape: [lastUnits], values: (0..<lastUnits).map { Float($0) * 0.5 - 1 })
        let p = classes.indices.map { _ in 1 / Double(classes.count) }
        return try NetworkPath(title: "path", input: input,
                               stages: [.maps(name: "conv", values: maps, shown: [0, 1]), .units(name: "dense1", values: hidden),
                                        .units(name: "dense2", values: logits)],
                               probabilities: .init(values: p, labels: classes, truth: 0))
    }

    func testTheLastUnitRowWithOneUnitPerClassIsTheLogitsRow() throws {
        let classes = ["circle", "cross", "square", "triangle"]
        XCTAssertEqual(try path(lastUnits: 4, classes: classes).logitsRow, 2)
        XCTAssertNil(try path(lastUnits: 5, classes: classes).logitsRow, "five units for four classes are not class scores")
        let image = try path(lastUnits: 4, classes: classes).pngData(width: 800)
        XCTAssertGreaterThan(image.count, 1000)
    }
}
