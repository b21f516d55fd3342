import Foundation
import NeuralNet
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The `vanishing-gradients` lesson: the first-token recall task, recurrent weights
/// of a chosen scale, and the figures that follow ‖∂L/∂x_t‖ back through time.
final class VanishingGradientsLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("vanishing-gradients") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    private func trace(_ run: LessonQuickRun, _ name: String) throws -> TraceFigures {
        try TraceFigures(traceFolder: run.traces.first { $0.name == (name == "simple-rnn" ? "main" : name) }!.folder)
    }

    func testQuickRunDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.dataset, "first-token")
        XCTAssertEqual(run.summary.variants.count, 14)
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-gradient-over-time-start.png", "figures/02-gradient-heatmap.png",
            "figures/03-gradient-over-time-end.png", "figures/04-accuracy-by-length.png",
            "figures/05-compare-val_accuracy.png", "figures/06-gradient-clipping.png",
        ])
        assertSnapshot(of: try run.traceText(), as: .lines, named: "vanishing-gradients")
        let lengths = try run.traces.map { try TraceReader(directory: $0.folder).manifest.run.hyperparameters["sequence_length"] }
        XCTAssertEqual(Set(lengths), ["10", "20", "40", "80"])
        XCTAssertEqual(try TraceReader(directory: run.traces.first { $0.name == "large-weights-clipped" }!.folder)
            .manifest.run.hyperparameters["clip_norm"], "1.0")
    }

    /// Before training, the gradient from the answer back to step 1 is a product of 39
    /// step factors: about 0.5 each with half-scale weights (vanishes), about 1 with
    /// orthogonal ones, above 1 with double-scale ones (explodes); the gates of an LSTM
    /// (forget ≈ σ(1)) and a GRU (update ≈ σ(0)) shrink it too, the GRU's faster.
    func testGradientAtTheStartVanishesOrExplodesWithTheWeightsScaleAndTheGates() throws {
        let run = try quickRun()
        func ratio(_ name: String) throws -> Double {
            let figures = try trace(run, name)
            let norms = try GradientOverTimeFigures.inputGradientNorms(figures, step: 0)
            XCTAssertEqual(norms.count, 40)
            return norms.first! / norms.last!
        }
        XCTAssertLessThan(try ratio("small-weights"), 1e-8)
        XCTAssertGreaterThan(try ratio("large-weights"), 100)
        XCTAssertEqual(log10(try ratio("simple-rnn")), 0, accuracy: 1, "orthogonal: within a factor of 10")
        let lstm = try ratio("lstm"), gru = try ratio("gru")
        XCTAssertLessThan(lstm, 0.1)
        XCTAssertLessThan(gru, lstm)
    }

    func testFirstTokenRecallAsksForTheFirstSymbolAtTheLastStepOnly() throws {
        let data = try FirstTokenRecall.generate(count: 50, length: 12, seed: 5, part: "train")
        XCTAssertEqual(data.inputs.shape, [50, 12])
        for n in 0..<50 {
            let labels = Array(data.labels[(n * 12)..<((n + 1) * 12)])
            XCTAssertEqual(labels.prefix(11), ArraySlice(repeating: LossTarget.ignored, count: 11))
            XCTAssertEqual(labels.last, Int(data.inputs.scalars[n * 12]))
        }
        XCTAssert(data.inputs.scalars.allSatisfy { $0 >= 0 && $0 < Float(FirstTokenRecall.symbols) && $0 == $0.rounded() })
        XCTAssertEqual(Set(data.inputs.scalars).count, FirstTokenRecall.symbols, "every symbol occurs")
        XCTAssertEqual(data.inputs, try FirstTokenRecall.generate(count: 50, length: 12, seed: 5, part: "train").inputs)
        XCTAssertNotEqual(data.inputs, try FirstTokenRecall.generate(count: 50, length: 12, seed: 5, part: "test").inputs)
    }

    func testRecurrentGainScalesTheOrthogonalKernelFromTheLessonFile() throws {
        let yaml = """
        title: T
        summary: S
        data: {dataset: first-token, sequence_length: 6}
        model:
          layers:
            - {type: Embedding, dimension: 4}
            - {type: SimpleRNN, units: 5, recurrent_gain: 2}
            - {type: Dense, units: vocabulary}
        training: {loss: softmax_cross_entropy, optimizer: adam}
        """
        let spec = try LessonSpecParser.parse(yaml: yaml, file: "f", name: "x")
        XCTAssertEqual(spec.layers[1], .recurrent(.simpleRNN, units: 5, returnSequences: false, recurrentGain: 2))
        let layers = spec.layers.map { $0.resolved(vocabulary: FirstTokenRecall.symbols) }
        let model = try ModelFactory.model(layers, file: "lessons/x/lesson.yaml", inputShape: [6], seed: 1)
        let u = try XCTUnwrap(model.parameters.first { $0.name.hasSuffix("recurrent_kernel") }).value
        // U = 2·Q with Q orthogonal: U·Uᵀ = 4·I.
        let product = matmul(u, u, transposeB: true)
        for i in 0..<5 { for j in 0..<5 { XCTAssertEqual(product[i, j], i == j ? 4 : 0, accuracy: 1e-5) } }
        let bad = yaml.replacingOccurrences(of: "recurrent_gain: 2", with: "recurrent_gain: 0")
        XCTAssertThrowsError(try LessonSpecParser.parse(yaml: bad, file: "f", name: "x")) { error in
            XCTAssert("\(error)".contains("recurrent_gain"), "\(error)")
        }
    }
}
