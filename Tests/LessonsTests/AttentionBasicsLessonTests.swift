import Foundation
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons
@testable import Render

/// The `attention-basics` lesson: one attention layer learns to read eight symbols
/// backwards, so its right attention map (the anti-diagonal) is known in advance.
final class AttentionBasicsLessonTests: XCTestCase {
    /// Quick mode trains on 400 sequences; 20 epochs (260 steps) are enough to converge.
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("attention-basics", epochs: 20) } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    private func context(_ run: LessonQuickRun, _ plot: PlotName, _ options: [String: [String]] = [:]) throws -> FigureContext {
        let traces = try run.traces.map { (name: $0.name == "main" ? "bidirectional" : $0.name,
                                           figures: try TraceFigures(traceFolder: $0.folder)) }
        return FigureContext(main: traces[0].figures, baseline: traces[0].name, variants: Array(traces.dropFirst()),
                             spec: FigureSpec(plot: plot, caption: "", options: options))
    }

    func testQuickRunLearnsToReverseDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name), ["causal"])
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-attention-maps.png", "figures/02-attention-convergence.png",
            "figures/03-softmax-scaling.png", "figures/04-attention-walkthrough-causal.png",
            "figures/05-compare-val_accuracy.png", "figures/06-curves.png",
        ])
        XCTAssertGreaterThan(try XCTUnwrap(run.summary.testAccuracy), 0.95)
        // The causal model is right on the second half and guesses on the first: ½ + ½·⅛.
        XCTAssertEqual(Double(try XCTUnwrap(run.summary.variants[0].testAccuracy)), 0.5625, accuracy: 0.05)
        assertSnapshot(of: try run.traceText(), as: .lines, named: "attention-basics")
    }

    /// The check: after training, mean attention on the expected key ≥ 0.9.
    func testTrainedAttentionSitsOnTheAntiDiagonalAndTheCausalMaskHidesTheFuture() throws {
        let run = try quickRun()
        let c = try context(run, .attentionConvergence, ["expected": ["reverse"]])
        let chart = try XCTUnwrap(try AttentionFigures.convergence(c) as? LineChart)
        XCTAssertEqual(chart.series.map(\.name), ["bidirectional", "causal"])
        XCTAssertEqual(chart.referenceLines.map(\.value), [0.125], "uniform attention, a labelled reference line")
        XCTAssertEqual(chart.referenceLines.map(\.label), ["uniform: 1/8"])
        let bidirectional = chart.series[0].y, causal = chart.series[1].y
        XCTAssertEqual(bidirectional[0], 0.125, accuracy: 0.05, "random small weights attend nearly uniformly")
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(bidirectional.last), 0.9)
        XCTAssertEqual(try XCTUnwrap(causal.last), 0.5, accuracy: 0.05, "only the second half's keys are visible")
        // The causal weights are exactly 0 above the diagonal, and every row sums to 1.
        let trace = c.runs[1].figures
        let last = try XCTUnwrap(AttentionFigures.steps(trace, layer: "attn1").last)
        let p = try trace.reader.tensor("attn1", kind: .attention, step: last)
        XCTAssertEqual(p.shape, [4, 1, 8, 8])
        for b in 0..<4 { for q in 0..<8 {
            XCTAssertEqual((0..<8).reduce(Float(0)) { $0 + p[b, 0, q, $1] }, 1, accuracy: 1e-5)
            for k in (q + 1)..<8 where k < 8 { XCTAssertEqual(p[b, 0, q, k], 0) }
        } }
    }

    func testTokensAreTheProbeSymbolsAndTheExpectedKeyIsTheMirror() throws {
        let run = try quickRun()
        let trace = try TraceFigures(traceFolder: run.traces[0].folder)
        let input = try trace.reader.tensor("input", kind: .input, step: 0)
        let tokens = try AttentionFigures.tokens(trace, step: 0, probe: 1)
        XCTAssertEqual(tokens, (0..<8).map { ReverseSequence.name(of: Int(input[1, $0])) })
        XCTAssertEqual(ExpectedAttention.reverse.target(query: 2, time: 8), 5)
        let identity = try FloatArray(shape: [3, 3], values: [0, 0, 1, 0, 1, 0, 1, 0, 0])
        XCTAssertEqual(ExpectedAttention.reverse.meanWeight(on: identity), 1)
    }

    func testReverseDataReadsBackwardsAndDiffersPerPart() throws {
        let a = try ReverseSequence.generate(count: 3, length: 5, seed: 1, part: "train")
        for n in 0..<3 {
            let row = (0..<5).map { Int(a.inputs[n, $0]) }
            XCTAssertEqual(Array(a.labels[(n * 5)..<(n * 5 + 5)]), Array(row.reversed()))
        }
        let b = try ReverseSequence.generate(count: 3, length: 5, seed: 1, part: "test")
        XCTAssertNotEqual(a.inputs, b.inputs)
    }

    func testUnscaledSoftmaxSaturatesAsTheKeySizeGrowsAndScaledDoesNot() throws {
        let run = try quickRun()
        let chart = try XCTUnwrap(try AttentionWalkthrough.scaling(try context(run, .softmaxScaling)) as? LineChart)
        let plain = chart.series[0].y, scaled = chart.series[1].y
        XCTAssertGreaterThan(try XCTUnwrap(plain.last), 0.9)
        XCTAssertLessThan(try XCTUnwrap(scaled.last), 0.5)
        XCTAssertEqual(plain[0], scaled[0], "at d = 1, √d = 1")
        XCTAssertEqual(AttentionWalkthrough.largestSoftmax([0, 0, 0, 0]), 0.25, accuracy: 1e-12)
    }
}
