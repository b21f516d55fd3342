import XCTest
@testable import Render

/// Row and column labels of a matrix: every character of a short sequence keeps its label
/// (the attention walkthrough labelled every other query), and where labels must thin
/// out, the axis says so instead of dropping them silently (issue 20).
final class MatrixLabelTests: XCTestCase {
    let theme = Theme.standard

    func testShortTokenRowsGrowToKeepEveryLabel() {
        // The walkthrough's P·V panel: 8 query rows, 16 dimensions, 222 pt of cells across.
        let plain = Heatmap.cellsSize(rows: 8, columns: 16, width: 222)
        XCTAssertEqual(MatrixPanel.rowStride(theme, cellHeight: plain.height / 8), 2, "square cells: every other row")
        let labelled = Heatmap.cellsSize(rows: 8, columns: 16, width: 222, labelRowHeight: MatrixPanel.rowLabelHeight(theme))
        XCTAssertEqual(MatrixPanel.rowStride(theme, cellHeight: labelled.height / 8), 1)
        XCTAssertEqual(labelled.width, plain.width)
        // 64 rows would be taller than wide: they stay square and thin out.
        let long = Heatmap.cellsSize(rows: 64, columns: 64, width: 222, labelRowHeight: MatrixPanel.rowLabelHeight(theme))
        XCTAssertGreaterThan(MatrixPanel.rowStride(theme, cellHeight: long.height / 64), 1)
    }

    func testThinnedTokenLabelsAreNamedOnTheAxis() {
        XCTAssertEqual(MatrixPanel.axisLabel("query", stride: 1, labels: ["a", "b"]), "query")
        XCTAssertEqual(MatrixPanel.axisLabel("query", stride: 2, labels: ["a", "b"]), "query, every 2nd labelled")
        XCTAssertEqual(MatrixPanel.axisLabel("key", stride: 5, labels: ["a", "b"]), "key, every 5th labelled")
        // Numbered positions read as an axis's ticks: thinning them needs no note.
        XCTAssertEqual(MatrixPanel.axisLabel("dimension", stride: 2, labels: ["0", "1"]), "dimension")
    }

    func testAnAttentionMapsSubtitleSaysWhichTokensAreLabelled() throws {
        func map(_ tokens: Int) throws -> AttentionMap {
            let t = (0..<tokens).map { "t\($0 % 10)" }
            return try AttentionMap(title: "m", queryTokens: t, keyTokens: t, heads: [
                .init(name: "h", weights: try FloatArray(shape: [tokens, tokens], values: [Float](repeating: 1, count: tokens * tokens)))])
        }
        XCTAssertEqual(try map(8).subtitle(width: 800, theme: theme), "rows: query token, columns: key token")
        XCTAssertTrue(try map(64).subtitle(width: 800, theme: theme).contains("rows: query token, every"))
    }
}
