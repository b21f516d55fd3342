import Foundation
import SnapshotTesting
import XCTest
@testable import Lessons

/// The optimizers lesson: its test surfaces have the gradients they claim, the
/// paths are the engine's optimizers stepping by their update rules, the behaviours
/// its narrative describes are what the paths do, and a quick run trains and draws
/// every run and figure it names.
final class OptimizersLessonTests: XCTestCase {
    // MARK: surfaces

    func testSurfaceGradientsMatchCentralFiniteDifferences() {
        let points: [(Double, Double)] = [(-1.2, 1), (0.3, -0.4), (2, 2), (-1.5, 0.001), (3, 0.5), (0.7, 1.9)]
        for surface in TestSurface.allCases {
            for (x, y) in points {
                let g = surface.gradient(x, y), h = 1e-6
                let dx = (surface.value(x + h, y) - surface.value(x - h, y)) / (2 * h)
                let dy = (surface.value(x, y + h) - surface.value(x, y - h)) / (2 * h)
                XCTAssertEqual(g.x, dx, accuracy: 1e-6 * max(1, abs(dx)), "\(surface) ∂f/∂x at (\(x), \(y))")
                XCTAssertEqual(g.y, dy, accuracy: 1e-6 * max(1, abs(dy)), "\(surface) ∂f/∂y at (\(x), \(y))")
            }
        }
    }

    func testMinimaAreStationaryAndLowest() {
        XCTAssertEqual(TestSurface.allCases.map(\.minimumValue), [0, 0, -0.25])
        for surface in TestSurface.allCases {
            let (x, y) = surface.minimum
            let g = surface.gradient(x, y)
            XCTAssertEqual(g.x, 0, accuracy: 1e-12, "\(surface)")
            XCTAssertEqual(g.y, 0, accuracy: 1e-12, "\(surface)")
            for (dx, dy) in [(0.01, 0), (-0.01, 0), (0, 0.01), (0, -0.01)] {
                XCTAssertGreaterThan(surface.value(x + dx, y + dy), surface.minimumValue, "\(surface)")
            }
        }
        // The saddle's origin is stationary but not a minimum: uphill along x, downhill along y.
        XCTAssertEqual(TestSurface.saddle.gradient(0, 0).x, 0)
        XCTAssertGreaterThan(TestSurface.saddle.value(0.1, 0), 0)
        XCTAssertLessThan(TestSurface.saddle.value(0, 0.1), 0)
    }

    // MARK: the update rules, step by step

    func testFirstSGDStepIsStartMinusRateTimesGradient() {
        let path = OptimizerPath.walk(on: .rosenbrock, optimizer: .sgd, learningRate: 0.001, from: [-1.2, 1], steps: 3)
        let g = TestSurface.rosenbrock.gradient(-1.2, 1)   // (−215.6, −88)
        XCTAssertEqual(path.points.count, 4)
        XCTAssertEqual(path.points[1].x, -1.2 - 0.001 * g.x, accuracy: 1e-6)
        XCTAssertEqual(path.points[1].y, 1 - 0.001 * g.y, accuracy: 1e-6)
    }

    func testMomentumStepAddsTheDecayedVelocity() {
        // v₁ = −lr·g₀, θ₁ = θ₀ + v₁;  v₂ = μ·v₁ − lr·g₁, θ₂ = θ₁ + v₂
        let s = TestSurface.beale, lr = 0.001, μ = 0.9
        let path = OptimizerPath.walk(on: s, optimizer: .momentum, learningRate: lr, from: [2, 2], steps: 2)
        let g0 = s.gradient(2, 2)
        let v1 = SIMD2(-lr * g0.x, -lr * g0.y)
        XCTAssertEqual(path.points[1].x, 2 + v1.x, accuracy: 1e-5)
        let p1 = path.points[1], g1 = s.gradient(p1.x, p1.y)
        XCTAssertEqual(path.points[2].x, p1.x + μ * v1.x - lr * g1.x, accuracy: 1e-4)
        XCTAssertEqual(path.points[2].y, p1.y + μ * v1.y - lr * g1.y, accuracy: 1e-4)
    }

    func testFirstAdamAndRMSpropStepsIgnoreTheGradientsSize() {
        // Adam's first step is lr·sign(g) per coordinate: m̂ = g and √v̂ = |g|. RMSprop's
        // is lr·g/√(0.1·g²) = lr·√10·sign(g). Rosenbrock's gradient at (−1.2, 1) is
        // (−215.6, −88), yet both coordinates move by the same amount.
        let adam = OptimizerPath.walk(on: .rosenbrock, optimizer: .adam, learningRate: 0.1, from: [-1.2, 1], steps: 1)
        XCTAssertEqual(adam.points[1].x, -1.1, accuracy: 1e-5)
        XCTAssertEqual(adam.points[1].y, 1.1, accuracy: 1e-5)
        let rms = OptimizerPath.walk(on: .rosenbrock, optimizer: .rmsprop, learningRate: 0.01, from: [-1.2, 1], steps: 1)
        XCTAssertEqual(rms.points[1].x, -1.2 + 0.01 * 10.0.squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(rms.points[1].y, 1 + 0.01 * 10.0.squareRoot(), accuracy: 1e-5)
    }

    // MARK: what the narrative says the figures show

    func testRosenbrockSGDCrawlsWhileMomentumAndAdamArrive() throws {
        let walks = try lessonSettings(.rosenbrock).walks()
        let (sgd, momentum, rmsprop, adam) = (walks[0], walks[1], walks[2], walks[3])
        XCTAssertFalse(walks.contains(where: \.diverged))
        XCTAssertLessThan(sgd.points.last!.x, 0.5, "1000 SGD steps get less than halfway along the valley")
        // The end points the narrative quotes: SGD at (0.33, 0.10), RMSprop at (0.87, 0.75).
        XCTAssertEqual(sgd.points.last!.x, 0.33, accuracy: 0.005)
        XCTAssertEqual(sgd.points.last!.y, 0.10, accuracy: 0.005)
        XCTAssertEqual(rmsprop.points.last!.x, 0.87, accuracy: 0.005)
        XCTAssertEqual(rmsprop.points.last!.y, 0.75, accuracy: 0.005)
        XCTAssertNil(sgd.arrival(at: [1, 1], radius: 0.1))
        XCTAssertNil(rmsprop.arrival(at: [1, 1], radius: 0.1))
        XCTAssertEqual(try XCTUnwrap(momentum.arrival(at: [1, 1], radius: 0.05)), 646, accuracy: 10)
        XCTAssertEqual(try XCTUnwrap(adam.arrival(at: [1, 1], radius: 0.05)), 763, accuracy: 10)
        // Momentum zigzags across the valley at first: y rises again after falling.
        let ys = momentum.points.prefix(100).map(\.y)
        XCTAssertTrue(zip(ys, ys.dropFirst()).contains { $1 > $0 + 1e-3 })
    }

    func testBealeMomentumOvershootsAndSGDAtLargerRateLeavesTheMap() throws {
        let walks = try lessonSettings(.beale).walks()
        XCTAssertLessThan(walks[1].points.map(\.y).min()!, -2.5, "momentum shoots far below the valley (y ≈ 0.5)")
        XCTAssertGreaterThan(walks[0].points.map(\.y).min()!, 0, "SGD at lr 0.001 does not")
        let final = walks.map { TestSurface.beale.value($0.points.last!.x, $0.points.last!.y) }
        XCTAssertEqual(final.indices.sorted { final[$0] < final[$1] }, [1, 2, 3, 0],
                       "after 500 steps: momentum lowest, then RMSprop, Adam, SGD")
        XCTAssertEqual(try XCTUnwrap(walks[2].arrival(at: [3, 0.5], radius: 0.05)), 370, accuracy: 10,
                       "RMSprop reaches the minimum")
        let g = TestSurface.beale.gradient(2, 2)
        XCTAssertEqual(g.x, 289.25)
        XCTAssertEqual(g.y, 944)
        let tenTimes = OptimizerPath.walk(on: .beale, optimizer: .sgd, learningRate: 0.01, from: [2, 2], steps: 500)
        XCTAssertTrue(tenTimes.diverged)
        XCTAssertLessThan(tenTimes.points.count, 20)
    }

    func testSaddleHoldsSGDButNotTheAdaptiveMethods() throws {
        let walks = try lessonSettings(.saddle).walks()
        let atStep60 = walks.map { $0.points[60] }
        XCTAssertLessThan(abs(atStep60[0].x) + abs(atStep60[0].y), 0.1, "SGD still sits at the saddle at step 60")
        XCTAssertGreaterThan(walks[2].points[20].y, 0.5, "RMSprop has left the ridge by step 20")
        XCTAssertGreaterThan(walks[3].points[30].y, 0.5, "so has Adam by step 30")
        XCTAssertGreaterThan(walks[1].points.map(\.x).max()!, 0.8, "momentum overshoots the saddle along x")
        // The steps at which each first passes y = 0.5, as the narrative quotes them.
        let escapes = walks.map { $0.points.firstIndex { $0.y > 0.5 } }
        XCTAssertEqual(escapes, [131, 37, 4, 11])
    }

    // MARK: the plot's options

    func testDefaultsOptionsAndDotSpacing() throws {
        let settings = try PathSettings.from(try context(["surface": ["rosenbrock", "saddle"], "learning_rates": ["0.02"]]))
        XCTAssertEqual(settings.map(\.surface), [.rosenbrock, .saddle])
        XCTAssertEqual(settings[0].optimizers, [.sgd, .momentum, .rmsprop, .adam])
        XCTAssertEqual(settings[0].learningRates, [0.02, 0.02, 0.02, 0.02], "one rate applies to every optimizer")
        XCTAssertEqual(settings.map(\.start), [[-1.2, 1], [-1.5, 0.001]])
        XCTAssertEqual(settings.map(\.markerEvery), [20, 5])
        XCTAssertThrowsError(try PathSettings.from(try context([:])))
        XCTAssertThrowsError(try PathSettings.from(try context(["surface": ["beale"], "learning_rates": ["0.1", "0.2"]])))
        XCTAssertThrowsError(try PathSettings.from(try context(["surface": ["beale"], "start": ["1"]])))
        let five = ["sgd", "momentum", "nesterov", "rmsprop", "adam"]
        XCTAssertThrowsError(try PathSettings.from(try context(["surface": ["beale"], "optimizers": five])))
    }

    func testSeveralSurfacesGiveAnOverviewThenOnePairEach() throws {
        let figures = try OptimizerPathFigures.figures(try context(["surface": ["beale", "saddle"], "steps": ["40"]]))
        XCTAssertEqual(figures.name, "paths")
        XCTAssertEqual(figures.frames.map(\.key), ["beale", "saddle"], "one frame per surface")
    }

    // MARK: the lesson itself

    func testQuickRunTrainsEveryRunDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try Self.quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name),
                       ["sgd-0.1", "momentum-0.01", "rmsprop-0.001", "sgd-0.01", "sgd-1", "sgd-3"])
        XCTAssertEqual(run.summary.variants.map(\.optimizer), ["sgd", "momentum", "rmsprop", "sgd", "sgd", "sgd"])
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-paths-rosenbrock.png", "figures/02-paths-beale.png", "figures/03-paths-saddle.png",
            "figures/04-compare-loss.png", "figures/05-compare-val_accuracy.png",
            "figures/06-compare-loss.png", "figures/07-compare-val_accuracy.png",
        ])
        // The runs are compared on validation digits split off the training digits, not on the test set.
        XCTAssertEqual(run.summary.trainExamples, 270)
        XCTAssertEqual(run.summary.validationExamples, 30)
        XCTAssertNotNil(run.summary.history.last?.validationAccuracy)
        assertSnapshot(of: try run.traceText(), as: .lines, named: "optimizers")
    }

    func testEachOptimizerKeepsOneColourInThePathsAndTheRunCurves() throws {
        let run = try Self.quickRun()
        let all = try run.traces.map { (name: $0.name, figures: try TraceFigures(traceFolder: $0.folder)) }
        let c = FigureContext(main: all[0].figures, baseline: all[0].name, variants: Array(all.dropFirst()),
                              spec: FigureSpec(plot: .optimizerPaths, caption: "", options: [:]))
        let paths = OptimizerPathFigures.categories([.sgd, .momentum, .rmsprop, .adam], c)
        XCTAssertEqual(paths, ["sgd-0.1", "momentum-0.01", "rmsprop-0.001", "adam-0.001"].map { c.category(ofRun: $0) })
        XCTAssertEqual(Set(paths).count, 4)
        XCTAssertFalse(paths.contains(1) && paths.contains(3), "orange and vermillion are too alike to tell two optimizers apart")
        let sgdRuns = ["sgd-0.01", "sgd-0.1", "sgd-1", "sgd-3"].map { c.category(ofRun: $0) }
        XCTAssertEqual(Set(sgdRuns).count, 4)
        XCTAssertFalse(sgdRuns.contains(8), "grey is for reference lines")
    }

    // MARK: helpers

    /// The settings of the lesson's figure for `surface`, as `lessons/optimizers/lesson.yaml` gives them.
    func lessonSettings(_ surface: TestSurface) throws -> PathSettings {
        let spec = try LessonCatalog.locate().spec("optimizers")
        let figure = try XCTUnwrap(spec.figures.first { $0.options["surface"] == [surface.rawValue] })
        return try XCTUnwrap(PathSettings.from(try context(figure.options)).first)
    }

    /// The quick run of the lesson, made once for every test that needs it.
    nonisolated(unsafe) static var shared: LessonQuickRun?
    static func quickRun() throws -> LessonQuickRun {
        if let shared { return shared }
        let run = try LessonQuickRun("optimizers")
        shared = run
        return run
    }

    override class func tearDown() {
        shared?.remove()
        shared = nil
    }

    /// A figure context over the quick run's main trace (the paths need no trace, but a context has one).
    func context(_ options: [String: [String]]) throws -> FigureContext {
        let run = try Self.quickRun()
        return FigureContext(main: try TraceFigures(traceFolder: run.traces[0].folder), baseline: "adam-0.001",
                             variants: [], spec: FigureSpec(plot: .optimizerPaths, caption: "", options: options))
    }
}
