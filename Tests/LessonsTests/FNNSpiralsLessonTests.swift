import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import XCTest
@testable import Lessons

/// The fnn-spirals lesson: every run trains and is traced, and the figures of
/// a classifier in the plane show what the stored models compute — the
/// decision boundary agrees with the model's own predictions at the test
/// points, changes with the training step, and the hidden-unit maps are the
/// layer's activations.
final class FNNSpiralsLessonTests: XCTestCase {
    /// One quick run (1 epoch on 200 points per run, no drawing) shared by the tests.
    nonisolated(unsafe) static var quick: LessonQuickRun?

    override class func setUp() {
        quick = try? LessonQuickRun("fnn-spirals", render: false)
    }

    override class func tearDown() { quick?.remove() }

    func quickRun() throws -> LessonQuickRun { try XCTUnwrap(Self.quick, "the quick run failed") }

    /// The figure context of the quick run, as the renderer builds it, with `options`.
    func context(_ plot: PlotName, _ options: [String: [String]] = [:]) throws -> FigureContext {
        let run = try quickRun()
        let variants = try run.summary.variants.map {
            (name: $0.name, figures: try TraceFigures(traceFolder: run.runFolder.appendingPathComponent("variants/\($0.name)/trace")))
        }
        return FigureContext(main: try TraceFigures(traceFolder: run.runFolder.appendingPathComponent("trace")),
                             baseline: "spirals-16-16", variants: variants,
                             spec: FigureSpec(plot: plot, caption: "", options: options))
    }

    func testEveryRunTrainsAndTheTraceMatchesItsSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name),
                       ["spirals-4", "spirals-64", "spirals-16x4", "moons-16", "xor-linear", "xor-8"])
        XCTAssertEqual(run.summary.trainExamples, 200)
        XCTAssertEqual(run.summary.steps, 7, "200 points in batches of 32, one epoch")
        assertSnapshot(of: try run.traceText(), as: .lines, named: "fnn-spirals")
    }

    func testTheEvaluationKeepsTheTestPointsAndTheStoredModelPredictsThem() throws {
        let main = try context(.decisionBoundary).main
        let points = try main.testPoints()
        XCTAssertEqual(points.inputs.shape, [100, 2])
        let stored = try XCTUnwrap(main.evaluation).probabilities
        let recomputed = softmax(try main.model().predict(points.inputs))
        for (a, b) in zip(stored.scalars, recomputed.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testTheBoundaryGridAgreesWithThePredictionsAtTheTestPoints() throws {
        let main = try context(.decisionBoundary).main
        let points = try main.testPoints()
        let grid = PlaneGrid(around: points.inputs)
        for (x, y) in zip(points.x, points.y) {
            XCTAssertTrue(grid.xRange.contains(x) && grid.yRange.contains(y), "every test point lies inside the grid")
        }
        for step in [0, main.weightSteps.last!] {
            let model = try main.model(atStep: step)
            let cells = try grid.classProbabilities(of: model)
            let classes = cells.shape[2]
            let gridClass = zip(points.x, points.y).map { x, y -> Int in
                let row = cells.values[(grid.cellIndex(x: x, y: y) * classes)..<((grid.cellIndex(x: x, y: y) + 1) * classes)]
                return row.indices.max { row[$0] < row[$1] }! - row.startIndex
            }
            let predicted = predictedClasses(try model.predict(points.inputs))
            let agree = zip(gridClass, predicted).filter { $0 == $1 }.count
            // A point and its cell's centre are at most half a cell apart, so only
            // points right at the boundary may fall on the other side.
            XCTAssertGreaterThanOrEqual(agree, 95, "step \(step): the grid's class at a test point is the model's prediction")
        }
    }

    func testFramesAtDifferentStepsShowDifferentBoundaries() throws {
        let c = try context(.decisionBoundary, ["steps": ["0", "3", "6"], "frames": ["4"]])
        let held = c.main.weightSteps
        XCTAssertEqual(held, Array(0...6), "record first=20 keeps every step of the 7-step quick run")
        let grid = PlaneGrid(around: try c.main.testPoints().inputs)
        let first = try grid.classProbabilities(of: try c.main.model(atStep: 0))
        let last = try grid.classProbabilities(of: try c.main.model(atStep: 6))
        let change = zip(first.values, last.values).map { abs($0 - $1) }.max()!
        XCTAssertGreaterThan(change, 0.01, "six Adam steps move the boundary")

        // One figure: the handout's small multiples of the chosen steps, and frames at the
        // evenly spaced steps, the chosen ones and the trained model for the gallery's slider.
        let series = try DecisionBoundaryFigures.overTraining(c)
        XCTAssertEqual(series.name, "decision-boundary")
        XCTAssertEqual(series.frames.map(\.key), ["step-000000", "step-000002", "step-000003", "step-000004",
                                                  "step-000006", "trained"])
        XCTAssertEqual(series.frames.map(\.label), ["step 0", "step 2", "step 3", "step 4", "step 6", "trained"])
        let still = try XCTUnwrap(series.figure as? SmallMultiples)
        XCTAssertEqual(still.columns, 4, "four panels print in one row, short enough to share a page with their text")
        let panels = still.panels
        XCTAssertEqual(panels.compactMap { ($0 as? DecisionBoundary)?.title.components(separatedBy: ":").first },
                       ["step 0", "step 3", "step 6", "trained"])
        XCTAssertNoThrow(try series.figure.raster(width: 400, scale: 1))
    }

    func testStepsAreTheNearestKeptOnesAndFramesAreEvenlySpread() {
        XCTAssertEqual(TraceFigures.nearestSteps([0, 48, 52, 1000], held: [0, 10, 20, 50, 100]), [0, 50, 100])
        XCTAssertEqual(DecisionBoundaryFigures.evenlySpaced(3, held: Array(stride(from: 0, through: 100, by: 10))), [0, 50, 100])
        XCTAssertEqual(DecisionBoundaryFigures.evenlySpaced(5, held: [0, 1, 2]), [0, 1, 2], "fewer kept steps than frames: all")
        XCTAssertEqual(DecisionBoundaryFigures.evenlySpaced(0, held: [0, 1, 2]), [])
    }

    func testHiddenUnitMapsAreTheFirstLayersActivations() throws {
        let c = try context(.hiddenUnits)
        let series = try HiddenUnitFigures.maps(c)
        XCTAssertEqual(series.name, "hidden-units-spirals-16-16")
        XCTAssertEqual(series.frames.map(\.key), ["dense1", "dense2"], "a frame per hidden layer")
        let maps = try XCTUnwrap(series.frames[0].figure as? PlaneMaps)
        XCTAssertEqual(maps.values.shape, [100, 100, 16])
        // unit u at cell (i, j) = ReLU(w₁ᵤ·x + w₂ᵤ·y + bᵤ), (x, y) the cell's centre.
        let model = try c.main.model()
        let (w, b) = (model.parameters[0].value.scalars, model.parameters[1].value.scalars)
        let grid = PlaneGrid(around: try c.main.testPoints().inputs)
        for (i, j, u) in [(0, 0, 0), (10, 90, 3), (50, 50, 7), (99, 99, 15), (73, 12, 11)] {
            let x = Float(grid.xRange.lowerBound + (Double(j) + 0.5) * grid.dx)
            let y = Float(grid.yRange.lowerBound + (Double(i) + 0.5) * grid.dy)
            let expected = max(0, w[u] * x + w[16 + u] * y + b[u])
            XCTAssertEqual(maps.values.values[(i * 100 + j) * 16 + u], expected, accuracy: 1e-5, "cell (\(i), \(j)) unit \(u)")
        }
        let deep = try HiddenUnitFigures.maps(try context(.hiddenUnits, ["run": ["spirals-16x4"], "layer": ["dense3"]]))
        XCTAssertEqual(deep.name, "hidden-units-spirals-16x4-dense3")
        XCTAssert(deep.frames.isEmpty, "one layer is a single figure")
        XCTAssertThrowsError(try HiddenUnitFigures.maps(try context(.hiddenUnits, ["layer": ["dense9"]]))) { error in
            XCTAssertTrue("\(error)".contains("no layer 'dense9'"), "\(error)")
        }
    }

    func testComparisonShowsEachRunWithItsTestAccuracy() throws {
        let run = try quickRun()
        let c = try context(.compareBoundaries, ["runs": ["xor-linear", "xor-8"]])
        let figure = try XCTUnwrap(try DecisionBoundaryFigures.comparison(c) as? SmallMultiples)
        let titles = figure.panels.compactMap { ($0 as? DecisionBoundary)?.title }
        XCTAssertEqual(titles.count, 2)
        for (title, name) in zip(titles, ["xor-linear", "xor-8"]) {
            let accuracy = try XCTUnwrap(run.summary.variants.first { $0.name == name }?.testAccuracy)
            XCTAssertTrue(title.hasPrefix("\(name): " + String(format: "%.1f %%", 100 * accuracy)), title)
        }
        XCTAssertTrue(try XCTUnwrap(figure.subtitle).hasSuffix("xor-linear 6, xor-8 42"),
                      "2×2 weights + 2 biases; 2×8 + 8 + 8×2 + 2: \(figure.subtitle ?? "")")
    }
}
