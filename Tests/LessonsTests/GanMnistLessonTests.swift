import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The `gan-mnist` lesson: a dense GAN on the bundled digits, pixels in [−1, 1] and a
/// tanh generator reshaped to [28, 28, 1]; its image figures, `learn generate` on an
/// image GAN, pixel distances, and the mistakes of an image GAN's lesson file.
final class GanMnistLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("gan-mnist", epochs: 2) } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testQuickRunDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertNil(run.summary.testLoss, "a GAN has no test set")
        XCTAssertEqual(run.summary.figures.filter(\.handout).map(\.file),
                       ["figures/01-gan-samples.png", "figures/02-gan-losses.png", "figures/03-gan-nearest.png",
                        "figures/04-gan-diversity.png"])
        let samples = try XCTUnwrap(run.summary.figures.first { $0.id == "gan-samples" })
        XCTAssertEqual((samples.frames ?? []).map(\.label), ["start", "epoch 1", "epoch 2"],
                       "a frame at the start and at the end of each of the 2 epochs")
        assertSnapshot(of: try run.traceText(), as: .lines, named: "gan-mnist")
    }

    func testProbeSamplesAreImagesInTheTanhRangeAndTheTrainingSetIsKept() throws {
        let run = try quickRun()
        let trace = run.runFolder.appendingPathComponent("trace")
        let gan = try GANTrace(try TraceFigures(traceFolder: trace))
        XCTAssertEqual(gan.architecture.dataShape, [28, 28, 1])
        XCTAssertEqual(gan.architecture.normalization?.method, .symmetric)
        let samples = try gan.samples(atStep: gan.probeSteps.last!)
        XCTAssertEqual(samples.shape, [64, 28, 28, 1])
        XCTAssertTrue(samples.scalars.allSatisfy { $0 >= -1 && $0 <= 1 }, "tanh output")
        let record = try XCTUnwrap(try TrainingSetRecord.read(fromTrace: trace))
        XCTAssertEqual(record.inputs.shape, [256, 28, 28, 1])
        XCTAssertEqual(record.inputs.scalars.min(), -1, "pixels mapped to [−1, 1]")
        XCTAssertEqual(record.inputs.scalars.max(), 1)
        XCTAssertEqual(gan.architecture.pixels(record.inputs).scalars.min(), 0, "undone for pictures")
    }

    func testGenerateDrawsAGridOfImagesTheSameForTheSameSeed() throws {
        let run = try quickRun()
        let sampler = try GANSampler(runFolder: run.runFolder)
        let a = try sampler.samples(count: 12, seed: 5)
        XCTAssertEqual(a.shape, [12, 28, 28, 1])
        XCTAssertEqual(a, try sampler.samples(count: 12, seed: 5))
        XCTAssertNotEqual(a, try sampler.samples(count: 12, seed: 6))
        let figure = try sampler.figure(count: 12, seed: 5)
        let mosaic = try XCTUnwrap(figure as? ImageMosaic)
        XCTAssertEqual(mosaic.images.count, 12)
        XCTAssertEqual(mosaic.columns, 4, "about square")
        XCTAssertTrue(mosaic.images.allSatisfy { $0.values.allSatisfy { $0 >= 0 && $0 <= 1 } }, "pixels, not tanh values")
        XCTAssertGreaterThan(try figure.pngData().count, 1000)
    }

    func testPixelDistancesMatchTheirDefinition() {
        // Three 2-pixel "images": (0, 0), (1, 0), (1, 1).
        let set = Tensor(shape: [3, 1, 2, 1], scalars: [0, 0, 1, 0, 1, 1])
        let d = PixelDistances(set)
        let query = Tensor(shape: [1, 1, 2, 1], scalars: [0.9, 0.2])
        let nearest = d.nearest(query)[0]
        XCTAssertEqual(nearest.index, 1)
        XCTAssertEqual(nearest.distance, (0.01 + 0.04).squareRoot(), accuracy: 1e-5)
        XCTAssertEqual(d.nearest(set, excluding: [0, 1, 2]).map(\.index), [1, 0, 1], "itself excluded; ties to the first")
        // Pairs: 1, √2, 1.
        XCTAssertEqual(PixelDistances.meanPairwise(set), (2 + 2.0.squareRoot()) / 3, accuracy: 1e-5)
    }

    private func lesson(_ models: String, training: String = "{loss: binary_cross_entropy, optimizer: adam}") -> String {
        "title: t\nsummary: s\ndata: {dataset: mnist, quick_examples: 64, normalize: symmetric}\nmodels:\n\(models)\n"
            + "training: \(training)\n"
    }

    private let generator = "  generator: {layers: [{type: Dense, units: 784, activation: tanh}, "
        + "{type: Reshape, target_shape: [28, 28, 1]}]}"
    private let discriminator = "  discriminator: {layers: [{type: Flatten}, {type: Dense, units: 1}]}"

    /// The three mistakes of the issue: G's output is not an image of the data's shape, D
    /// does not end in one logit, `d_steps: 0`; each one `error:` line naming models and shapes.
    func testImageGANMistakesNameTheModelsAndShapes() throws {
        let catalog = FileManager.default.temporaryDirectory.appendingPathComponent("gan-mnist-bad-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: catalog) }
        // A lesson outside the checkout is named by its whole path.
        let badFile = catalog.appendingPathComponent("bad/lesson.yaml").path
        func run(_ yaml: String) -> String {
            let folder = catalog.appendingPathComponent("bad")
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? yaml.write(to: folder.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
            do {
                let runner = try LessonRunner(catalog: LessonCatalog(folder: catalog), name: "bad",
                                              options: LessonRunOptions(outputRoot: catalog.appendingPathComponent("out"),
                                                                        quick: true, render: false))
                _ = try runner.run()
                return "no error"
            } catch { return "\(error)" }
        }
        let flat = run(lesson("  generator: {layers: [{type: Dense, units: 784, activation: tanh}]}\n" + discriminator))
        XCTAssertEqual(flat, badFile + ": models.generator: the generator's output is [784] per example, but "
                       + "the data (and the discriminator's input) is [28, 28, 1]: the generator's last layer must produce "
                       + "one data example")
        let tenLogits = run(lesson(generator + "\n  discriminator: {layers: [{type: Flatten}, {type: Dense, units: 10}]}"))
        XCTAssertEqual(tenLogits, badFile + ": models.discriminator: the discriminator's output is [10] per "
                       + "example, but it must end in one logit ([1]): a last Dense layer of 1 unit with no activation")
        let zero = run(lesson(generator + "\n" + discriminator,
                              training: "{loss: binary_cross_entropy, optimizer: adam, d_steps: 0}"))
        XCTAssertTrue(zero.hasPrefix(badFile + ":7: training.d_steps: 0 discriminator updates per generator "
                                     + "update: the discriminator (models.discriminator) needs at least 1"), zero)
        let wrongReshape = run(lesson("  generator: {layers: [{type: Dense, units: 700}, "
                                      + "{type: Reshape, target_shape: [28, 28, 1]}]}\n" + discriminator))
        XCTAssertTrue(wrongReshape.contains("models.generator") && wrongReshape.contains("700 values per example cannot be "
                                                                                        + "reshaped to [28, 28, 1]"),
                      wrongReshape)
        let standardized = run(lesson(generator + "\n" + discriminator).replacingOccurrences(of: "symmetric", with: "standardize"))
        XCTAssertTrue(standardized.contains("data.normalize") && standardized.contains("symmetric"), standardized)
        XCTAssertFalse(FileManager.default.fileExists(atPath: catalog.appendingPathComponent("out/bad").path),
                       "no half-written run folder")
    }
}
