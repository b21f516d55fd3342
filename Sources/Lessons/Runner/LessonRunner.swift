import Foundation
import NeuralNet
import Tensor
import Trace

/// Runs one lesson end to end: data, model, training with a trace, evaluation,
/// then figures, gallery page and handout, all into `output/NAME/`.
///
/// ```swift
/// let runner = try LessonRunner(catalog: .locate(), name: "cnn-mnist",
///                               options: LessonRunOptions(outputRoot: URL(fileURLWithPath: "output")))
/// let summary = try runner.run()
/// ```
public final class LessonRunner {
    public let spec: LessonSpec
    public let lessonFolder: URL
    public let options: LessonRunOptions
    /// Progress after each training step / epoch, for the command line's display.
    public var onStep: ((StepProgress) -> Void)?
    public var onEpoch: ((NeuralNet.EpochMetrics) -> Void)?
    /// One line of news per phase ("loaded 4000 training images in 0.02 s").
    public var log: (String) -> Void = { _ in }

    public init(catalog: LessonCatalog, name: String, options: LessonRunOptions) throws {
        self.spec = try catalog.spec(name)
        self.lessonFolder = try catalog.lessonFolder(name)
        self.options = options
    }

    /// Training settings after the command line's overrides and `--quick`.
    public var training: TrainingSpec {
        var t = spec.training
        if let e = options.epochs { t.epochs = e }
        if let b = options.batchSize { t.batchSize = b }
        if let lr = options.learningRate { t.learningRate = lr }
        if let s = options.seed { t.seed = s }
        if options.quick && options.epochs == nil { t.epochs = 1 }
        return t
    }

    /// Loads the training and test sets (a quick run keeps a stratified-enough prefix of a shuffle).
    func loadData() throws -> DatasetSplit {
        let dataset = options.dataset ?? spec.data.dataset
        let source = try options.dataFolder.map { DatasetSource(dataset: dataset, folder: $0) }
            ?? DatasetSource.standard(dataset)
        var split = try source.load()
        if options.quick {
            let seed = training.seed
            split.train = split.train.subset(Array(shuffledIndices(count: split.train.count, seed: seed, name: "quick-train", index: 0)
                .prefix(spec.data.quickExamples)))
            split.test = split.test.subset(Array(shuffledIndices(count: split.test.count, seed: seed, name: "quick-test", index: 0)
                .prefix(max(100, spec.data.quickExamples / 4))))
        }
        return split
    }

    public func run() throws -> LessonRunSummary {
        let t = training
        guard t.epochs >= 1, t.batchSize >= 1 else {
            throw LessonRunError.invalidOption("--epochs and --batch-size must be at least 1")
        }
        let policy = try RecordPolicy(parsing: options.record ?? spec.record)
        var clock = PhaseClock()
        let split = try loadData()
        clock.finish("data")
        log("data: \(split.train.count) training and \(split.test.count) test examples "
            + String(format: "(%.2f s)", clock.seconds["data"]!))

        let out = try OutputFolder(root: options.outputRoot, name: spec.name)
        defer { out.discard() }   // after a failure; a committed run has no staging folder left
        let traceFolder = out.staging.appendingPathComponent("trace", isDirectory: true)
        let (trainer, writer) = try makeTrainer(t, split: split, traceFolder: traceFolder, policy: policy)
        let (train, validation) = spec.data.validationSplit.map { split.train.split(validationFraction: $0, seed: t.seed) }
            ?? (split.train, split.test)
        var history = TrainingHistory()
        var diverged: TrainingError?
        do {
            history = try trainer.fit(train, validation: validation)
        } catch let error as TrainingError {
            guard case .diverged = error else { throw error }
            diverged = error
        }
        try writer.finish()
        clock.finish("training")
        log("trace: \(TraceSizeEstimate.format(writer.bytesWritten)) written")

        let test = diverged == nil ? try trainer.evaluate(split.test) : nil
        if diverged == nil {
            try Self.evaluationRecord(model: trainer.model, test: split.test,
                                      probabilities: t.loss == "softmax_cross_entropy").write(toTrace: traceFolder)
        }
        clock.finish("evaluation")
        let figures = options.render
            ? try FigureRenderer.render(traceFolder: traceFolder, figures: spec.figures, into: out.staging, warn: log) : []
        clock.finish("figures")
        let summary = LessonRunSummary(
            lesson: spec.name, title: spec.title, dataset: (options.dataset ?? spec.data.dataset).rawValue,
            trainExamples: train.count, testExamples: split.test.count, epochs: t.epochs, batchSize: t.batchSize,
            learningRate: Double(trainer.optimizer.learningRate), seed: t.seed, threads: WorkerPool.shared.threads,
            steps: trainer.step, testLoss: test?.loss, testAccuracy: test?.accuracy, history: history.epochs,
            divergence: diverged?.description, phaseSeconds: clock.seconds, traceBytes: writer.bytesWritten,
            figures: figures)
        let published = try publish(summary, out, &clock)
        // A diverged run keeps its trace and figures, and still ends in an error.
        if let diverged { throw diverged }
        return published
    }

    /// The model, optimizer and trainer of this run, with a trace writer attached
    /// and the probe batch set; prints the trace's expected size.
    func makeTrainer(_ t: TrainingSpec, split: DatasetSplit, traceFolder: URL,
                     policy: RecordPolicy) throws -> (Trainer, TraceWriter) {
        let model = try ModelFactory.model(spec, inputShape: split.train.exampleShape, seed: t.seed)
        let stepsPerEpoch = (split.train.count + t.batchSize - 1) / t.batchSize
        let trainer = Trainer(model: model, loss: ModelFactory.loss(t.loss),
                              optimizer: ModelFactory.optimizer(t, learningRate: nil, totalSteps: stepsPerEpoch * t.epochs),
                              options: TrainingOptions(epochs: t.epochs, batchSize: t.batchSize, seed: t.seed,
                                                       l2: t.l2.map { L2(lambda: Float($0)) },
                                                       earlyStopping: t.earlyStoppingPatience.map { EarlyStopping(patience: $0) }))
        trainer.onStep = onStep
        trainer.onEpoch = onEpoch
        let writer = try TraceWriter(directory: traceFolder, run: runInfo(model, t), policy: policy)
        trainer.recorder = writer
        let probe = Self.probe(from: split.test)
        trainer.probe = probe
        let estimate = policy.expectedSize(totalSteps: stepsPerEpoch * t.epochs, epochs: t.epochs,
                                           tensorsPerStep: Self.tracedTensorCount(model),
                                           fullTensorBytesPerStep: Self.fullTensorBytes(model, probe: probe.inputs.shape[0]))
        log("trace: policy \(policy), expected size \(estimate)")
        return (trainer, writer)
    }

    /// Writes summary, handout and gallery page into the staging folder, moves it
    /// into place, updates the gallery index, and rewrites the summary with the
    /// time of every phase.
    func publish(_ summary: LessonRunSummary, _ out: OutputFolder, _ clock: inout PhaseClock) throws -> LessonRunSummary {
        var summary = summary
        try writeSummary(summary, to: out.staging)
        if options.render {
            try Handout.write(spec: spec, summary: summary, lessonFolder: lessonFolder, runFolder: out.staging)
            clock.finish("handout")
            try GalleryPage.write(spec: spec, summary: summary, lessonFolder: lessonFolder, runFolder: out.staging)
        }
        try out.commit()
        if options.render { try GalleryIndex.write(outputRoot: options.outputRoot) }
        clock.finish("gallery")
        summary.phaseSeconds = clock.seconds
        try writeSummary(summary, to: out.final)
        return summary
    }

    func writeSummary(_ summary: LessonRunSummary, to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: folder.appendingPathComponent("summary.json"), options: .atomic)
    }
}

/// Wall-clock seconds per named phase.
struct PhaseClock {
    private var last = Date()
    private(set) var seconds: [String: Double] = [:]

    mutating func finish(_ phase: String) {
        let now = Date()
        seconds[phase, default: 0] += now.timeIntervalSince(last)
        last = now
    }
}
