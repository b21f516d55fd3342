import XCTest
import Render

final class FilterGridTests: XCTestCase {
    func testFirstLayerFiltersMatchGolden() throws {
        let grid = try FilterGrid(title: "conv1 filters", weights: Synthetic.kernels(outputs: 8))
        try Golden.assertMatches(grid, named: "filter-grid-first-layer")
    }

    func testDeeperLayerShowsPerInputChannelTilesGolden() throws {
        let grid = try FilterGrid(title: "conv2 filters", weights: Synthetic.kernels(size: 3, inputs: 12, outputs: 6),
                                  maxInputs: 8)
        try Golden.assertMatches(grid, named: "filter-grid-deeper-layer")
    }

    func testBeforeAfterPairMatchesGolden() throws {
        let pair = try FilterComparison(title: "conv1: what training changed",
                                        before: Synthetic.kernels(outputs: 8, gain: 0.3),
                                        after: Synthetic.kernels(outputs: 8, gain: 1.2))
        try Golden.assertMatches(pair, named: "filter-grid-before-after")
    }

    func testColorbarRangeIsSymmetricMaxOfAllWeights() throws {
        var w = Synthetic.kernels(outputs: 4)
        var values = w.values
        values[3] = -2.5
        w = try FloatArray(shape: w.shape, values: values)
        let grid = try FilterGrid(title: "t", weights: w)
        XCTAssertEqual(grid.colorScale.upper, 2.5)
        XCTAssertEqual(grid.colorScale.lower, -2.5)
        let pair = try FilterComparison(title: "t", before: w, after: Synthetic.kernels(outputs: 4, gain: 9))
        XCTAssertEqual(pair.colorScale.upper, Double(Synthetic.kernels(outputs: 4, gain: 9).values.map(abs).max()!))
    }

    func testZeroWeightsCentreTheScaleAndStillDraw() throws {
        let zeros = try FloatArray(shape: [3, 3, 1, 2], values: Array(repeating: 0, count: 18))
        let grid = try FilterGrid(title: "untrained", weights: zeros)
        XCTAssertEqual(grid.colorScale.upper, 1)
        XCTAssertGreaterThan(Pixels.distinctColors(try Pixels.render(grid)), 10)
    }

    func testBadWeightsThrowInsteadOfDrawing() {
        XCTAssertThrowsError(try FilterGrid(title: "dense", weights: FloatArray(shape: [4, 3], values: Array(repeating: 1, count: 12))))
        XCTAssertThrowsError(try FilterGrid(title: "empty", weights: FloatArray(shape: [3, 3, 1, 0], values: [])))
        let nan = try! FloatArray(shape: [1, 1, 1, 2], values: [.nan, .nan])
        XCTAssertThrowsError(try FilterGrid(title: "nan", weights: nan)) { error in
            XCTAssertEqual(error as? RenderError, .noFiniteValues(figure: "filter grid 'nan'", what: "weights"))
        }
        XCTAssertThrowsError(try FilterComparison(title: "x", before: Synthetic.kernels(outputs: 2),
                                                  after: Synthetic.kernels(outputs: 3)))
    }
}
