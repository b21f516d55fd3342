import Foundation
import NeuralNet
import Render
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The workflow lesson: inputs normalised with training-set statistics that the
/// trained model keeps, train/validation/test kept apart, a learning-rate ×
/// batch-size sweep expanded into runs and read back as a grid, and the trained
/// model used on new inputs (IDX files and PNG images) exactly as it was trained.
final class WorkflowLessonTests: XCTestCase {
    /// One quick run of the real lesson, shared by the tests that read its output.
    static let run = Result { try LessonQuickRun("workflow") }
    var run: LessonQuickRun { get throws { try Self.run.get() } }

    override class func tearDown() { try? run.get().remove() }

    // MARK: The lesson run

    func testQuickRunTrainsEveryRunAndDrawsEachFigure() throws {
        let run = try run
        let sweep = [0.003, 0.01, 0.03, 0.1, 0.3].flatMap { lr in [32, 128].map { "lr=\(lr)_bs=\($0)" } }
        XCTAssertEqual(run.summary.variants.map(\.name), ["scaled", "raw"] + sweep)
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-input-statistics.png", "figures/02-compare-val_accuracy.png", "figures/03-compare-loss.png",
            "figures/04-curves.png", "figures/05-sweep.png", "figures/06-confusion.png", "figures/07-mistakes.png"])
        // Quick mode keeps 300 training examples; 10 % of them are held out for validation.
        XCTAssertEqual(run.summary.trainExamples, 270)
        XCTAssertEqual(run.summary.testExamples, 100)
        XCTAssertNotNil(run.summary.history.last?.validationAccuracy)
        for variant in run.summary.variants where variant.name.hasPrefix("lr=") {
            let point = try XCTUnwrap(SweepSpec.point(inVariantNamed: variant.name))
            XCTAssertEqual(variant.learningRate, point.learningRate, accuracy: 1e-6 * point.learningRate, "as Float")
            XCTAssertEqual(variant.batchSize, point.batchSize)
        }
    }

    /// Every statistic of the three normalisation runs, and each sweep run's
    /// final validation accuracy (their full traces would only repeat the pattern).
    func testTraceSnapshot() throws {
        let run = try run
        var lines = try run.traces.filter { !$0.name.hasPrefix("lr=") }.flatMap { trace in
            try TraceSummary.statisticsLines(try TraceReader(directory: trace.folder), significantDigits: 5)
                .map { "\(trace.name) \($0)" }
        }
        for variant in run.summary.variants where variant.name.hasPrefix("lr=") {
            let accuracy = try XCTUnwrap(variant.history.last?.validationAccuracy)
            lines.append("\(variant.name) val_accuracy=\(String(format: "%.5g", accuracy))")
        }
        assertSnapshot(of: lines.joined(separator: "\n"), as: .lines, named: "workflow")
    }

    // MARK: Normalisation

    func testStandardizationUsesTheTrainingPartsStatisticsForEveryPart() throws {
        let runner = try LessonRunner(catalog: try LessonCatalog.locate(), name: "workflow",
                                      options: LessonRunOptions(outputRoot: FileManager.default.temporaryDirectory,
                                                                quick: true))
        let plan = runner.plans[0]
        XCTAssertEqual(plan.data.normalize, .standardize)
        let (split, validation, normalization) = try runner.prepareData(plan)
        let train = try XCTUnwrap(channelMoments(split.train.inputs).first)
        XCTAssertEqual(train.mean, 0, accuracy: 1e-5)
        XCTAssertEqual(train.std, 1, accuracy: 1e-5)
        // The held-out parts are mapped with the training part's μ and σ, so theirs are near 0 and 1, not equal.
        let loaded = try runner.loadData(plan.data, seed: plan.training.seed)
        XCTAssertEqual(split.test.inputs, normalization.apply(loaded.test.inputs))
        let test = try XCTUnwrap(channelMoments(split.test.inputs).first)
        XCTAssertNotEqual(test.mean, 0, accuracy: 1e-4)
        XCTAssertEqual(test.mean, 0, accuracy: 0.2)
        XCTAssertEqual(validation?.count, 30)
        // The model kept beside the trace carries the same map, for `learn predict`.
        let stored = try ModelArchitecture.read(from: try run.runFolder.appendingPathComponent("trace"))
        XCTAssertEqual(stored.normalization, normalization)
        XCTAssertEqual(normalization.offset[0], 0.13, accuracy: 0.02, "MNIST's famous mean ≈ 0.1307")
        XCTAssertEqual(1 / normalization.factor[0], 0.31, accuracy: 0.02, "and its std ≈ 0.3081")
    }

    func testEachMethodIsTheAffineMapItsNameSays() throws {
        // Two examples of two channels: channel 0 holds 1 and 3 (μ 2, σ 1), channel 1 holds 5 and 5 (σ 0).
        let x = Tensor(shape: [2, 2], scalars: [1, 5, 3, 5])
        let standard = try InputNormalization.fitted(.standardize, to: x, images: false)
        XCTAssertEqual(standard.offset, [2, 5])
        XCTAssertEqual(standard.factor, [1, 1], "a constant channel is only centred")
        XCTAssertEqual(standard.apply(x).scalars, [-1, 0, 1, 0])
        let pixels = Tensor(shape: [1, 2, 1, 1], scalars: [0, 1])
        XCTAssertEqual(try InputNormalization.fitted(.none, to: pixels, images: true).apply(pixels).scalars, [0, 255],
                       "none gives back the bytes stored in the file")
        XCTAssertTrue(try InputNormalization.fitted(.scale, to: pixels, images: true).isIdentity,
                      "the loaders already divide by 255")
        XCTAssertThrowsError(try InputNormalization.fitted(.scale, to: x, images: false))
        let yaml = "title: T\nsummary: S\ndata: {dataset: moons, normalize: scale}\nmodel: {layers: [{type: Dense, units: 2}]}\n"
            + "training: {loss: softmax_cross_entropy, optimizer: sgd}\n"
        XCTAssertThrowsError(try LessonSpecParser.parse(yaml: yaml, file: "lesson.yaml", name: "t")) { error in
            XCTAssertTrue("\(error)".contains("lesson.yaml:3: data.normalize: 'scale' divides pixel values by 255"), "\(error)")
        }
    }

    func testInputStatisticsFigureReadsTheTrainingBatchesOfEachRun() throws {
        let run = try run
        let figures = { (folder: String) in try TraceFigures(traceFolder: run.runFolder.appendingPathComponent(folder)) }
        let standardized = try InputValueSummary(trace: try figures("trace"))
        XCTAssertEqual(standardized.mean, 0, accuracy: 0.05)
        XCTAssertEqual(standardized.std, 1, accuracy: 0.05)
        let scaled = try InputValueSummary(trace: try figures("variants/scaled/trace"))
        let raw = try InputValueSummary(trace: try figures("variants/raw/trace"))
        XCTAssertEqual(raw.mean, 255 * scaled.mean, accuracy: 1e-3 * raw.mean, "the same batches, in bytes")
        XCTAssertEqual(raw.std, 255 * scaled.std, accuracy: 1e-3 * raw.std)
        XCTAssertEqual(raw.edges.first!, 0, accuracy: 1e-3)
        XCTAssertEqual(raw.edges.last!, 255, accuracy: 1e-3)
        XCTAssertEqual(raw.fractions.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(raw.fractions[0], 0.5, "most MNIST pixels are black background")
    }

    // MARK: The sweep

    func testSweepExpandsIntoOneNamedVariantPerPoint() throws {
        let spec = try LessonCatalog.locate().spec("workflow")
        let sweep = try XCTUnwrap(spec.sweep)
        XCTAssertEqual(sweep.learningRates, [0.003, 0.01, 0.03, 0.1, 0.3])
        XCTAssertEqual(sweep.batchSizes, [32, 128])
        let runs = spec.variants.filter { SweepSpec.point(inVariantNamed: $0.name) != nil }
        XCTAssertEqual(runs.count, 10)
        XCTAssertEqual(runs.first?.name, "lr=0.003_bs=32")
        XCTAssertEqual(runs.last?.name, "lr=0.3_bs=128")
        for variant in runs {
            let point = SweepSpec.point(inVariantNamed: variant.name)!
            XCTAssertEqual(variant.training.learningRate, point.learningRate)
            XCTAssertEqual(variant.training.batchSize, point.batchSize)
            XCTAssertEqual(variant.training.epochs, 2, "the sweep's own epochs")
            XCTAssertEqual(variant.training.optimizer, spec.training.optimizer, "everything else is the main run's")
            XCTAssertEqual(variant.data, spec.data)
            XCTAssertEqual(variant.layers, spec.layers)
        }
        XCTAssertNil(SweepSpec.point(inVariantNamed: "raw"))
        XCTAssertNil(SweepSpec.point(inVariantNamed: "lr=0.10_bs=32"), "only the spelling the sweep writes")
    }

    func testSweepMistakesAreReportedWithTheirKey() throws {
        let base = "title: T\nsummary: S\ndata: {dataset: moons}\nmodel: {layers: [{type: Dense, units: 2}]}\n"
            + "training: {loss: softmax_cross_entropy, optimizer: sgd}\n"
        let cases = [
            ("sweep: {learning_rate: [0.1, 0.1], batch_size: 8}", "sweep.learning_rate: a learning rate appears twice"),
            ("sweep: {learning_rate: 0.1, batch_size: []}", "sweep.batch_size: a sweep needs at least one value"),
            ("sweep: {learning_rate: 0.1}", "missing required key 'batch_size'"),
            ("variants: [{name: lr=0.1_bs=8}]\nsweep: {learning_rate: 0.1, batch_size: 8}", "has the name of a variant"),
        ]
        for (yaml, message) in cases {
            XCTAssertThrowsError(try LessonSpecParser.parse(yaml: base + yaml, file: "lesson.yaml", name: "t")) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
        let one = try LessonSpecParser.parse(yaml: base + "sweep: {learning_rate: 0.1, batch_size: 8}", file: "l", name: "t")
        XCTAssertEqual(one.variants.map(\.name), ["lr=0.1_bs=8"])
    }

    func testSweepGridHoldsEachRunsFinalValidationAccuracy() throws {
        let run = try run
        let runs = try run.traces.map { (name: $0.name, figures: try TraceFigures(traceFolder: $0.folder)) }
        let grid = try SweepGrid(runs: runs, metric: .validationAccuracy)
        XCTAssertEqual(grid.learningRates, [0.003, 0.01, 0.03, 0.1, 0.3])
        XCTAssertEqual(grid.batchSizes, [32, 128])
        XCTAssertEqual(grid.runCount, 10)
        for variant in run.summary.variants {
            guard let point = SweepSpec.point(inVariantNamed: variant.name) else { continue }
            let row = grid.learningRates.firstIndex(of: point.learningRate)!, column = grid.batchSizes.firstIndex(of: point.batchSize)!
            // The cell prints as the runs table prints the run's accuracy (one rounding rule).
            let cell = grid.table.values[row * 2 + column]
            XCTAssertEqual(cell, 100 * variant.history.last!.validationAccuracy!, accuracy: 0.05)
            XCTAssertEqual(Ticks.fixed(Double(cell), decimals: 1) + " %", KeyResults.accuracy(variant.history.last!.validationAccuracy))
        }
        XCTAssertThrowsError(try SweepGrid(runs: Array(runs.prefix(3)), metric: .validationAccuracy), "no sweep runs among them")
    }

    /// The console's variant lines give what the runs table gives: a sweep run's validation
    /// figures and never its test accuracy (the test set is for the chosen run only).
    func testConsoleReportsSweepRunsByValidationOnly() throws {
        let run = try run
        let spec = try LessonCatalog.locate().spec("workflow")
        let lines = RunsConsoleLines.variants(spec: spec, summary: run.summary)
        XCTAssertEqual(lines.count, run.summary.variants.count)
        for (line, variant) in zip(lines, run.summary.variants) {
            XCTAssertTrue(line.hasPrefix("variant \(variant.name): "), line)
            XCTAssertFalse(line.contains("test"), line)
            guard variant.divergence == nil else { continue }
            let kept = variant.restoredEpoch.flatMap { e in variant.history.first { $0.epoch == e } } ?? variant.history.last
            XCTAssertTrue(line.contains("validation accuracy \(KeyResults.accuracy(kept?.validationAccuracy))"), line)
        }
    }

    // MARK: Prediction

    func testPredictionOnAnIDXFileIsTheModelsSoftmaxOnNormalisedInputs() throws {
        let run = try run
        let predictor = try Predictor(runFolder: run.runFolder)
        let file = try BundledData.folder().appendingPathComponent("t10k-images-idx3-ubyte.gz")
        let answers = try predictor.predict(idxImagesAt: file, start: 95, count: 10,
                                            labelsURL: try BundledData.folder().appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        XCTAssertEqual(answers.map(\.input).first, "t10k-images-idx3-ubyte.gz #95")
        XCTAssertEqual(answers.map(\.label), Array(repeating: "0" as String?, count: 5) + Array(repeating: "1", count: 5),
                       "the bundled test file is sorted by class, 100 of each")
        // The same numbers by hand: the trained model of the trace, the stored normalisation, a softmax.
        let model = try TraceFigures(traceFolder: run.runFolder.appendingPathComponent("trace")).model()
        let images = try IDXFile.images(at: file).slice(95..<105)
        let stored = try ModelArchitecture.read(from: run.runFolder.appendingPathComponent("trace")).normalization!
        let expected = softmax(try model.predict(stored.apply(images)))
        XCTAssertEqual(answers.flatMap(\.probabilities), expected.scalars)
        XCTAssertEqual(answers.map(\.predictedClass), predictedClasses(expected))
        for answer in answers { XCTAssertEqual(answer.probabilities.reduce(0, +), 1, accuracy: 1e-5) }
    }

    func testPNGOfATestDigitIsPredictedLikeItsTensor() throws {
        let run = try run
        let predictor = try Predictor(runFolder: run.runFolder)
        let images = try IDXFile.images(at: try BundledData.folder().appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        let folder = run.outputRoot.appendingPathComponent("png")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in [5, 230, 777] {
            let digit = images.slice(index)
            let onTensor = try predictor.predict(digit.reshaped([1, 28, 28, 1]), names: ["tensor"])[0]
            // As MNIST stores it (white on black, 28×28), and as someone draws it (black on white, 4× larger).
            for (name, inverted, scale) in [("plain", false, 1), ("drawn", true, 4)] {
                let path = folder.appendingPathComponent("\(index)-\(name).png").path
                try DigitPicture(grey: digit.scalars, side: 28, inverted: inverted).writePNG(to: path, width: Double(28 * scale), scale: 1)
                let onPNG = try predictor.predict(pngAt: path, frameDigit: false)
                XCTAssertEqual(onPNG.predictedClass, onTensor.predictedClass, "digit \(index), \(name)")
                for (p, q) in zip(onPNG.probabilities, onTensor.probabilities) { XCTAssertEqual(p, q, accuracy: 1e-3) }
                XCTAssertEqual(onPNG.note, inverted ? "inverted: dark ink on a light background" : nil)
            }
        }
    }

    func testFramingCentresTheInkAndABlankImageIsAnError() throws {
        // A 3×3 blob in the corner of a 60×60 black image ends up 20×20 around the middle of 28×28.
        var grey = [Float](repeating: 0, count: 60 * 60)
        for y in 2..<5 { for x in 50..<53 { grey[y * 60 + x] = 1 } }
        let framed = try XCTUnwrap(ImageInput.framed(grey, width: 60, height: 60, toWidth: 28, toHeight: 28))
        let ink = framed.indices.filter { framed[$0] > 0.5 }
        XCTAssertEqual(ink.count, 400)
        XCTAssertEqual(Set(ink.map { $0 % 28 }), Set(4..<24))
        XCTAssertEqual(Set(ink.map { $0 / 28 }), Set(4..<24))
        XCTAssertNil(ImageInput.framed([Float](repeating: 0.1, count: 100), width: 10, height: 10, toWidth: 28, toHeight: 28))
        // Area averaging: a 2×2 block becomes its mean; the same size is the identity.
        XCTAssertEqual(areaResample([0, 1, 1, 0], width: 2, height: 2, toWidth: 1, toHeight: 1), [0.5])
        XCTAssertEqual(areaResample([0.25, 0.5, 0.75], width: 3, height: 1, toWidth: 3, toHeight: 1), [0.25, 0.5, 0.75])
    }

    func testPredictorErrorsSayWhatIsWrong() throws {
        let run = try run
        XCTAssertThrowsError(try Predictor(runFolder: run.outputRoot.appendingPathComponent("nothing"))) { error in
            XCTAssertEqual(error as? PredictionError, .noRunFolder(run.outputRoot.appendingPathComponent("nothing").path))
        }
        XCTAssertThrowsError(try Predictor(runFolder: run.runFolder.appendingPathComponent("figures"))) { error in
            XCTAssertTrue("\(error)".contains("no trained model"), "\(error)")
        }
        let predictor = try Predictor(runFolder: run.runFolder)
        XCTAssertThrowsError(try predictor.predict(Tensor(shape: [1, 32, 32, 1]), names: ["x"])) { error in
            XCTAssertEqual(error as? PredictionError, .wrongShape(found: [32, 32, 1], expected: [28, 28, 1]))
        }
        let notPNG = run.runFolder.appendingPathComponent("summary.json").path
        XCTAssertThrowsError(try predictor.predict(pngAt: notPNG, frameDigit: false)) { error in
            XCTAssertEqual(error as? PredictionError, .unreadableImage(notPNG, reason: "not a readable PNG"))
        }
    }
}

/// A grey image drawn edge to edge, one square per pixel: how a test turns a
/// digit into a PNG file, as a person's drawing would arrive.
private struct DigitPicture: Figure {
    let grey: [Float]
    let side: Int
    let inverted: Bool

    func height(forWidth width: Double, theme: Theme) -> Double { width }

    func draw(on canvas: Canvas, in frame: Rect) throws {
        let colors = grey.map { v -> Color in
            let g = Double(inverted ? 1 - v : v)
            return Color(red: g, green: g, blue: g)
        }
        try canvas.image(colors, width: side, height: side, in: frame)
    }
}
