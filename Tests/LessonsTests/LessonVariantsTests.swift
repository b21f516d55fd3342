import Foundation
import NeuralNet
import Tensor
import XCTest
@testable import Lessons

/// A lesson with variants runs them all after the main run, keeps each trace and
/// trained model, compares them in one figure, and reports each in the summary.
final class LessonVariantsTests: XCTestCase {
    static let yaml = """
    title: Moons with two optimizers
    summary: A small MLP on the moons, trained with Adam and with SGD.
    data: {dataset: moons, examples: 160, test_examples: 80, noise: 0.1}
    model:
      layers:
        - {type: Dense, units: 8, activation: tanh}
        - {type: Dense, units: 2}
    training: {loss: softmax_cross_entropy, optimizer: adam, learning_rate: 0.05, epochs: 3, batch_size: 16}
    record: all
    baseline: adam
    variants:
      - {name: sgd, training: {optimizer: sgd, learning_rate: 0.5}}
      - {name: wide, model: {layers: [{type: Dense, units: 32, activation: relu}, {type: Dense, units: 2}]}}
    figures:
      - {plot: compare-curves, caption: Loss of each run.}
      - {plot: compare-curves, metric: test_accuracy, runs: [sgd, adam], caption: Test accuracy.}
    """

    func makeLesson() throws -> (catalog: LessonCatalog, output: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("variants-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("lessons/moons")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.yaml.write(to: folder.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
        return (LessonCatalog(folder: root.appendingPathComponent("lessons")), root.appendingPathComponent("output"))
    }

    func testVariantsAreTrainedTracedAndCompared() throws {
        let (catalog, output) = try makeLesson()
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let summary = try LessonRunner(catalog: catalog, name: "moons", options: LessonRunOptions(outputRoot: output)).run()
        XCTAssertEqual(summary.variants.map(\.name), ["sgd", "wide"])
        XCTAssertEqual(summary.variants[0].optimizer, "sgd")
        XCTAssertEqual(summary.variants[0].learningRate, 0.5, accuracy: 1e-6)
        XCTAssertEqual(summary.variants.map(\.steps), [30, 30])   // 160 / 16 × 3 epochs each
        XCTAssertEqual(summary.figures.map(\.file), ["figures/01-compare-loss.png", "figures/02-compare-test_accuracy.png"])
        let run = output.appendingPathComponent("moons")
        for folder in ["trace", "variants/sgd/trace", "variants/wide/trace"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent("\(folder)/manifest.json").path), folder)
        }
        let page = try String(contentsOf: run.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("Runs compared"))
        XCTAssertTrue(page.contains("<td>sgd</td>") && page.contains("<td>wide</td>") && page.contains("<td>adam</td>"))
        // The wide variant's stored model is the wide architecture with its trained weights.
        let wide = try TraceFigures(traceFolder: run.appendingPathComponent("variants/wide/trace"))
        let model = try wide.model()
        XCTAssertEqual(model.parameters.map(\.shape), [[2, 32], [32], [32, 2], [2]])
        let last = wide.weightSteps.last!
        XCTAssertEqual(last, 29)
        XCTAssertNotEqual(try wide.model(atStep: last).parameters[0].value, model.parameters[0].value,
                          "step 29's weights are those before its update; the final ones come after it")
        XCTAssertEqual(try wide.model(atStep: 0).parameters[0].value,
                       try wide.reader.tensor("dense1.weight", kind: .weight, step: 0))
    }

    func testRunsWithAnotherSeedDrawAnotherSyntheticSet() throws {
        let (catalog, output) = try makeLesson()
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let runner = try LessonRunner(catalog: catalog, name: "moons", options: LessonRunOptions(outputRoot: output))
        let first = try runner.loadData(runner.spec.data, seed: 1)
        XCTAssertEqual(try runner.loadData(runner.spec.data, seed: 1).train.inputs, first.train.inputs)
        XCTAssertNotEqual(try runner.loadData(runner.spec.data, seed: 2).train.inputs, first.train.inputs)
    }

    func testVariantKeysAreCheckedAndMergedOntoTheMainRun() throws {
        let spec = try LessonSpecParser.parse(yaml: Self.yaml, file: "lesson.yaml", name: "moons")
        XCTAssertEqual(spec.variants[0].training.epochs, 3, "unchanged keys come from the main run")
        XCTAssertEqual(spec.variants[1].training.optimizer, .adam)
        XCTAssertEqual(spec.variants[1].training.learningRate, 0.05)
        let bad = Self.yaml.replacingOccurrences(of: "{optimizer: sgd, learning_rate: 0.5}", with: "{optimiser: sgd}")
        XCTAssertThrowsError(try LessonSpecParser.parse(yaml: bad, file: "lesson.yaml", name: "moons")) { error in
            XCTAssertTrue("\(error)".contains("variants[0].training.optimiser: unknown key"), "\(error)")
            XCTAssertTrue("\(error)".contains("did you mean 'optimizer'"), "\(error)")
        }
        let twice = Self.yaml.replacingOccurrences(of: "name: wide", with: "name: sgd")
        XCTAssertThrowsError(try LessonSpecParser.parse(yaml: twice, file: "lesson.yaml", name: "moons")) { error in
            XCTAssertTrue("\(error)".contains("two variants are called 'sgd'"), "\(error)")
        }
        let badOption = Self.yaml.replacingOccurrences(of: "metric: test_accuracy", with: "metric: val_acc")
        XCTAssertThrowsError(try LessonSpecParser.parse(yaml: badOption, file: "lesson.yaml", name: "moons")) { error in
            XCTAssertTrue("\(error)".contains("figures[1].metric: unknown value 'val_acc'"), "\(error)")
        }
    }

    func testSyntheticDatasetsAreDeterministicBalancedAndDistinctPerPart() throws {
        for dataset in SyntheticDataset.allCases {
            let a = try dataset.generate(count: 90, noise: 0.05, seed: 7, part: "train")
            XCTAssertEqual(a.inputs, try dataset.generate(count: 90, noise: 0.05, seed: 7, part: "train").inputs)
            XCTAssertNotEqual(a.inputs, try dataset.generate(count: 90, noise: 0.05, seed: 7, part: "test").inputs)
            if dataset.isRegression {
                XCTAssertEqual(a.targets?.shape, [90, 1])
                let residual = zip(a.inputs.scalars, a.targets!.scalars).map { Double($1 - sin($0)) }
                XCTAssertLessThan(residual.map { $0 * $0 }.reduce(0, +) / 90, 0.05 * 0.05 * 2)
            } else {
                XCTAssertNil(a.targets)
                let counts = (0..<dataset.classNames.count).map { c in a.labels.filter { $0 == c }.count }
                XCTAssertLessThanOrEqual(counts.max()! - counts.min()!, dataset == .xor ? 30 : 1, "\(dataset)")
            }
        }
        // XOR labels follow the quadrant of the noiseless point: with no noise, sign(x·y) decides.
        let xor = try SyntheticDataset.xor.generate(count: 200, noise: 0, seed: 1, part: "train")
        for i in 0..<200 {
            XCTAssertEqual(xor.labels[i], xor.inputs.scalars[2 * i] * xor.inputs.scalars[2 * i + 1] < 0 ? 1 : 0)
        }
    }
}
