import XCTest
@testable import Render

final class ColoredTextTests: XCTestCase {
    private let text = Synthetic.paragraph

    func testTwoCellsOverAParagraphMatchGolden() throws {
        var lineCell = Synthetic.lineLengthCell(text)
        lineCell[20] = .nan
        let figure = try ColoredText(title: "Two cells of a character-level LSTM", text: text,
                                     rows: [.init(name: "cell 17: inside quotes", values: Synthetic.quoteCell(text)),
                                            .init(name: "cell 42: position in the line", values: lineCell)],
                                     range: .symmetric(limit: 1), valueLabel: "cell state (tanh)", lineLength: 60)
        try Golden.assertMatches(figure, named: "colored-text-cells")
    }

    /// Word-piece tokens with unsigned values (the probability the model gave each token):
    /// viridis on [0, 1], thin white lines between tokens.
    func testTokenProbabilitiesMatchGolden() throws {
        let tokens = ["The", " cat", " sat", " on", " the", " mat", ".", "\n", "It", " was", " a", " sunny", " after", "noon", "."]
        let probabilities: [Float] = [0.08, 0.02, 0.31, 0.62, 0.88, 0.12, 0.71, 0.45, 0.2, 0.55, 0.38, 0.04, 0.27, 0.97, 0.81]
        let figure = try ColoredText(title: "How likely the model found each token", tokens: tokens,
                                     rows: [.init(name: "p(token | text before it)", values: probabilities)],
                                     range: .unitInterval, valueLabel: "probability")
        try Golden.assertMatches(figure, named: "colored-text-tokens")
    }
}

extension ColoredTextTests {
    /// Dark cells (strong values on either side) take white text, pale cells ink.
    func testTextColourFollowsTheBackgroundsLuminance() throws {
        let figure = try ColoredText(title: "t", text: "abcd", rows: [.init(name: "r", values: [-1, -0.05, 0.05, 1])],
                                     range: .symmetric(), valueLabel: "v")
        let theme = Theme.standard
        let colors = (0..<4).map { figure.colors(row: 0, token: $0, theme: theme) }
        XCTAssertEqual(colors.map(\.text), [.white, theme.ink, theme.ink, .white])
        XCTAssertEqual(colors[0].background, theme.diverging.table[0])
        XCTAssertEqual(colors[3].background, theme.diverging.table[255])
        let missing = try ColoredText(title: "t", text: "ab", rows: [.init(name: "r", values: [.nan, 1])], valueLabel: "v")
        XCTAssertEqual(missing.colors(row: 0, token: 0, theme: theme).background, theme.missingValue)
    }

    /// Rows are compared, so they share one scale: a row of small values stays pale.
    func testRowsShareOneScale() throws {
        let figure = try ColoredText(title: "t", text: "ab", rows: [.init(name: "big", values: [-4, 4]),
                                                                    .init(name: "small", values: [-0.1, 0.1])], valueLabel: "v")
        XCTAssertEqual([figure.colorScale.lower, figure.colorScale.upper], [-4, 4])
        XCTAssertEqual(figure.colors(row: 1, token: 1, theme: .standard).text, Theme.standard.ink)
    }

    func testTheTextWrapsAtTheWidthOrTheLineLength() throws {
        let rows = [ColoredText.Row(name: "r", values: Synthetic.quoteCell(Synthetic.paragraph))]
        let free = try ColoredText(title: "t", text: Synthetic.paragraph, rows: rows, valueLabel: "v")
        let theme = Theme.standard
        let wide = free.layout(width: 800, theme: theme), narrow = free.layout(width: 400, theme: theme)
        XCTAssertGreaterThan(wide.grid.columns, 70)
        XCTAssertLessThan(narrow.grid.columns, 40)
        XCTAssertLessThanOrEqual(Double(narrow.grid.columns + 1) * narrow.cell.width,
                                 400 - 2 * theme.margin - 2 * theme.gap - Colorbar.width(theme: theme))
        let capped = try ColoredText(title: "t", text: Synthetic.paragraph, rows: rows, valueLabel: "v", lineLength: 30)
        XCTAssertEqual(capped.layout(width: 800, theme: theme).grid.columns, 30)
        XCTAssertTrue(capped.layout(width: 800, theme: theme).grid.lines.allSatisfy { $0.count <= 31 })
        XCTAssertGreaterThan(try capped.raster().height, try free.raster().height)
    }

    func testBadInputThrowsNamingTheFigure() {
        func error(_ build: () throws -> ColoredText) -> RenderError? {
            do { _ = try build(); return nil } catch { return error as? RenderError }
        }
        let figure = "coloured text 'q'"
        XCTAssertEqual(error { try ColoredText(title: "q", text: "", rows: [.init(name: "r", values: [])], valueLabel: "v") },
                       .emptyData(figure: figure, what: "the text"))
        XCTAssertEqual(error { try ColoredText(title: "q", text: "abc", rows: [], valueLabel: "v") },
                       .emptyData(figure: figure, what: "the list of rows"))
        XCTAssertEqual(error { try ColoredText(title: "q", text: "abc", rows: [.init(name: "r", values: [1, 2])], valueLabel: "v") },
                       .countMismatch(figure: figure, what: "values of row 'r'", expected: 3, got: 2))
        XCTAssertEqual(error { try ColoredText(title: "q", tokens: ["a", ""], rows: [.init(name: "r", values: [1, 2])], valueLabel: "v") },
                       .badValue(figure: figure, what: "token 1", value: "empty", expected: "at least one character"))
        XCTAssertEqual(error { try ColoredText(title: "q", text: "ab", rows: [.init(name: "r", values: [.nan, .nan])], valueLabel: "v") },
                       .noFiniteValues(figure: figure, what: "the rows' values"))
        XCTAssertEqual(error { try ColoredText(title: "q", text: "ab", rows: [.init(name: "r", values: [0, 1])], valueLabel: "v",
                                               lineLength: 1) },
                       .invalidSize(what: "\(figure): line length", value: 1))
        XCTAssertNotNil(error { try ColoredText(title: "q", text: "ab", rows: [.init(name: "r", values: [0, 2])],
                                                range: .unitInterval, valueLabel: "v") })
    }
}
