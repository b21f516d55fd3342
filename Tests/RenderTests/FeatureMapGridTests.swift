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

    /// Benchmark (printed): the brief asks for a 64-channel 11×11 grid in under 100 ms.
    func testSixtyFourChannelGridRendersQuickly() throws {
        let grid = try FeatureMapGrid(title: "conv2: 64 channels", input: Synthetic.digit(),
                                      layers: [.init(name: "conv2", values: Synthetic.activations(size: 11, channels: 64))])
        func milliseconds(_ body: () throws -> Void) rethrows -> Double {
            try body()
            let start = Date()
            for _ in 0..<5 { try body() }
            return Date().timeIntervalSince(start) * 200
        }
        let draw = try milliseconds { _ = try grid.raster() }
        let png = try milliseconds { _ = try grid.pngData() }
        print(String(format: "benchmark: 64-channel 11×11 feature-map grid at 1200 px: drawn in %.1f ms, "
                     + "drawn + PNG-encoded in %.1f ms", draw, png))
        XCTAssertLessThan(draw, 1000, "far slower than the 100 ms target")
    }
}
