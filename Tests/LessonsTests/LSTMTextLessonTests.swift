import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The `lstm-text` lesson: a character LSTM (and a GRU of its size) on the WordNet
/// glosses. The trace keeps what the figures read (probe tokens, vocabulary, states,
/// held-out text); generation is deterministic; the cell-feature statistics are right.
final class LSTMTextLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("lstm-text") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testQuickRunTrainsBothCellsDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.dataset, "text")
        XCTAssertEqual(run.summary.variants.map(\.name), ["gru"])
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-next-token.png", "figures/02-curves.png", "figures/03-perplexity.png",
            "figures/04-gates.png", "figures/05-cell-features.png", "figures/06-text-samples.png",
            "figures/07-temperatures.png",
        ])
        // One quick epoch already beats a uniform guess over the 84 tokens (ln 84 = 4.43).
        XCTAssertLessThan(try XCTUnwrap(run.summary.testLoss), log(84))
        assertSnapshot(of: try run.traceText(), as: .lines, named: "lstm-text")
    }

    /// The gates series prints as small multiples in the handout: the three gates after
    /// training, then the cell state at three evenly spaced steps, the trained one last.
    func testGatesStillShowsTheTrainedGatesAndTheCellStateOverTraining() throws {
        let run = try quickRun()
        let traces = try run.traces.map { (name: $0.name == "main" ? "lstm" : $0.name, figures: try TraceFigures(traceFolder: $0.folder)) }
        let c = FigureContext(main: traces[0].figures, baseline: traces[0].name, variants: Array(traces.dropFirst()),
                              spec: FigureSpec(plot: .gates, caption: "", options: [:]))
        let gates = try RecurrentStateFigures.gates(c)
        XCTAssertGreaterThan(gates.frames.count, 1)
        let still = try XCTUnwrap(gates.figure as? SmallMultiples)
        let titles = still.panels.compactMap { ($0 as? TimeUnitHeatmap)?.title }
        let states = min(3, gates.frames.count)
        XCTAssertEqual(titles.count, 3 + states)
        XCTAssertEqual(Array(titles.prefix(3)), ["input gate i, trained", "forget gate f, trained", "output gate o, trained"])
        // Every character labels its column: the line is cut rather than labelled every other character.
        let map = try XCTUnwrap(still.panels.first as? TimeUnitHeatmap)
        XCTAssertEqual(map.tokenLabelStride(width: still.panelDesignWidth, theme: still.panelTheme(forWidth: 800)), 1)
        XCTAssertEqual(titles[3], "cell state, \(gates.frames[0].label)", "the first frame's state comes first")
        XCTAssertEqual(titles.last, "cell state, trained (\(gates.frames.last!.label))")
    }

    func testTraceKeepsProbeTokensVocabularyStatesAndHeldOutText() throws {
        let run = try quickRun()
        let trace = run.runFolder.appendingPathComponent("trace")
        let vocabulary = try Vocabulary.read(from: trace)
        XCTAssertEqual(vocabulary.count, 84)
        let reader = try TraceReader(directory: trace)
        let step = try XCTUnwrap(reader.tensors().filter { $0.kind == .state }.map(\.step).max())
        let probe = try reader.tensor("input", kind: .input, step: step)
        XCTAssertEqual(probe.shape, [4, 64])
        for gate in ["input_gate", "forget_gate", "output_gate", "cell", "hidden"] {
            XCTAssertEqual(try reader.tensor("lstm1.\(gate)", kind: .state, step: step).shape, [4, 64, 128], gate)
        }
        XCTAssertEqual(try reader.tensor("lstm1.input", kind: .gradient, step: step).shape, [4, 64, 32], "dL/dx_t")
        let sample = try XCTUnwrap(try TextSampleRecord.read(fromTrace: trace))
        XCTAssertEqual(sample.ids.count, LessonRunner.heldOutSampleLength)
        // The probe sequences start a gloss: the token before each is a line break in the held-out text.
        let first = probe.scalars.prefix(64).map(Int.init)
        let start = try XCTUnwrap((1..<(sample.ids.count - 64)).first { Array(sample.ids[$0..<($0 + 64)]) == first })
        XCTAssertEqual(vocabulary.token(of: sample.ids[start - 1]), "\n")
    }

    func testGeneratedTextIsDeterministicPerSeedAndStaysInTheVocabulary() throws {
        let run = try quickRun()
        let writer = try TextGenerator(runFolder: run.runFolder)
        let a = try writer.generate(prompt: "a ", length: 60, temperature: 1, seed: 3)
        XCTAssertEqual(a, try writer.generate(prompt: "a ", length: 60, temperature: 1, seed: 3))
        XCTAssertNotEqual(a, try writer.generate(prompt: "a ", length: 60, temperature: 1, seed: 4))
        XCTAssertEqual(a.count, 60)
        XCTAssertTrue(a.allSatisfy { writer.vocabulary.tokens.contains(String($0)) })
        // Top-1 sampling is the argmax at every step, whatever the seed.
        XCTAssertEqual(try writer.generate(prompt: "a ", length: 30, topK: 1, seed: 1),
                       try writer.generate(prompt: "a ", length: 30, topK: 1, seed: 9))
        XCTAssertThrowsError(try writer.generate(prompt: "ü", length: 5)) { error in
            XCTAssert("\(error)".contains("'ü'"), "\(error)")
        }
    }

    func testSamplingFollowsTemperatureAndTopK() {
        let p = TextGenerator.softmax([2, 1, 0, 0], temperature: 1)
        let sharp = TextGenerator.softmax([2, 1, 0, 0], temperature: 0.5)
        XCTAssertGreaterThan(sharp[0], p[0], "T < 1 sharpens")
        XCTAssertEqual(Double(p.reduce(0, +)), 1, accuracy: 1e-6)
        // Ids 0 and 1 (<pad>, <unk>) are never drawn; top-2 keeps ids 2 and 3 only.
        let q: [Float] = [0.5, 0.3, 0.15, 0.05]
        XCTAssertEqual(TextGenerator.sample(q, topK: nil, uniform: 0), 2)
        XCTAssertEqual(TextGenerator.sample(q, topK: 2, uniform: 0.99), 3)
        XCTAssertEqual(TextGenerator.sample(q, topK: 1, uniform: 0.99), 2)
    }

    func testCellFeaturesAreComputedFromTheText() {
        let text = "a \"b c\" d\nxy".map(String.init)
        let values = Dictionary(uniqueKeysWithValues: CellFeatures.features.map { ($0.name, $0.values(text)) })
        XCTAssertEqual(values["inside quotes"], [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(values["position in the line"], [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2])
        XCTAssertEqual(values["inside a word"], [1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1])
        // A unit equal to the feature has r = 1; its negation −1; a constant 0.
        let feature: [Float] = [0, 1, 1, 0, 1]
        let states = feature.map { [$0, -2 * $0 + 1, 5] }
        let r = CellFeatures.correlations(states, feature)
        XCTAssertEqual(r[0], 1, accuracy: 1e-9)
        XCTAssertEqual(r[1], -1, accuracy: 1e-9)
        XCTAssertEqual(r[2], 0)
    }
}
