import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The `rnn-sine` lesson: next-value prediction on noisy sine waves with a SimpleRNN
/// (and an LSTM), its figures, and the waves themselves.
final class RNNSineLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("rnn-sine") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testQuickRunPredictsBetterThanTheWaveItselfAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.dataset, "sine-waves")
        XCTAssertNil(run.summary.testAccuracy, "a regression")
        XCTAssertEqual(run.summary.variants.map(\.name), ["lstm"])
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-series-predictions.png", "figures/02-gates.png", "figures/03-compare-val_loss.png",
            "figures/04-forecast.png",
        ])
        // Predicting 0 everywhere costs the waves' mean square (amplitudes 0.5–1: about 0.2);
        // even one quick epoch does better.
        XCTAssertLessThan(try XCTUnwrap(run.summary.testLoss), 0.1)
        assertSnapshot(of: try run.traceText(), as: .lines, named: "rnn-sine")
        let series = try XCTUnwrap(try SeriesSampleRecord.read(fromTrace: run.runFolder.appendingPathComponent("trace")))
        XCTAssertEqual(series.values.count, 160, "four windows of 40")
        let data = try XCTUnwrap(KeyResults(summary: run.summary).rows.first { $0.label == "Data" })
        XCTAssertEqual(data.value, "sine-waves: 200 training, 50 validation, 50 test sequences")
    }

    /// The hidden-state series prints as small multiples: up to six evenly spaced frames,
    /// first and last included, each panel named by its step.
    func testHiddenStateStillIsSmallMultiplesOfTheFrames() throws {
        let run = try quickRun()
        let traces = try run.traces.map { (name: $0.name == "main" ? "simple-rnn" : $0.name, figures: try TraceFigures(traceFolder: $0.folder)) }
        let c = FigureContext(main: traces[0].figures, baseline: traces[0].name, variants: Array(traces.dropFirst()),
                              spec: FigureSpec(plot: .gates, caption: "", options: [:]))
        let series = try RecurrentStateFigures.gates(c)
        XCTAssertGreaterThan(series.frames.count, 1)
        let still = try XCTUnwrap(series.figure as? SmallMultiples)
        let titles = still.panels.compactMap { ($0 as? TimeUnitHeatmap)?.title }
        let expected = FrameSeries.evenlySpacedIndices(series.frames.count).map { series.frames[$0].label }
        XCTAssertEqual(titles.count, min(FrameSeries.handoutFrames, series.frames.count))
        XCTAssertEqual(titles.dropLast(), expected.dropLast().map { "hidden state, \($0)" })
        XCTAssertEqual(titles.last, "hidden state, trained (\(expected.last!))")
    }

    func testWavesAreNoisySinesWithTheNextValueAsTarget() throws {
        let data = try SineWaves.generate(count: 6, length: 30, noise: 0, seed: 3, part: "train")
        XCTAssertEqual(data.inputs.shape, [6, 30, 1])
        let targets = try XCTUnwrap(data.targets)
        for n in 0..<6 {
            // Without noise the target at step t is the input at step t + 1.
            XCTAssertEqual(Array(targets.scalars[(n * 30)..<(n * 30 + 29)]), Array(data.inputs.scalars[(n * 30 + 1)..<(n * 30 + 30)]))
        }
        let again = try SineWaves.generate(count: 6, length: 30, noise: 0.05, seed: 3, part: "train")
        XCTAssertEqual(again.inputs, try SineWaves.generate(count: 6, length: 30, noise: 0.05, seed: 3, part: "train").inputs)
        XCTAssertNotEqual(again.inputs, try SineWaves.generate(count: 6, length: 30, noise: 0.05, seed: 3, part: "test").inputs)
        let long = SineWaves.longSeries(length: 200, noise: 0.1, seed: 1)
        let noise = zip(long.values, long.clean).map { Double($0 - $1) }
        let rms = (noise.map { $0 * $0 }.reduce(0, +) / 200).squareRoot()
        XCTAssertEqual(rms, 0.1, accuracy: 0.02, "the noise has the standard deviation asked for")
    }
}
