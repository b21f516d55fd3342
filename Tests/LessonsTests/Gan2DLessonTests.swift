import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The `gan-2d` lesson: a GAN on a ring of eight Gaussians, its trace (both models in one
/// step), its figures, `learn generate`'s sampler, the default run's mode coverage against
/// the collapsing variant's, and the lesson-file mistakes a GAN can make.
final class Gan2DLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("gan-2d") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testQuickRunTrainsBothRunsDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name), ["collapse"])
        XCTAssertNil(run.summary.testLoss, "a GAN has no test set")
        let main = run.summary.figures.filter(\.handout).map(\.file)
        XCTAssertEqual(main, ["figures/01-gan-losses.png", "figures/02-gan-field.png", "figures/03-gan-field-collapse.png",
                              "figures/04-gan-losses-collapse.png", "figures/05-gan-modes.png"])
        assertSnapshot(of: try run.traceText(), as: .lines, named: "gan-2d")
    }

    func testOneTraceStepHoldsBothModelsNamedByModelAndTheProbeSamples() throws {
        let run = try quickRun()
        let trace = run.runFolder.appendingPathComponent("trace")
        let reader = try TraceReader(directory: trace)
        let names = Set(reader.tensors(atStep: 0).map { "\($0.kind.rawValue)/\($0.name)" })
        for name in ["weight/generator.dense1.weight", "weight/discriminator.dense3.bias", "update/generator.dense3.weight",
                     "update/discriminator.dense1.weight", "gradient/discriminator.dense2.weight",
                     "activation/generator", "activation/discriminator", "gradient/generator", "input/noise"] {
            XCTAssertTrue(names.contains(name), "\(name) at step 0 (have \(names.sorted()))")
        }
        let scalars = try reader.scalars()
        for column in ["loss_d", "loss_g", "d_real", "d_fake"] {
            XCTAssertEqual(scalars.column(column).count, run.summary.steps, column)
        }
        XCTAssertEqual(reader.manifest.run.hyperparameters["d_steps"], "1")
        let samples = try reader.tensor("generator", kind: .activation, step: 0)
        XCTAssertEqual(samples.shape, [512, 2])
        // The recorded samples are G(probe noise) with G's weights of that step.
        let gan = try GANTrace(try TraceFigures(traceFolder: trace))
        let (g, _) = try gan.architecture.models()
        var state: [String: Tensor] = [:]
        for p in g.parameters { state[p.name] = try reader.tensor(p.name, kind: .weight, step: 0) }
        try g.loadStateDict(state)
        let again = try g.predict(try reader.tensor("noise", kind: .input, step: 0))
        XCTAssertEqual(again.scalars.count, samples.scalars.count)
        for (a, b) in zip(again.scalars, samples.scalars) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testGenerateDrawsTheSameSamplesForTheSameSeed() throws {
        let run = try quickRun()
        let sampler = try GANSampler(runFolder: run.runFolder)
        let a = try sampler.samples(count: 50, seed: 3), b = try sampler.samples(count: 50, seed: 3)
        XCTAssertEqual(a.shape, [50, 2])
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, try sampler.samples(count: 50, seed: 4))
        let png = try sampler.figure(count: 200, seed: 1).pngData()
        XCTAssertGreaterThan(png.count, 1000)
        XCTAssertThrowsError(try GANSampler(runFolder: FileManager.default.temporaryDirectory)) { error in
            XCTAssertTrue("\(error)".contains("not a GAN"), "\(error)")
        }
    }

    func testModeCoverageCountsSamplesWithinThreeSigmaOfEachCentre() {
        let ring = ModeCoverage(centres: SyntheticDataset.ringCentres, sigma: 0.05)
        // 50 samples at mode 1 (1, 0), 50 at 0.1 from mode 3 (0, 1) (within 3σ = 0.15), and
        // 50 at 0.2 from it (outside), and 1 at mode 5 (−1, 0): below 2 % of 151.
        let points: [[Float]] = Array(repeating: [1, 0], count: 50) + Array(repeating: [0, 1.1], count: 50)
            + Array(repeating: [0, 1.2], count: 50) + [[-1, 0]]
        let samples = Tensor(shape: [points.count, 2], scalars: points.flatMap { $0 })
        XCTAssertEqual(ring.counts(samples), [50, 0, 50, 0, 1, 0, 0, 0])
        XCTAssertEqual(ring.covered(samples), 2)
        XCTAssertEqual(ring.onModes(samples), 101.0 / 151.0, accuracy: 1e-12)
    }

    /// The lesson's claim, at its default settings: the main run covers the ring and the
    /// variant whose discriminator learns ten times more slowly collapses to few modes,
    /// while both end with D near ½.
    func testDefaultRunCoversEveryModeAndTheSlowDiscriminatorRunCollapses() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gan-2d-full-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let runner = try LessonRunner(catalog: try LessonCatalog.locate(), name: "gan-2d",
                                      options: LessonRunOptions(outputRoot: root, render: false))
        let summary = try runner.run()
        let folder = root.appendingPathComponent("gan-2d")
        func final(_ trace: String) throws -> (modes: Int, onModes: Double, dReal: Double, dFake: Double) {
            let gan = try GANTrace(try TraceFigures(traceFolder: folder.appendingPathComponent(trace)))
            let samples = try gan.samples(atStep: gan.probeSteps.last!)
            let ring = try XCTUnwrap(gan.ring)
            func late(_ name: String) throws -> Double {
                let v = try gan.scalar(name).suffix(240).map(\.value)
                return v.reduce(0, +) / Double(v.count)
            }
            return (ring.covered(samples), ring.onModes(samples), try late("d_real"), try late("d_fake"))
        }
        XCTAssertEqual(summary.steps, 2400)
        let main = try final("trace"), collapse = try final("variants/collapse/trace")
        XCTAssertEqual(main.modes, 8)
        XCTAssertGreaterThan(main.onModes, 0.85)
        XCTAssertLessThanOrEqual(collapse.modes, 2)
        for run in [main, collapse] {
            XCTAssertEqual(run.dReal, 0.5, accuracy: 0.05)
            XCTAssertEqual(run.dFake, 0.5, accuracy: 0.05)
        }
    }

    private func lesson(_ models: String, training: String = "{loss: binary_cross_entropy, optimizer: adam}",
                        data: String = "{dataset: ring, examples: 64}") -> String {
        "title: t\nsummary: s\ndata: \(data)\nmodels:\n\(models)\ntraining: \(training)\n"
    }

    private let generator = "  generator: {layers: [{type: Dense, units: 8, activation: relu}, {type: Dense, units: 2}]}"
    private let discriminator = "  discriminator: {layers: [{type: Dense, units: 8, activation: relu}, {type: Dense, units: 1}]}"

    func testLessonFileMistakesAboutAGANNameTheirLine() throws {
        func error(_ yaml: String) -> String {
            do {
                _ = try LessonSpecParser.parse(yaml: yaml, file: "lesson.yaml", name: "x")
                return "no error"
            } catch { return "\(error)" }
        }
        let models = generator + "\n" + discriminator
        XCTAssertEqual(error(lesson(models)), "no error")
        let zero = error(lesson(models, training: "{loss: binary_cross_entropy, optimizer: adam, d_steps: 0}"))
        XCTAssertTrue(zero.hasPrefix("lesson.yaml:7: training.d_steps: 0 discriminator updates"), zero)
        let mse = error(lesson(models, training: "{loss: mse, optimizer: adam}"))
        XCTAssertTrue(mse.contains("training.loss") && mse.contains("binary_cross_entropy"), mse)
        let missing = error(lesson(generator))
        XCTAssertTrue(missing.contains("discriminator"), missing)
        let notGAN = error("title: t\nsummary: s\ndata: {dataset: ring}\nmodel: {layers: [{type: Dense, units: 2}]}\n"
                           + "training: {loss: softmax_cross_entropy, optimizer: adam, d_steps: 2}\n")
        XCTAssertTrue(notGAN.contains("'d_steps' is for a GAN"), notGAN)
        let both = error("title: t\nsummary: s\ndata: {dataset: ring}\nmodel: {layers: [{type: Dense, units: 2}]}\n"
                         + "models:\n" + models + "\ntraining: {loss: binary_cross_entropy, optimizer: adam}\n")
        XCTAssertTrue(both.contains("give one of them"), both)
    }

    /// Shapes are known once the data is: the run fails with one line naming the model and both shapes.
    func testShapeMistakesFailTheRunNamingTheModelsAndShapes() throws {
        let catalog = FileManager.default.temporaryDirectory.appendingPathComponent("gan-lessons-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: catalog) }
        // A lesson outside the checkout is named by its whole path.
        let badFile = catalog.appendingPathComponent("bad/lesson.yaml").path
        func run(_ models: String) -> String {
            let folder = catalog.appendingPathComponent("bad")
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? lesson(models).write(to: folder.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
            do {
                let runner = try LessonRunner(catalog: LessonCatalog(folder: catalog), name: "bad",
                                              options: LessonRunOptions(outputRoot: catalog.appendingPathComponent("out"),
                                                                        quick: true, render: false))
                _ = try runner.run()
                return "no error"
            } catch { return "\(error)" }
        }
        let wide = run("  generator: {layers: [{type: Dense, units: 3}]}\n" + discriminator)
        XCTAssertEqual(wide, badFile + ": models.generator: the generator's output is [3] per example, but "
                       + "the data (and the discriminator's input) is [2]: the generator's last layer must produce one "
                       + "data example")
        let twoLogits = run(generator + "\n  discriminator: {layers: [{type: Dense, units: 2}]}")
        XCTAssertEqual(twoLogits, badFile + ": models.discriminator: the discriminator's output is [2] per "
                       + "example, but it must end in one logit ([1]): a last Dense layer of 1 unit with no activation")
        XCTAssertFalse(FileManager.default.fileExists(atPath: catalog.appendingPathComponent("out/bad").path),
                       "no half-written run folder")
    }
}
