import Foundation
import SnapshotTesting
import XCTest
@testable import Lessons

/// The iris-csv lesson: a CSV file beside the lesson read as a table (classes as listed,
/// a seeded test split, standardised columns), two variants that keep two columns each,
/// and the figures that read those runs.
final class IrisCSVLessonTests: XCTestCase {
    static let run = Result { try LessonQuickRun("iris-csv") }
    var run: LessonQuickRun { get throws { try Self.run.get() } }

    override class func tearDown() { try? run.get().remove() }

    func testQuickRunReadsTheTableAndDrawsEachFigure() throws {
        let run = try run
        XCTAssertEqual(run.summary.dataset, "csv")
        XCTAssertEqual(run.summary.variants.map(\.name), ["sepals", "petals"])
        // Quick mode keeps 60 of the 120 rows left after the test split; a fifth of them validate.
        XCTAssertEqual(run.summary.trainExamples, 48)
        XCTAssertEqual(run.summary.validationExamples, 12)
        XCTAssertEqual(run.summary.testExamples, 30)
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-curves.png", "figures/02-confusion.png", "figures/03-compare-boundaries.png",
            "figures/04-compare-val_accuracy.png"])
    }

    func testModelKeepsTheListedClassesAndTheColumnStandardisation() throws {
        let run = try run
        let model = try ModelArchitecture.read(from: run.runFolder.appendingPathComponent("trace"))
        XCTAssertEqual(model.classNames, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(model.inputShape, [4])
        let normalization = try XCTUnwrap(model.normalization)
        XCTAssertEqual(normalization.method, .standardize)
        // Petal length (third column) has a mean near 3.8 cm in any large sample of the 150 flowers.
        XCTAssertEqual(Double(normalization.offset[2]), 3.8, accuracy: 0.6)
        let petals = try ModelArchitecture.read(from: run.runFolder.appendingPathComponent("variants/petals/trace"))
        XCTAssertEqual(petals.inputShape, [2])
        // The column names travel with the model, so figures name their axes by them.
        XCTAssertEqual(model.inputNames, ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        XCTAssertEqual(petals.inputNames, ["petal_length", "petal_width"])
        let points = try TraceFigures(traceFolder: run.runFolder.appendingPathComponent("variants/petals/trace")).testPoints()
        XCTAssertEqual(points.axisLabels.x, "petal_length (standardised)")
        XCTAssertEqual(points.axisLabels.y, "petal_width (standardised)")
    }

    func testLessonSnapshot() throws {
        assertSnapshot(of: try run.traceText(), as: .lines, named: "iris-csv-quick")
    }
}
