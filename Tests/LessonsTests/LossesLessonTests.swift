import Foundation
import NeuralNet
import SnapshotTesting
import Tensor
import XCTest
@testable import Lessons

/// The `losses` lesson: a regression on the noisy sine with the mean squared error,
/// then one digit classifier trained with cross-entropy and with squared error. Its
/// figures must show what the engine computes: the fitted curve is the stored
/// model's prediction, and the loss-gradient panels are the engine's losses, which
/// must follow the textbook formulas.
final class LossesLessonTests: XCTestCase {
    /// One quick run shared by the tests that read its output.
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("losses") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testQuickRunIsARegressionWithThreeClassifierVariants() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.dataset, "sine")
        XCTAssertNil(run.summary.testAccuracy, "a regression has no accuracy")
        XCTAssertLessThan(try XCTUnwrap(run.summary.testLoss), 1)
        XCTAssertEqual(run.summary.variants.map(\.name), ["cross-entropy", "squared-error", "squared-error-lr0.5"])
        XCTAssertTrue(run.summary.variants.allSatisfy { $0.testAccuracy != nil && $0.divergence == nil })
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-regression-fit.png", "figures/02-curves.png", "figures/03-loss-gradients.png",
            "figures/04-compare-accuracy.png", "figures/05-compare-test_accuracy.png",
        ])
        assertSnapshot(of: try run.traceText(), as: .lines, named: "losses")
    }

    func testGalleryAndHandoutReportTheTestLossOfARegression() throws {
        let run = try quickRun()
        let rows = KeyResults(summary: run.summary).rows
        XCTAssertFalse(rows.contains { $0.label == "Test accuracy" })
        XCTAssertEqual(rows.first?.label, "Test loss")
        XCTAssertTrue(KeyResults.headline(run.summary).hasPrefix("test loss 0."))
        let page = try String(contentsOf: run.runFolder.appendingPathComponent("index.html"), encoding: .utf8)
        // The key results have no accuracy row (the classifier variants' table below has an accuracy column).
        let keyResults = page.components(separatedBy: "Key results").last!.components(separatedBy: "Runs compared").first!
        XCTAssertFalse(keyResults.contains("Test accuracy"))
        XCTAssertTrue(keyResults.contains("Test loss"))
        let index = try String(contentsOf: run.outputRoot.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("losses · test loss 0."), index)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.runFolder.appendingPathComponent("handout.pdf").path))
    }

    func testRegressionFitDrawsTheTrainingPointsAndTheStoredModelsPredictions() throws {
        let run = try quickRun()
        let trace = try TraceFigures(traceFolder: run.runFolder.appendingPathComponent("trace"))
        let (points, curves) = try RegressionFigures.fitCurves(trace, steps: [0, 3], gridSize: 50)
        XCTAssertEqual(points.x.count, run.summary.trainExamples)
        for (x, y) in zip(points.x, points.y) {
            XCTAssertEqual(y, sin(x), accuracy: 0.5, "the points are the noisy sine the run trained on")
        }
        // Steps 0 and 3 both map to step 0, the only early step whose weights the policy keeps.
        XCTAssertEqual(curves.map(\.name), ["after 0 steps", "after \(run.summary.steps) steps (final)"])
        let grid = Tensor(shape: [50, 1], scalars: curves[1].x.map(Float.init))
        XCTAssertEqual(curves[1].y, try trace.model().predict(grid).scalars.map(Double.init))
        XCTAssertEqual(curves[0].y, try trace.model(atStep: 0).predict(grid).scalars.map(Double.init))
        XCTAssertEqual(curves[1].x.first, points.x.min())
        XCTAssertEqual(curves[1].x.last!, points.x.max()!, accuracy: 1e-6)
    }

    func testLossGradientsFollowTheAnalyticForms() throws {
        for r in try LossFigures.responses(from: -8, to: 8, count: 33) {
            let z = Double(r.logit), p = 1 / (1 + exp(-z))
            XCTAssertEqual(Double(r.probability), p, accuracy: 1e-6)
            XCTAssertEqual(Double(r.crossEntropy), -log(p), accuracy: 1e-4 * max(1, -log(p)))
            XCTAssertEqual(Double(r.crossEntropyGradient), p - 1, accuracy: 1e-6, "cross-entropy: dL/dz = p − y")
            XCTAssertEqual(Double(r.squaredError), (1 - p) * (1 - p), accuracy: 1e-6)
            XCTAssertEqual(Double(r.squaredErrorGradient), 2 * (p - 1) * p * (1 - p), accuracy: 1e-6,
                           "squared error after a sigmoid: dL/dz = 2(p − y)·p(1 − p)")
        }
    }

    func testSquaredErrorGradientVanishesWhenConfidentlyWrongAndCrossEntropyDoesNot() throws {
        let wrong = try LossFigures.response(logit: -10)
        XCTAssertLessThan(wrong.probability, 1e-4)
        XCTAssertEqual(wrong.crossEntropyGradient, -1, accuracy: 1e-4, "the full push of p − y = −1")
        XCTAssertLessThan(abs(wrong.squaredErrorGradient), 1e-4, "σ′(z) ≈ p → 0 switches the gradient off")
        let unsure = try LossFigures.response(logit: 0)
        XCTAssertGreaterThan(abs(unsure.squaredErrorGradient), 1000 * abs(wrong.squaredErrorGradient),
                             "squared error pushes hardest on the undecided, not on the most wrong")
        // Softmax cross-entropy over logits (0, z) is the same loss: p(class 1) = σ(z).
        let softmax = try SoftmaxCrossEntropy().evaluate(Tensor(shape: [1, 2], scalars: [0, -10]), .classes([1]))
        XCTAssertEqual(softmax.gradient.scalars[1], wrong.crossEntropyGradient, accuracy: 1e-6)
        XCTAssertEqual(softmax.value, wrong.crossEntropy, accuracy: 1e-4)
    }

    func testLossGradientCurvesTakeTheColoursOfTheRunsOfTheirLoss() throws {
        let run = try quickRun()
        let traces = try run.traces.map { (name: $0.name == "main" ? "regression" : $0.name, figures: try TraceFigures(traceFolder: $0.folder)) }
        func context(_ options: [String: [String]]) -> FigureContext {
            FigureContext(main: traces[0].figures, baseline: traces[0].name, variants: Array(traces.dropFirst()),
                          spec: FigureSpec(plot: .lossGradients, caption: "", options: options))
        }
        let named = context(["runs": ["cross-entropy", "squared-error"]])
        XCTAssertEqual(try LossFigures.curveCategories(named), [named.category(ofRun: "cross-entropy"), named.category(ofRun: "squared-error")])
        XCTAssertEqual(try LossFigures.curveCategories(named), [3, 7], "vermillion and black, as in the compare-curves figures")
        let unnamed = try LossFigures.curveCategories(context([:]))
        XCTAssertTrue(Set(unnamed).isDisjoint(with: traces.map { named.category(ofRun: $0.name) }), "no run's colour without 'runs'")
        XCTAssertThrowsError(try LossFigures.curveCategories(context(["runs": ["cross-entropy"]])))
    }

    func testLossGradientsOptionIsChecked() throws {
        let yaml = """
        title: t
        summary: s
        data: {dataset: sine}
        model: {layers: [{type: Dense, units: 1}]}
        training: {loss: mse, optimizer: sgd}
        figures: [{plot: loss-gradients, logits: [-4, x], caption: c}]
        """
        XCTAssertThrowsError(try LessonSpecParser.parse(yaml: yaml, file: "lesson.yaml", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("figures[0].logits"), "\(error)")
        }
    }
}
