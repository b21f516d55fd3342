import XCTest
@testable import Render

final class TopKStripTests: XCTestCase {
    private let sentence = "The cat sat on the mat."

    func testTopFiveOverAShortSentenceMatchesGolden() throws {
        let strip = try TopKStrip(title: "What the model expects next", tokens: sentence.map(String.init),
                                  candidates: Synthetic.topFive(sentence))
        try Golden.assertMatches(strip, named: "top-k-sentence")
    }

    func testAFortyCharacterSentenceMatchesGolden() throws {
        var candidates = Synthetic.topFive(Synthetic.sentence)
        candidates[9][2].probability = .nan
        let strip = try TopKStrip(title: "Forty characters", tokens: Synthetic.sentence.map(String.init), candidates: candidates,
                                  nextAfterLast: "\n")
        try Golden.assertMatches(strip, named: "top-k-forty")
    }
}

extension TopKStripTests {
    private func column(_ pairs: [(String, Float)]) -> [TopKStrip.Candidate] {
        pairs.map { TopKStrip.Candidate(token: $0.0, probability: $0.1) }
    }

    func testCandidatesAreDrawnInDecreasingProbabilityWithNaNLast() throws {
        let strip = try TopKStrip(title: "t", tokens: ["a"],
                                  candidates: [column([("x", 0.1), ("y", .nan), ("z", 0.5), ("w", 0.1), ("v", 0.2)])])
        XCTAssertEqual(strip.candidates[0].map(\.token), ["z", "v", "x", "w", "y"], "ties keep their given order")
    }

    /// The actual next token at t is the sentence's token t + 1, and after the last one
    /// `nextAfterLast`; its rank is where it stands among the guesses, nil when missed.
    func testTheActualNextTokenIsFoundAmongTheGuesses() throws {
        let strip = try TopKStrip(title: "t", tokens: ["a", "b", "c", "d"], candidates: [
            column([("b", 0.7), ("c", 0.2)]),
            column([("a", 0.5), ("c", 0.3)]),
            column([("x", 0.6), ("y", 0.3)]),
            column([("e", 0.4), (" ", 0.4)]),
        ], nextAfterLast: " ")
        XCTAssertEqual((0..<4).map { strip.actualNext(at: $0) }, ["b", "c", "d", " "])
        XCTAssertEqual((0..<4).map { strip.rankOfActualNext(at: $0) }, [0, 1, nil, 1])
        let open = try TopKStrip(title: "t", tokens: ["a"], candidates: [column([("b", 0.7)])])
        XCTAssertNil(open.actualNext(at: 0))
        XCTAssertNil(open.rankOfActualNext(at: 0))
    }

    /// A miss is written in the mistake colour under its column; with no miss that colour
    /// appears nowhere.
    func testAMissIsMarkedInTheMistakeColour() throws {
        let tokens = ["a", "b", "c"]
        let hit = try TopKStrip(title: "t", tokens: tokens, candidates: [column([("b", 0.9)]), column([("c", 0.9)]), column([("d", 0.9)])])
        let miss = try TopKStrip(title: "t", tokens: tokens, candidates: [column([("b", 0.9)]), column([("x", 0.9)]), column([("d", 0.9)])])
        let vermillion: UInt32 = 0xFFD5_5E00
        XCTAssertFalse(try Pixels.render(hit).pixels.contains(vermillion))
        XCTAssertTrue(try Pixels.render(miss).pixels.contains(vermillion))
    }

    /// Every column has room for its probabilities at the theme's small size (7 pt in
    /// print): at 800 pt a strip holds 17 such columns, so 23 characters wrap into two
    /// strips of 12, 40 into three of 14 and 30 into two of 15; word tokens widen columns.
    func testColumnsFitTheWidthAndWrapIntoStrips() throws {
        func strip(_ text: String) throws -> TopKStrip {
            try TopKStrip(title: "t", tokens: text.map(String.init), candidates: Synthetic.topFive(text))
        }
        let theme = Theme.standard
        let short = try strip(sentence).layout(width: 800, theme: theme)
        XCTAssertEqual(short.columnsPerStrip, 12)
        XCTAssertLessThanOrEqual(short.columnWidth, 44)

        let forty = try strip(Synthetic.sentence).layout(width: 800, theme: theme)
        XCTAssertEqual(forty.columnsPerStrip, 14)
        XCTAssertGreaterThanOrEqual(forty.columnWidth - TopKStrip.Layout.gap,
                                    theme.monospaceWidth("0.00", size: theme.minimumTextSize) + 3)

        let thirty = try strip(String(Synthetic.sentence.prefix(30))).layout(width: 800, theme: theme)
        XCTAssertEqual(thirty.columnsPerStrip, 15)
        XCTAssertGreaterThanOrEqual(thirty.columnWidth - TopKStrip.Layout.gap, theme.monospaceWidth("x", size: thirty.fontSize))

        let narrow = try strip(Synthetic.sentence).layout(width: 400, theme: theme)
        XCTAssertLessThan(narrow.columnsPerStrip, 14)

        let words = try TopKStrip(title: "t", tokens: ["the", "cat", "sat"],
                                  candidates: Array(repeating: column([("quickly", 0.5), ("on", 0.2)]), count: 3))
        let wide = words.layout(width: 800, theme: theme)
        XCTAssertGreaterThanOrEqual(wide.columnWidth - TopKStrip.Layout.gap, theme.monospaceWidth("quickly", size: wide.fontSize))
    }

    func testBadInputThrowsNamingTheFigure() {
        func error(_ build: () throws -> TopKStrip) -> RenderError? {
            do { _ = try build(); return nil } catch { return error as? RenderError }
        }
        let figure = "top-k strip 'k'"
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: [], candidates: []) }, .emptyData(figure: figure, what: "the sentence"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a", "b"], candidates: [column([("b", 0.5)])]) },
                       .countMismatch(figure: figure, what: "candidate lists (one per token)", expected: 2, got: 1))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [[]]) },
                       .emptyData(figure: figure, what: "the candidates at position 0"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("b", 1.5)])]) },
                       .badValue(figure: figure, what: "the probability of 'b' at position 0", value: "1.50",
                                 expected: "a probability in [0, 1]"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("b", -0.1)])]) },
                       .badValue(figure: figure, what: "the probability of 'b' at position 0", value: "−0.100",
                                 expected: "a probability in [0, 1]"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("b", 0.7), ("c", 0.6)])]) },
                       .badValue(figure: figure, what: "the sum of probabilities at position 0", value: "1.30",
                                 expected: "at most 1 (the top k of one softmax)"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("b", 0.3), ("b", 0.2)])]) },
                       .badValue(figure: figure, what: "candidate 'b' at position 0", value: "listed twice", expected: "distinct candidates"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("", 0.3)])]) },
                       .badValue(figure: figure, what: "a candidate at position 0", value: "empty", expected: "at least one character"))
        XCTAssertEqual(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("b", .nan)])]) },
                       .noFiniteValues(figure: figure, what: "the probabilities"))
        XCTAssertNil(error { try TopKStrip(title: "k", tokens: ["a"], candidates: [column([("b", 0.6), ("c", 0.4004)])]) },
                     "float rounding in a softmax that sums to 1 is accepted")
    }
}

extension TopKStripTests {
    /// The example in TopKStrip's doc comment, as written there.
    func testTheDocumentedExampleBuildsAndDraws() throws {
        // After "t" the model guessed "h" (0.62), "o" (0.11), …; after "h", "e" (0.80), …
        let strip = try TopKStrip(
            title: "What the model expects next", tokens: ["t", "h", "e"],
            candidates: [[.init(token: "h", probability: 0.62), .init(token: "o", probability: 0.11)],
                         [.init(token: "e", probability: 0.80), .init(token: "a", probability: 0.09)],
                         [.init(token: " ", probability: 0.55), .init(token: "r", probability: 0.12)]],
            nextAfterLast: " ")
        XCTAssertEqual((0..<3).map { strip.rankOfActualNext(at: $0) }, [0, 0, 0])
        XCTAssertGreaterThan(Pixels.inkedFraction(try strip.raster()), 0.01)
    }
}
