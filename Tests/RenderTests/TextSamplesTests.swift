import XCTest
@testable import Render

final class TextSamplesTests: XCTestCase {
    func testSamplesOverTrainingMatchGolden() throws {
        let figure = try TextSamples(title: "What the model writes as it trains",
                                     samples: Synthetic.samplesOverTraining.map { .init(label: $0.0, continuation: $0.1) },
                                     lineLength: 72, maxLines: 5)
        try Golden.assertMatches(figure, named: "text-samples-training")
    }

    func testOnePromptAtThreeTemperaturesMatchesGolden() throws {
        let prompt = "The meaning of life is"
        let figure = try TextSamples(title: "One prompt, three temperatures", subtitle: "low T repeats itself, high T invents words",
                                     samples: [
                                        .init(label: "T = 0.5", prompt: prompt,
                                              continuation: " the same as the meaning of the world, and the world is the same as the world."),
                                        .init(label: "T = 1", prompt: prompt,
                                              continuation: " not a question for the young, said the old man at the gate."),
                                        .init(label: "T = 1.5", prompt: prompt,
                                              continuation: " plinth-wards ov grey Ixtal; moorn sqa buttered\tthe qlick! Ym zephro-"
                                                + "kanst vel, ur hap-gnot trees whome fell onn qvistly dawn\nby Ogg's lantrenn"),
                                     ], maxLines: 2)
        try Golden.assertMatches(figure, named: "text-samples-prompt")
    }
}

extension TextSamplesTests {
    private var long: String { String(repeating: "all work and no play makes jack a dull boy. ", count: 10) }

    func testLongSamplesAreCutAtMaxLinesWithACountOfWhatIsHidden() throws {
        let figure = try TextSamples(title: "t", samples: [.init(label: "a", continuation: long), .init(label: "b", continuation: "short")],
                                     lineLength: 40, maxLines: 3)
        let layout = figure.layout(width: 800, theme: .standard)
        XCTAssertEqual(layout.grids[0].lines.count, 3)
        XCTAssertEqual(layout.grids[0].text.last?.last, "…")
        XCTAssertEqual(TextSamples.cutNote(layout.grids[0]), "+\(layout.grids[0].hiddenCharacters) chars")
        XCTAssertGreaterThan(layout.grids[0].hiddenCharacters, 300)
        XCTAssertEqual(layout.grids[1].text, ["short"])
        XCTAssertNil(TextSamples.cutNote(layout.grids[1]))
    }

    func testLinesWrapAtTheLineLengthOrTheWidth() throws {
        let capped = try TextSamples(title: "t", samples: [.init(label: "a", continuation: long)], lineLength: 40, maxLines: 100)
        XCTAssertTrue(capped.layout(width: 800, theme: .standard).grids[0].lines.allSatisfy { $0.count <= 41 })
        let free = try TextSamples(title: "t", samples: [.init(label: "a", continuation: long)], maxLines: 100)
        let wide = free.layout(width: 800, theme: .standard), narrow = free.layout(width: 400, theme: .standard)
        XCTAssertGreaterThan(wide.grids[0].columns, 80)
        XCTAssertLessThan(narrow.grids[0].columns, 50)
        XCTAssertLessThanOrEqual(narrow.labelWidth + Double(narrow.grids[0].columns + 1) * narrow.advance, 400 - 2 * Theme.standard.margin)
    }

    /// The prompt is bold in the first categorical colour; without a prompt that colour
    /// appears nowhere.
    func testThePromptIsSetApartFromTheContinuation() throws {
        let blue = Theme.standard.categoryColor(0)
        let argb = 0xFF00_0000 | UInt32(blue.red * 255) << 16 | UInt32(blue.green * 255) << 8 | UInt32(blue.blue * 255)
        let with = try TextSamples(title: "t", samples: [.init(label: "a", prompt: "Once upon", continuation: " a time")])
        let without = try TextSamples(title: "t", samples: [.init(label: "a", continuation: "Once upon a time")])
        XCTAssertTrue(try Pixels.render(with).pixels.contains(argb))
        XCTAssertFalse(try Pixels.render(without).pixels.contains(argb))
    }

    func testBadInputThrowsNamingTheFigure() {
        func error(_ build: () throws -> TextSamples) -> RenderError? {
            do { _ = try build(); return nil } catch { return error as? RenderError }
        }
        let figure = "text samples 's'"
        XCTAssertEqual(error { try TextSamples(title: "s", samples: []) }, .emptyData(figure: figure, what: "the list of samples"))
        XCTAssertEqual(error { try TextSamples(title: "s", samples: [.init(label: "step 0", continuation: "")]) },
                       .emptyData(figure: figure, what: "the text of sample 'step 0'"))
        XCTAssertEqual(error { try TextSamples(title: "s", samples: [.init(label: "a", continuation: "x")], maxLines: 0) },
                       .invalidSize(what: "\(figure): lines per sample", value: 0))
        XCTAssertEqual(error { try TextSamples(title: "s", samples: [.init(label: "a", continuation: "x")], lineLength: 0) },
                       .invalidSize(what: "\(figure): line length", value: 0))
        XCTAssertNil(error { try TextSamples(title: "s", samples: [.init(label: "a", prompt: "only a prompt", continuation: "")]) })
    }
}
