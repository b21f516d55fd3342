import Foundation
import NeuralNet
import SnapshotTesting
import Tensor
import XCTest
@testable import Lessons
@testable import Render

/// The `overfitting` lesson: a baseline that memorises a small training set, and
/// the same network with dropout, with L2 and with early stopping. The figures
/// compare runs on shared scales and take the L2 penalty out of its loss, which
/// must leave exactly the cross-entropy the other runs report.
final class OverfittingLessonTests: XCTestCase {
    /// Quick mode trains on 30 digits; ten epochs are enough to memorise most of them.
    static let epochs = 10
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("overfitting", epochs: Self.epochs) } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testBaselineLearnsItsTrainingSetBetterThanItsValidationSet() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.trainExamples, 30, "quick: 300 digits, 90 % held out for validation")
        let last = try XCTUnwrap(run.summary.history.last)
        XCTAssertGreaterThan(try XCTUnwrap(last.accuracy), try XCTUnwrap(last.validationAccuracy) + 0.2)
        XCTAssertEqual(run.summary.variants.map(\.name), ["dropout", "l2", "early-stopping"])
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-run-curves.png", "figures/02-validation-losses.png", "figures/03-compare-val_accuracy.png",
            "figures/04-weight-histograms.png",
        ])
        assertSnapshot(of: try run.traceText(), as: .lines, named: "overfitting")
    }

    func testEarlyStoppingIsMarkedWhereTheRunEnded() throws {
        let run = try quickRun()
        let trace = try figures(run, "early-stopping")
        let ran = run.summary.variants[2].history.count
        XCTAssertEqual(trace.earlyStopEpoch, ran < Self.epochs ? ran : nil)
        XCTAssertEqual(trace.reader.manifest.run.hyperparameters["early_stopping_patience"], "5")
        XCTAssertNil(try figures(run, "baseline").earlyStopEpoch, "a run without patience never stopped early")
    }

    /// The training loss an L2 run minimises is cross-entropy + λΣ‖W‖²; the figures take the
    /// penalty out of it, and the validation loss is measured without it: the last one is
    /// the final model's plain cross-entropy on the validation digits.
    func testL2PenaltyComesOutOfTheLossExactly() throws {
        let run = try quickRun()
        let l2 = try figures(run, "l2")
        let record = try RegularizationFigures.dataLossRecord(l2)
        let runner = try LessonRunner(catalog: try LessonCatalog.locate(), name: "overfitting",
                                      options: LessonRunOptions(outputRoot: run.outputRoot, quick: true))
        let spec = runner.spec
        let validation = try runner.loadData(spec.data, seed: spec.training.seed).train
            .split(validationFraction: spec.data.validationSplit!, seed: spec.training.seed).validation
        let trainer = Trainer(model: try l2.model(), loss: SoftmaxCrossEntropy(), optimizer: SGD())
        let plain = try trainer.evaluate(validation).loss
        XCTAssertEqual(record.loss.validationPerEpoch.last!, Double(plain), accuracy: 1e-4)
        let recorded = try XCTUnwrap(run.summary.variants[1].history.last?.validationLoss)
        XCTAssertEqual(Double(recorded), Double(plain), accuracy: 1e-4, "validation is measured without the penalty")
        let minimised = try l2.trainingRecord().loss.trainPerStep.last!
        XCTAssertGreaterThan(minimised - record.loss.trainPerStep.last!, 0.01, "the training loss includes the penalty")
        XCTAssertTrue(record.loss.trainPerStep.allSatisfy { $0 > 0 }, "cross-entropy stays positive")
        // A run without L2 keeps its losses as recorded.
        let baseline = try figures(run, "baseline")
        XCTAssertEqual(try RegularizationFigures.dataLossRecord(baseline).loss.trainPerStep,
                       try baseline.trainingRecord().loss.trainPerStep)
    }

    /// The zoomed chart draws each run's data loss (L2 penalty out) and fits its scale to
    /// the epochs after each run's lowest point, so the first epoch lies above it.
    func testValidationLossesAreTheDataLossesOnAScaleOfTheEpochsAfterTheBest() throws {
        let run = try quickRun()
        let runs = try ["baseline", "dropout", "l2", "early-stopping"].map { (name: $0, figures: try figures(run, $0)) }
        let c = FigureContext(main: runs[0].figures, baseline: "baseline", variants: Array(runs.dropFirst()),
                              spec: FigureSpec(plot: .validationLosses, caption: "", options: [:]))
        let chart = try XCTUnwrap(try RegularizationFigures.validationLosses(c) as? LineChart)
        XCTAssertEqual(chart.series.map(\.name), runs.map(\.name))
        XCTAssertEqual(chart.series[2].y, try RegularizationFigures.dataLossRecord(runs[2].figures).loss.validationPerEpoch)
        for series in chart.series {
            let best = series.y.indices.min { series.y[$0] < series.y[$1] }!
            for v in series.y[best...] { XCTAssert((chart.yDomain.0...chart.yDomain.1).contains(v), "\(series.name): \(v)") }
        }
        XCTAssertGreaterThan(chart.series[0].y[0], chart.yDomain.1, "the first epoch's loss is above the zoomed scale")
    }

    func testWeightHistogramSharesSumToOneOverSymmetricBins() {
        let h = RegularizationFigures.histogram([-1, -0.5, 0, 0.25, 1], bins: 4, lower: -1, upper: 1)
        XCTAssertEqual(h.centres, [-0.75, -0.25, 0.25, 0.75])
        XCTAssertEqual(h.shares, [0.2, 0.2, 0.4, 0.2], "edges fall in the upper bin; the top edge in the last")
        XCTAssertEqual(RegularizationFigures.standardDeviation([1, 3]), 1)
    }

    private func figures(_ run: LessonQuickRun, _ name: String) throws -> TraceFigures {
        let folder = name == "baseline" ? "trace" : "variants/\(name)/trace"
        return try TraceFigures(traceFolder: run.runFolder.appendingPathComponent(folder))
    }
}
