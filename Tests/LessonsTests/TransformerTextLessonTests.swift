import Foundation
import NeuralNet
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons
@testable import Render

/// The `transformer-text` lesson: a two-block decoder-only Transformer on the WordNet
/// glosses beside an LSTM of its size. The trace keeps every head's attention and the
/// step times; the figures read them; generation feeds a short prompt at the positions
/// the model trained on.
final class TransformerTextLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("transformer-text") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    private func context(_ run: LessonQuickRun, _ plot: PlotName, _ options: [String: [String]] = [:]) throws -> FigureContext {
        let traces = try run.traces.map { (name: $0.name == "main" ? "transformer" : $0.name,
                                           figures: try TraceFigures(traceFolder: $0.folder)) }
        return FigureContext(main: traces[0].figures, baseline: traces[0].name, variants: Array(traces.dropFirst()),
                             spec: FigureSpec(plot: plot, caption: "", options: options))
    }

    func testQuickRunTrainsBothModelsDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name), ["lstm"])
        XCTAssertEqual(run.summary.figures.filter(\.handout).map(\.file), [
            "figures/01-curves.png", "figures/02-text-samples.png", "figures/03-attention-entropy.png",
            "figures/04-attention-heads.png", "figures/05-positional-embeddings.png", "figures/06-loss-over-time.png",
            "figures/07-perplexity.png",
        ])
        let heads = try XCTUnwrap(run.summary.figures.first { $0.id == "attention-heads" })
        XCTAssertGreaterThan((heads.frames ?? []).count, 1, "earlier checkpoints as frames of one series")
        XCTAssertLessThan(try XCTUnwrap(run.summary.testLoss), log(84), "better than a uniform guess")
        assertSnapshot(of: try run.traceText(), as: .lines, named: "transformer-text")
    }

    func testModelHasTheBenchmarkShapeAndTheLSTMAboutItsParameterCount() throws {
        let run = try quickRun()
        let figures = try run.traces.map { try TraceFigures(traceFolder: $0.folder) }
        let counts = figures.map { $0.layers.flatMap(\.parameters).map { $0.shape.reduce(1, *) }.reduce(0, +) }
        XCTAssertEqual(counts[0], 115_028)
        XCTAssertEqual(Double(counts[1]) / Double(counts[0]), 1, accuracy: 0.05, "similar parameter counts")
        let reader = figures[0].reader
        let step = try XCTUnwrap(TransformerFigures.attentionLayers(figures[0]).first.map { figures[0].steps(holding: $0, kind: .attention) }?.last)
        XCTAssertEqual(TransformerFigures.attentionLayers(figures[0]), ["transformer1.attn", "transformer2.attn"])
        let p = try reader.tensor("transformer2.attn", kind: .attention, step: step)
        XCTAssertEqual(p.shape, [4, 4, 64, 64], "[probe, heads, query, key]")
        // Causal: nothing above the diagonal; every row sums to 1.
        for q in 0..<64 {
            let row = p.scalars[(q * 64)..<(q * 64 + 64)]
            XCTAssertEqual(row.dropFirst(q + 1).reduce(0, +), 0)
            XCTAssertEqual(Double(row.reduce(0, +)), 1, accuracy: 1e-4)
        }
        let time = try XCTUnwrap(try TrainingTimeRecord.read(fromTrace: run.traces[0].folder))
        XCTAssertEqual(time.seconds.count, run.summary.steps)
        XCTAssertEqual(time.seconds, time.seconds.sorted(), "seconds of training never go back")
    }

    func testEntropyFigureHasEveryHeadBelowTheUniformReference() throws {
        let run = try quickRun()
        let grid = try XCTUnwrap(try TransformerFigures.entropy(try context(run, .attentionEntropy)) as? SmallMultiples)
        XCTAssertEqual(grid.panels.count, 2, "one panel per layer")
        let uniform = TransformerFigures.uniformEntropyBits(time: 64, causal: true)
        XCTAssertEqual(uniform, (1...64).map { log2(Double($0)) }.reduce(0, +) / 64, accuracy: 1e-12)
        for panel in grid.panels {
            let chart = try XCTUnwrap(panel as? LineChart)
            XCTAssertEqual(chart.series.map(\.name), ["head 1", "head 2", "head 3", "head 4"])
            XCTAssertEqual(chart.referenceLines.map(\.label), [String(format: "uniform: %.2f bits", uniform)])
            XCTAssertEqual(try XCTUnwrap(chart.referenceLines.first?.value), uniform, accuracy: 1e-12)
            for head in chart.series {
                XCTAssert(head.y.allSatisfy { $0 > 0 && $0 <= uniform + 1e-6 }, "\(head.name): \(head.y)")
            }
        }
        // Entropy by hand: a row split evenly between two keys has 1 bit; a one-hot row 0.
        let m = try FloatArray(shape: [2, 2], values: [1, 0, 0.5, 0.5])
        XCTAssertEqual(TransformerFigures.meanEntropyBits(m), 0.5, accuracy: 1e-9)
        XCTAssertEqual(try TransformerFigures.crop(try FloatArray(shape: [3, 3], values: (0..<9).map(Float.init)), to: 2).values,
                       [0, 1, 3, 4])
    }

    /// Every character of the probe labels its row and its column: the line is cut to as
    /// many characters as rows of a tick label's height fit at the figure's width.
    func testAttentionHeadsLabelEveryCharacterOnBothAxes() throws {
        let run = try quickRun()
        let heads = try TransformerFigures.heads(try context(run, .attentionHeads))
        for frame in heads.frames {
            let map = try XCTUnwrap(frame.figure as? AttentionMap)
            XCTAssertEqual(map.queryLabelStride(width: TransformerFigures.layoutWidth), 1, frame.label)
            XCTAssertEqual(map.queryTokens, map.keyTokens)
            XCTAssertGreaterThanOrEqual(map.queryTokens.count, 8, "enough of the line to read")
        }
        // The handout's still: the first frame's heads above the trained ones, labelled alike.
        let still = try XCTUnwrap(heads.figure as? AttentionMap)
        XCTAssertEqual(still.heads.count, 2 * (try XCTUnwrap(heads.frames.last?.figure as? AttentionMap)).heads.count)
        XCTAssertEqual(still.queryLabelStride(width: TransformerFigures.layoutWidth), 1)
        let wider = try TransformerFigures.heads(try context(run, .attentionHeads, ["characters": ["64"]]))
        XCTAssertEqual(try XCTUnwrap(wider.figure as? AttentionMap).queryTokens.count,
                       try XCTUnwrap(heads.figure as? AttentionMap).queryTokens.count, "the option is a ceiling")
    }

    func testPositionFigureAndLossOverTimeComeFromTheTrace() throws {
        let run = try quickRun()
        let positions = try XCTUnwrap(try TransformerFigures.positions(try context(run, .positionalEmbeddings)) as? SmallMultiples)
        let cosine = try XCTUnwrap(positions.panels[1] as? Heatmap)
        XCTAssertEqual(cosine.values.shape, [64, 64])
        for t in 0..<64 { XCTAssertEqual(cosine.values.values[t * 64 + t], 1, accuracy: 1e-5, "a position is itself") }
        let time = try XCTUnwrap(try ComparisonFigures.lossOverTime(try context(run, .lossOverTime)) as? SmallMultiples)
        let training = try XCTUnwrap(time.panels[0] as? LineChart)
        XCTAssertEqual(training.series.map(\.name), ["transformer", "lstm"])
        XCTAssert(training.series.allSatisfy { $0.x.last! > 0 })
    }

    /// A prompt shorter than the context is read at positions 0..<n: its logits are those
    /// of the first n steps of a full window that starts with it (the mask is causal), so
    /// no padding moved it. A prompt longer than the context keeps its last 64 tokens.
    func testShortPromptKeepsTrainingPositionsAndGenerationIsDeterministic() throws {
        let run = try quickRun()
        let writer = try TextGenerator(runFolder: run.runFolder)
        XCTAssertEqual(writer.context, 64)
        let prompt = writer.vocabulary.encode("a piece of ")
        let short = try writer.logits(after: prompt)
        XCTAssertEqual(short.steps, prompt.count)
        let sample = try XCTUnwrap(try TextSampleRecord.read(fromTrace: run.traces[0].folder))
        let full = try writer.logits(after: prompt + Array(sample.ids.prefix(64 - prompt.count)))
        XCTAssertEqual(full.steps, 64)
        for t in 0..<prompt.count {
            for (a, b) in zip(short.logits[t], full.logits[t]) { XCTAssertEqual(a, b, accuracy: 1e-4, "step \(t)") }
        }
        let long = Array(sample.ids.prefix(100))
        XCTAssertEqual(try writer.logits(after: long).logits, try writer.logits(after: Array(long.suffix(64))).logits)
        let a = try writer.generate(prompt: "a piece of ", length: 80, temperature: 0.8, seed: 3)
        XCTAssertEqual(a, try writer.generate(prompt: "a piece of ", length: 80, temperature: 0.8, seed: 3))
        XCTAssertNotEqual(a, try writer.generate(prompt: "a piece of ", length: 80, temperature: 0.8, seed: 4))
        XCTAssertEqual(a.count, 80, "past the context, the window slides")
        XCTAssertEqual(writer.model.inputShape, [64], "the model is back at its full context after a short prompt")
    }
}
