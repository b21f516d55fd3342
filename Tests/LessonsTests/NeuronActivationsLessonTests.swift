import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import XCTest
@testable import Lessons

/// The neuron-activations lesson: the activation figure shows the engine's
/// functions and slopes (checked against their formulas), the saturation figure
/// counts dead and saturated units by the stated rule, and the lesson's four
/// runs train, trace and draw.
final class NeuronActivationsLessonTests: XCTestCase {
    /// One quick run (no rendering) shared by the tests that read its traces:
    /// training four runs once keeps the suite fast.
    static var sharedRun: Result<LessonQuickRun, Error>?

    func quickRun() throws -> LessonQuickRun {
        if Self.sharedRun == nil { Self.sharedRun = Result { try LessonQuickRun("neuron-activations", render: false) } }
        return try Self.sharedRun!.get()
    }

    override class func tearDown() {
        (try? sharedRun?.get())?.remove()
        super.tearDown()
    }

    /// The figure context of the quick run's traces, as the renderer builds it.
    func context(_ run: LessonQuickRun, spec: FigureSpec) throws -> FigureContext {
        let traces = try run.traces.map { (name: $0.name, figures: try TraceFigures(traceFolder: $0.folder)) }
        return FigureContext(main: traces[0].figures, baseline: "relu", variants: Array(traces.dropFirst()), spec: spec)
    }

    func testQuickRunTracesFourRunsAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name), ["relu-lr0.05", "sigmoid", "sigmoid-lr0.05"])
        assertSnapshot(of: try run.traceText(), as: .lines, named: "neuron-activations")
    }

    func testEveryFigureOfTheLessonCanBeMadeFromTheQuickTraces() throws {
        let run = try quickRun()
        let spec = try LessonCatalog.locate().spec("neuron-activations")
        for figure in spec.figures {
            let plot = PlotCatalog.plot(figure.plot)
            let made = try plot.make(try context(run, spec: figure))
            XCTAssertNoThrow(try made.figure.raster(width: 300, scale: 1), figure.plot.rawValue)
        }
    }

    func testSaturationFigurePlotsWhatTheRuleGivesOnTheTrace() throws {
        let run = try quickRun()
        let c = try context(run, spec: FigureSpec(plot: .unitSaturation, caption: ""))
        let series = try ActivationFigures.unitSaturation(c)
        XCTAssertEqual(series.name, "unit-saturation")
        XCTAssertEqual(series.frames.map(\.key), ["units", "values"])
        let panels = try XCTUnwrap(series.figure as? SmallMultiples).panels
        XCTAssertEqual(panels.count, 4, "one panel per run")

        // The sigmoid run's panel: one line per hidden layer, each point the rule applied to that step's probe outputs.
        let sigmoid = try XCTUnwrap(panels[2] as? LineChart)
        XCTAssertEqual(sigmoid.title, "sigmoid (sigmoid, lr 0.01)")
        XCTAssertEqual(sigmoid.series.map(\.name), ["dense1", "dense2", "dense3", "dense4"])
        let trace = c.variants[1].figures
        let step = try XCTUnwrap(trace.steps(holding: "dense2", kind: .activation).last)
        let outputs = try trace.reader.tensor("dense2", kind: .activation, step: step)
        XCTAssertEqual(outputs.shape, [64, 32], "the probe: the first 64 test examples")
        XCTAssertEqual(sigmoid.series[1].x.last, Double(step))
        XCTAssertEqual(sigmoid.series[1].y.last,
                       UnitSaturation(outputs: outputs, activation: .sigmoid, threshold: 0.01).stuckUnits)
    }

    func testActivationCurvesAreTheFormulas() throws {
        let xs: [Float] = [-3, -0.5, 0, 0.5, 3]
        let sigmoid = try ActivationFigures.curve(of: .sigmoid, at: xs)
        let tanh = try ActivationFigures.curve(of: .tanh, at: xs)
        let relu = try ActivationFigures.curve(of: .relu, at: xs)
        let leaky = try ActivationFigures.curve(of: ActivationName.leakyReLU.activation, at: xs)
        for (i, x) in xs.enumerated() {
            let s = 1 / (1 + exp(-x))
            XCTAssertEqual(sigmoid.values[i], s, accuracy: 1e-6)
            XCTAssertEqual(sigmoid.slopes[i], s * (1 - s), accuracy: 1e-6)     // σ′ = σ(1 − σ)
            XCTAssertEqual(tanh.values[i], Foundation.tanh(x), accuracy: 1e-6)
            XCTAssertEqual(tanh.slopes[i], 1 - Foundation.tanh(x) * Foundation.tanh(x), accuracy: 1e-6)
            XCTAssertEqual(relu.values[i], max(0, x))
            XCTAssertEqual(leaky.values[i], x > 0 ? x : 0.3 * x, accuracy: 1e-6)
        }
        XCTAssertEqual(sigmoid.slopes[2], 0.25, "σ′(0) = 1/4, the largest slope a sigmoid has")
        XCTAssertEqual(tanh.slopes[2], 1, "tanh′(0) = 1")
        XCTAssertEqual(relu.slopes, [0, 0, 0, 1, 1], "ReLU′ is 0 for x ≤ 0 (the engine takes 0 at x = 0)")
        XCTAssertEqual(leaky.slopes, [0.3, 0.3, 0.3, 1, 1], "leaky ReLU′ never drops below α = 0.3")
    }

    func testSoftmaxSweepGivesProbabilitiesAndTheirSlope() throws {
        let xs: [Float] = [-5, 0, 1, 5]
        let (p, slope) = try ActivationFigures.softmaxSweep(firstLogit: xs, otherLogits: [1, -1])
        XCTAssertEqual(p.count, 3)
        for i in xs.indices {
            XCTAssertEqual(p[0][i] + p[1][i] + p[2][i], 1, accuracy: 1e-6)
            XCTAssertEqual(slope[i], p[0][i] * (1 - p[0][i]), accuracy: 1e-6)   // ∂p₁/∂z₁ = p₁(1 − p₁)
        }
        let z: [Float] = [exp(-5), exp(1), exp(-1)]
        XCTAssertEqual(p[0][0], z[0] / z.reduce(0, +), accuracy: 1e-6)
        XCTAssertEqual(p[0][2], p[1][2], accuracy: 1e-6, "equal logits, equal probabilities")
        XCTAssertGreaterThan(p[0][3], 0.97)
    }

    func testDeadReLUUnitsAreZeroOnEveryExample() {
        // 2 examples × 4 units: units 0 and 2 output 0 for both examples (dead); unit 1 is 0 for one of them only.
        let outputs = Tensor(shape: [2, 4], scalars: [0, 1, 0, 2,
                                                      0, 0, 0, 3])
        let s = UnitSaturation(outputs: outputs, activation: .relu, threshold: 0.01)
        XCTAssertEqual(s.stuckUnits, 0.5)
        XCTAssertEqual(s.stuckValues, 5.0 / 8.0)
        // The same outputs from a leaky ReLU are never stuck: its slope is at least α.
        let leaky = UnitSaturation(outputs: outputs, activation: .leakyReLU(alpha: 0.3), threshold: 0.01)
        XCTAssertEqual(leaky, UnitSaturation(stuckUnits: 0, stuckValues: 0))
    }

    func testSaturationIsASlopeBelowOnePercentOfItsMaximum() {
        // σ′ = y(1 − y): 0.999 → 0.000999 < 0.01 × 0.25 (stuck); 0.99 → 0.0099 ≥ 0.0025 (not stuck).
        let sigmoid = Tensor(shape: [3, 2], scalars: [0.999, 0.5,
                                                      0.0005, 0.99,
                                                      0.9999, 0.999])
        XCTAssertEqual(UnitSaturation(outputs: sigmoid, activation: .sigmoid, threshold: 0.01),
                       UnitSaturation(stuckUnits: 0.5, stuckValues: 4.0 / 6.0))
        // tanh′ = 1 − y²: 0.999 → 0.002 < 0.01 (stuck); 0.99 → 0.0199 (not stuck).
        let tanh = Tensor(shape: [2, 3], scalars: [0.999, -0.999, 0.99,
                                                   -0.9999, 0.1, 0.999])
        XCTAssertEqual(UnitSaturation(outputs: tanh, activation: .tanh, threshold: 0.01),
                       UnitSaturation(stuckUnits: 1.0 / 3.0, stuckValues: 4.0 / 6.0))
        // With a 0.1 % threshold only −0.9999 (tanh′ = 0.0002) is still stuck.
        XCTAssertEqual(UnitSaturation(outputs: tanh, activation: .tanh, threshold: 0.001),
                       UnitSaturation(stuckUnits: 0, stuckValues: 1.0 / 6.0))
    }
}
