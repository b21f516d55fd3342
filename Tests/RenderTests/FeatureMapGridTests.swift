import Foundation
import XCTest
import Render

final class FeatureMapGridTests: XCTestCase {
    private func layers() -> [FeatureMapGrid.Layer] {
        [.init(name: "conv1", values: Synthetic.activations(size: 26, channels: 8)),
         .init(name: "pool1", values: Synthetic.activations(size: 13, channels: 8)),
         .init(name: "conv2", values: Synthetic.activations(size: 11, channels: 16, signed: true))]
    }

    func testStackedLayersMatchGolden() throws {
        let grid = try FeatureMapGrid(title: "What the network sees in a zero", input: Synthetic.digit(), layers: layers())
        try Golden.assertMatches(grid, named: "feature-maps")
    }

    func testGradientMapsMatchGolden() throws {
        let grid = try FeatureMapGrid(title: "Gradients of the loss w.r.t. conv1", input: Synthetic.digit(),
                                      layers: [.init(name: "∂L/∂conv1", values: Synthetic.activations(size: 26, channels: 8, signed: true))],
                                      kind: .gradients)
        try Golden.assertMatches(grid, named: "gradient-maps")
    }

    func testNonNegativeLayersUseViridisAndSignedLayersAreSymmetric() throws {
        let grid = try FeatureMapGrid(title: "t", input: Synthetic.digit(), layers: layers())
        XCTAssertEqual(grid.colorScales[0].colormap.name, "viridis")
        XCTAssertEqual(grid.colorScales[2].colormap.name, "RdBu_r")
        XCTAssertEqual(grid.colorScales[2].lower, -grid.colorScales[2].upper)
        let gradients = try FeatureMapGrid(title: "t", input: Synthetic.digit(), layers: [layers()[0]], kind: .gradients)
        XCTAssertEqual(gradients.colorScales[0].colormap.name, "RdBu_r")
    }

    func testNaNChannelValuesAreDrawnInTheMissingColour() throws {
        var values = Synthetic.activations(size: 6, channels: 2).values
        values[0] = .nan
        let layer = FeatureMapGrid.Layer(name: "conv", values: try FloatArray(shape: [6, 6, 2], values: values))
        let image = try Pixels.render(try FeatureMapGrid(title: "t", input: Synthetic.digit(), layers: [layer]))
        XCTAssertTrue(image.pixels.contains(0xFFFF_00FF), "NaN should show as magenta")
    }

    func testBadLayersThrow() throws {
        XCTAssertThrowsError(try FeatureMapGrid(title: "t", input: Synthetic.digit(), layers: []))
        let flat = FeatureMapGrid.Layer(name: "dense", values: try FloatArray(shape: [10], values: Array(repeating: 1, count: 10)))
        XCTAssertThrowsError(try FeatureMapGrid(title: "t", input: Synthetic.digit(), layers: [flat])) { error in
            XCTAssertTrue("\(error)".contains("dense"))
        }
        let empty = try FloatArray(shape: [0, 28], values: [])
        XCTAssertThrowsError(try FeatureMapGrid(title: "t", input: empty, layers: layers()))
    }
}
