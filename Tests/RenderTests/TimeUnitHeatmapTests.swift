import XCTest
@testable import Render

final class TimeUnitHeatmapTests: XCTestCase {
    private let tokens = Synthetic.sentence.map(String.init)

    func testForgetGateOverASentenceMatchesGolden() throws {
        let map = try TimeUnitHeatmap(title: "Forget gate while reading a sentence",
                                      subtitle: "LSTM layer 1, 128 units; dark: the cell forgets",
                                      tokens: tokens, values: Synthetic.forgetGates(), range: .unitInterval,
                                      valueLabel: "forget gate")
        XCTAssertEqual(map.colorScale.lower, 0)
        XCTAssertEqual(map.colorScale.upper, 1)
        try Golden.assertMatches(map, named: "time-unit-forget-gate")
    }

    func testThreeNamedCellsOnASharedSignedScaleMatchGolden() throws {
        var values = Synthetic.cellStates().values
        values[5 * 64 + 42] = .nan
        let map = try TimeUnitHeatmap(title: "Three cells of the LSTM", tokens: tokens,
                                      values: FloatArray(shape: [40, 64], values: values), range: .symmetric(limit: 3),
                                      valueLabel: "cell state", units: [3, 17, 42],
                                      unitLabels: ["cell 3", "cell 17: inside quotes", "cell 42"], yLabel: "")
        XCTAssertEqual(map.colorScale.lower, -3)
        XCTAssertEqual(map.colorScale.upper, 3)
        try Golden.assertMatches(map, named: "time-unit-named-cells")
    }

    func testLongSequenceMatchesGolden() throws {
        let text = String(repeating: "the \"quick\" brown fox\njumps over it. ", count: 4).prefix(120)
        let map = try TimeUnitHeatmap(title: "Hidden state over 120 characters", tokens: text.map(String.init),
                                      values: Synthetic.cellStates(String(text), units: 32), range: .symmetric(),
                                      valueLabel: "hidden state")
        try Golden.assertMatches(map, named: "time-unit-long")
    }
}

extension TimeUnitHeatmapTests {
    func testWhitespaceTokensAreLabelledVisibly() throws {
        let map = try TimeUnitHeatmap(title: "t", tokens: ["a", " ", "\n", "\t", "\u{7}", "b c"],
                                      values: FloatArray(shape: [6, 1], values: [0, 0.2, 0.4, 0.6, 0.8, 1]), valueLabel: "v")
        XCTAssertEqual(map.tokenLabels, ["a", "␣", "⏎", "⇥", "�", "b␣c"])
    }

    /// 40 characters fit at label size; 80 shrink to fit their columns; 120 reach the
    /// floor (7 pt in print) and thin to every 2nd, 5th… character, never turned.
    func testTokenLabelsShrinkThenThinButCharactersNeverTurn() throws {
        func map(_ steps: Int) throws -> TimeUnitHeatmap {
            try TimeUnitHeatmap(title: "t", tokens: Array(repeating: "x", count: steps),
                                values: FloatArray(shape: [steps, 4], values: Array(repeating: 0.5, count: steps * 4)),
                                valueLabel: "v")
        }
        let theme = Theme.standard
        let short = try map(40).layout(width: 800, theme: theme)
        XCTAssertEqual(short.tokenSize, theme.labelSize)
        XCTAssertEqual(short.tokenLabels.stride, 1)

        let long = try map(80).layout(width: 800, theme: theme)
        XCTAssertLessThan(long.tokenSize, theme.labelSize)
        XCTAssertGreaterThanOrEqual(long.tokenSize, theme.minimumTextSize)
        XCTAssertEqual(long.tokenLabels, .init(vertical: false, stride: 1, room: long.tokenSize * 1.5 + 4))
        XCTAssertLessThanOrEqual(theme.monospaceWidth("x", size: long.tokenSize), long.cell.width * 0.95 + 1e-9)

        let narrow = try map(120).layout(width: 400, theme: theme)
        XCTAssertEqual(narrow.tokenSize, theme.minimumTextSize)
        XCTAssertFalse(narrow.tokenLabels.vertical)
        XCTAssertGreaterThan(narrow.tokenLabels.stride, 1)
        let gap = Double(narrow.tokenLabels.stride) * narrow.cell.width
        XCTAssertGreaterThanOrEqual(gap * 0.95, theme.monospaceWidth("x", size: narrow.tokenSize), "thinned labels do not overlap")
    }

    func testWordTokensTurnVerticalWhenTheyDoNotFit() throws {
        let words = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
        let tokens = Array((0..<6).map { _ in words }.joined())
        let map = try TimeUnitHeatmap(title: "t", tokens: tokens,
                                      values: FloatArray(shape: [tokens.count, 2], values: Array(repeating: 0.5, count: tokens.count * 2)),
                                      valueLabel: "v")
        let layout = map.layout(width: 800, theme: .standard)
        XCTAssertTrue(layout.tokenLabels.vertical)
        XCTAssertEqual(layout.tokenLabels.room, Theme.standard.monospaceWidth("quick", size: layout.tokenSize) + 6, accuracy: 1e-9)
    }

    /// 128 units share about 460 pt (3.6 pt each) and are labelled every 5th; three units
    /// get 22-pt rows, each labelled.
    func testUnitRowsShrinkAndTheirLabelsThin() throws {
        let many = try TimeUnitHeatmap(title: "t", tokens: Synthetic.sentence.map(String.init), values: Synthetic.forgetGates(),
                                       range: .unitInterval, valueLabel: "f")
        XCTAssertEqual(many.layout(width: 800, theme: .standard).cell.height, 460.0 / 128, accuracy: 1e-9)
        XCTAssertEqual(MatrixPanel.labelStride(cell: 460.0 / 128, extent: Theme.standard.tickSize * 1.2), 5)
        let few = try TimeUnitHeatmap(title: "t", tokens: Synthetic.sentence.map(String.init), values: Synthetic.forgetGates(),
                                      range: .unitInterval, valueLabel: "f", units: [3, 17, 42])
        XCTAssertEqual(few.layout(width: 800, theme: .standard).cell.height, 22)
        XCTAssertEqual(few.unitLabels, ["3", "17", "42"])
        XCTAssertEqual(MatrixPanel.labelStride(cell: 22, extent: Theme.standard.tickSize * 1.2), 1)
    }

    func testLabelStrideIsTheSmallestOneTwoFiveStepThatLeavesRoom() {
        XCTAssertEqual(MatrixPanel.labelStride(cell: 20, extent: 12), 1)
        XCTAssertEqual(MatrixPanel.labelStride(cell: 10, extent: 12), 2)
        XCTAssertEqual(MatrixPanel.labelStride(cell: 4, extent: 12), 5)
        XCTAssertEqual(MatrixPanel.labelStride(cell: 1, extent: 12), 20)
        XCTAssertEqual(MatrixPanel.labelStride(cell: 0.1, extent: 12), 200)
        XCTAssertEqual(MatrixPanel.labelStride(cell: 0, extent: 12), 1, "degenerate input does not loop")
    }

    /// Habit 3: panels given one limit share one scale; `.symmetric()` alone takes the
    /// largest magnitude among the units shown, not among all units.
    func testSharedAndOwnSignedRanges() throws {
        let tokens = Synthetic.sentence.map(String.init), states = Synthetic.cellStates()
        let a = try TimeUnitHeatmap(title: "a", tokens: tokens, values: states, range: .symmetric(limit: 3), valueLabel: "c", units: [3])
        let b = try TimeUnitHeatmap(title: "b", tokens: tokens, values: states, range: .symmetric(limit: 3), valueLabel: "c", units: [17])
        XCTAssertEqual(a.colorScale.lower, b.colorScale.lower)
        XCTAssertEqual(a.colorScale.upper, b.colorScale.upper)
        let own = try TimeUnitHeatmap(title: "c", tokens: tokens, values: states, range: .symmetric(), valueLabel: "c", units: [17])
        XCTAssertEqual(own.colorScale.upper, 2.4, accuracy: 1e-6)
        XCTAssertEqual(own.colorScale.lower, -own.colorScale.upper)
    }

    func testNaNCellsAreDrawnInTheMissingColour() throws {
        var values = Synthetic.cellStates().values
        let tokens = Synthetic.sentence.map(String.init)
        let clean = try TimeUnitHeatmap(title: "t", tokens: tokens, values: Synthetic.cellStates(), range: .symmetric(), valueLabel: "c")
        values[7 * 64 + 5] = .nan
        let holed = try TimeUnitHeatmap(title: "t", tokens: tokens, values: FloatArray(shape: [40, 64], values: values),
                                        range: .symmetric(), valueLabel: "c")
        let magenta: UInt32 = 0xFFFF_00FF
        XCTAssertFalse(try Pixels.render(clean).pixels.contains(magenta))
        XCTAssertTrue(try Pixels.render(holed).pixels.contains(magenta))
    }

    func testBadInputThrowsNamingTheFigure() throws {
        let tokens = Synthetic.sentence.map(String.init), gates = Synthetic.forgetGates()
        func error(_ build: () throws -> TimeUnitHeatmap) -> RenderError? {
            do { _ = try build(); return nil } catch { return error as? RenderError }
        }
        XCTAssertEqual(error { try TimeUnitHeatmap(title: "f", tokens: Array(tokens.dropLast()), values: gates, valueLabel: "v") },
                       .countMismatch(figure: "time × unit heatmap 'f'", what: "tokens (one per step)", expected: 40, got: 39))
        XCTAssertEqual(error { try TimeUnitHeatmap(title: "f", tokens: [], values: FloatArray(shape: [0, 3], values: []), valueLabel: "v") },
                       .badShape(figure: "time × unit heatmap 'f'", what: "values", shape: [0, 3], expected: "[steps, units], both > 0"))
        XCTAssertEqual(error { try TimeUnitHeatmap(title: "f", tokens: tokens, values: gates, valueLabel: "v", units: [3, 128]) },
                       .badValue(figure: "time × unit heatmap 'f'", what: "unit index", value: "128", expected: "an index in 0..<128"))
        XCTAssertEqual(error { try TimeUnitHeatmap(title: "f", tokens: tokens, values: gates, valueLabel: "v", units: []) },
                       .emptyData(figure: "time × unit heatmap 'f'", what: "the list of units to show"))
        XCTAssertEqual(error { try TimeUnitHeatmap(title: "f", tokens: tokens, values: gates, valueLabel: "v", units: [1, 2],
                                                   unitLabels: ["one"]) },
                       .countMismatch(figure: "time × unit heatmap 'f'", what: "unit labels", expected: 2, got: 1))
        let nan = try FloatArray(shape: [2, 1], values: [.nan, .nan])
        XCTAssertEqual(error { try TimeUnitHeatmap(title: "f", tokens: ["a", "b"], values: nan, valueLabel: "v") },
                       .noFiniteValues(figure: "time × unit heatmap 'f'", what: "values of the units shown"))
        // A gate above 1 is a mistake upstream (logits passed for sigmoid outputs), not something to clamp.
        guard case .badValue(_, _, let value, _)? = error({
            try TimeUnitHeatmap(title: "f", tokens: tokens, values: Synthetic.cellStates(), range: .unitInterval, valueLabel: "v")
        }) else { return XCTFail("a signed state on the [0, 1] range must throw") }
        XCTAssertEqual(value, "−1.60", "the lowest value is named")
    }
}
