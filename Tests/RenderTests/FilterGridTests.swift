import XCTest
@testable import Render

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

    /// A first layer on colour pictures: one RGB tile per filter and a colorbar per channel.
    func testColourFirstLayerDrawsEachFilterInColourGolden() throws {
        let grid = try FilterGrid(title: "conv1 filters", weights: Synthetic.kernels(size: 3, inputs: 3, outputs: 8),
                                  colourInput: true)
        XCTAssertEqual(grid.shownInputs, 3)
        try Golden.assertMatches(grid, named: "filter-grid-colour-first-layer")
    }

    /// Channel c of a tile's pixel is ½ + ½ · w_c / m: equal weights in R, G and B are grey
    /// (lighter above 0, darker below), a weight in one channel only tints towards it.
    func testColourTilesMapEachChannelsWeightToItsColour() throws {
        // [1, 2, 3, 2]: filter 0 weighs R, G and B alike, +1 at pixel 0 and −1 at pixel 1; filter 1 weighs only R.
        var values = [Float](repeating: 0, count: 12)
        for pixel in 0..<2 { for c in 0..<3 {
            let sign: Float = pixel == 0 ? 1 : -1
            values[(pixel * 3 + c) * 2] = sign
            values[(pixel * 3 + c) * 2 + 1] = c == 0 ? sign : 0
        } }
        let w = try FloatArray(shape: [1, 2, 3, 2], values: values)
        let grid = try FilterGrid(title: "t", weights: w, colourInput: true)
        let grey = grid.colourKernel(output: 0), red = grid.colourKernel(output: 1)
        XCTAssertEqual([grey[0].red, grey[0].green, grey[0].blue], [1, 1, 1])
        XCTAssertEqual([grey[1].red, grey[1].green, grey[1].blue], [0, 0, 0])
        XCTAssertEqual([red[0].red, red[0].green, red[0].blue], [1, 0.5, 0.5])
        XCTAssertEqual([red[1].red, red[1].green, red[1].blue], [0, 0.5, 0.5])
        // Without colourInput the same weights are a row per filter and a column per channel.
        XCTAssertFalse(try FilterGrid(title: "t", weights: w).oneTilePerFilter)
    }

    /// A panel in a row of three small multiples is laid out 420 pt wide with its text
    /// enlarged by 420 / 250.7 (it is drawn at 250.7 pt): 32 filters fit as 4 rows of 8,
    /// each tile wide enough for the number under it, where a preferred tile size gave 8 of 4.
    func testThirtyTwoFiltersLayOutEightPerRowInAPanelOfThree() throws {
        let grid = try FilterGrid(title: "conv1", weights: Synthetic.kernels(size: 3, outputs: 32))
        let theme = Theme.standard.scalingText(by: 420 / ((800 - 2 * 14 - 2 * 10) / 3.0))
        let tiles = grid.grid(width: grid.contentWidth(420, theme), theme: theme)
        XCTAssertEqual(tiles.columns, 8)
        XCTAssertGreaterThanOrEqual(tiles.tileSize.width + FilterGrid.tileGap, 2 * 0.636 * theme.smallSize + 4)
        // Alone at 800 pt the same filters take two rows of 16.
        XCTAssertEqual(grid.grid(width: grid.contentWidth(800, .standard), theme: .standard).columns, 16)
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
