import Foundation
import SnapshotTesting
import XCTest
@testable import Lessons
@testable import Render

/// The `tokenizers` lesson: the same small transformer on characters, words and BPE
/// tokens of the WordNet glosses, compared in bits per character.
final class TokenizersLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("tokenizers", epochs: 1) } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    private func context(_ run: LessonQuickRun, _ plot: PlotName) throws -> FigureContext {
        let traces = try run.traces.map { (name: $0.name == "main" ? "character" : $0.name,
                                           figures: try TraceFigures(traceFolder: $0.folder)) }
        return FigureContext(main: traces[0].figures, baseline: traces[0].name, variants: Array(traces.dropFirst()),
                             spec: FigureSpec(plot: plot, caption: "", options: [:]))
    }

    func testQuickRunTrainsThreeTokenizersDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name), ["word", "bpe"])
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-bpe-merges.png", "figures/02-tokenizer-lengths.png", "figures/03-unknown-words.png",
            "figures/04-token-split.png", "figures/05-compare-val_loss.png", "figures/06-bits-per-character.png",
        ])
        assertSnapshot(of: try run.traceText(), as: .lines, named: "tokenizers")
    }

    /// Each run keeps its vocabulary (the BPE run its 400 merges, in order) and the
    /// validation statistics that bits per character need.
    func testRunsKeepTheirTokenizerAndTheValidationLengths() throws {
        let run = try quickRun()
        let c = try context(run, .bitsPerCharacter)
        let runs = try TokenizerFigures.textRuns(c)
        XCTAssertEqual(runs.map(\.vocabulary.kind), [.character, .word, .bpe])
        XCTAssertEqual(runs[2].vocabulary.merges.count, 400)
        XCTAssertEqual(runs[1].vocabulary.count, 2000)
        let perCharacter = runs.map(\.statistics.tokensPerCharacter)
        XCTAssertEqual(perCharacter[0], 1, accuracy: 1e-9)
        XCTAssertLessThan(perCharacter[2], perCharacter[0])
        XCTAssertLessThan(perCharacter[1], perCharacter[2])
        // The merges the figures show are the run's: one training text, one tie rule.
        let study = try TokenizerFigures.study(c)
        XCTAssertEqual(Array(study.bpe.merges.prefix(400)), runs[2].vocabulary.merges)
        // Bits per character: the loss per token in bits times tokens per character.
        let chart = try XCTUnwrap(try TokenizerFigures.bitsPerCharacter(c) as? LineChart)
        let loss = try XCTUnwrap(runs[2].figures.reader.manifest.epochs.last?.metrics["val_loss"])
        XCTAssertEqual(try XCTUnwrap(chart.series[2].y.last), Double(loss) / log(2) * perCharacter[2], accuracy: 1e-6)
    }

    func testUnknownWordsFallAsTheWordVocabularyGrowsAndBPEHasNone() throws {
        let run = try quickRun()
        let chart = try XCTUnwrap(try TokenizerFigures.unknownWords(try context(run, .unknownWords)) as? LineChart)
        let words = chart.series[0].y
        XCTAssertEqual(words, words.sorted(by: >))
        XCTAssertGreaterThan(words[0], 40)
        XCTAssertEqual(chart.series[1].y.max()!, 0, accuracy: 0.5)
    }
}
