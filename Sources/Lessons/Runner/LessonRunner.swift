import Foundation
import NeuralNet
import Tensor
import Trace

/// Runs one lesson end to end: data, model, training with a trace, evaluation —
/// for the main run and then each variant — then figures, gallery page and
/// handout, all into `output/NAME/`.
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
    /// Epochs of the run being trained (variants and sweep runs may differ from the main run).
    public internal(set) var currentRunEpochs = 0
    /// One line of news per phase ("loaded 4000 training images in 0.02 s").
    public var log: (String) -> Void = { _ in }
    /// Data already loaded, by the spec and seed it was loaded for (variants often
    /// share it; the seed draws synthetic sets and quick subsets).
    private var loaded: [(DataSpec, UInt64, DatasetSplit)] = []
    /// Data split and normalised, by the spec and seed it was made for (sweep runs share the main run's).
    private var prepared: [(DataSpec, UInt64, PreparedData)] = []

    public init(catalog: LessonCatalog, name: String, options: LessonRunOptions) throws {
        self.spec = try catalog.spec(name)
        self.lessonFolder = try catalog.lessonFolder(name)
        self.options = options
    }

    /// The main run's training settings after the command line's overrides and `--quick`.
    public var training: TrainingSpec { overridden(spec.training) }

    /// `t` with the command line's overrides, which apply to every run of the lesson.
    func overridden(_ t: TrainingSpec) -> TrainingSpec {
        var t = t
        if let e = options.epochs { t.epochs = e }
        if let b = options.batchSize { t.batchSize = b }
        if let lr = options.learningRate { t.learningRate = lr }
        if let s = options.seed { t.seed = s }
        if options.quick && options.epochs == nil { t.epochs = 1 }
        return t
    }

    /// The main run and the variants, in order, with the overrides applied.
    var plans: [RunPlan] {
        [RunPlan(name: spec.baseline, folder: "trace", training: training, layers: spec.layers, data: spec.data,
                 word2vec: spec.word2vec, gan: spec.gan)]
            + spec.variants.map { v in
                RunPlan(name: v.name, folder: "variants/\(v.name)/trace", training: overridden(v.training),
                        layers: v.layers, data: v.data, word2vec: v.word2vec, gan: v.gan)
            }
    }

    public func run() throws -> LessonRunSummary {
        let plans = self.plans
        guard plans.allSatisfy({ $0.training.epochs >= 1 && $0.training.batchSize >= 1 }) else {
            throw LessonRunError.invalidOption("--epochs and --batch-size must be at least 1")
        }
        let policy = try options.record.map(RecordPolicy.init(parsing:)) ?? spec.record
        // A figure marker naming no figure is found now, not after training.
        if options.render { _ = try LessonTexts(spec: spec, lessonFolder: lessonFolder) }
        var clock = PhaseClock()
        let out = try OutputFolder(root: options.outputRoot, name: spec.name)
        defer { out.discard() }   // after a failure; a committed run has no staging folder left
        var runs: [TrainedRun] = []
        for (i, plan) in plans.enumerated() {
            if plans.count > 1 { log("run \(i + 1)/\(plans.count): \(plan.name)") }
            runs.append(try train(plan, in: out.staging, policy: policy, clock: &clock))
        }
        let main = runs[0]
        let figures = options.render
            ? try FigureRenderer.render(traceFolder: main.traceFolder, baseline: spec.baseline,
                                        variants: runs.dropFirst().map { ($0.plan.name, $0.traceFolder) },
                                        figures: spec.figures, into: out.staging, formats: options.formats, warn: log) : []
        clock.finish("figures")
        let t = main.plan.training
        let summary = LessonRunSummary(
            lesson: spec.name, title: spec.title, dataset: main.dataset.name,
            trainExamples: main.trainExamples, testExamples: main.testExamples,
            validationExamples: main.validationExamples, epochs: t.epochs, batchSize: t.batchSize,
            learningRate: main.learningRate, seed: t.seed, threads: WorkerPool.shared.threads,
            steps: main.steps, testLoss: main.test?.loss, testAccuracy: main.test?.accuracy,
            history: main.history.epochs, restoredEpoch: main.history.bestEpoch, divergence: main.diverged?.description, phaseSeconds: clock.seconds,
            traceBytes: runs.map(\.traceBytes).reduce(0, +), figures: figures,
            variants: runs.dropFirst().map(\.result), exampleNoun: main.exampleNoun, adversarial: main.adversarial)
        let published = try publish(summary, out, &clock)
        // A diverged main run keeps its trace and figures, and still ends in an error;
        // a diverged variant is a result to look at (a learning rate too large).
        if let diverged = main.diverged { throw diverged }
        return published
    }

    /// Loads a run's training and test sets (a quick run keeps a prefix of a shuffle).
    func loadData(_ data: DataSpec, seed: UInt64) throws -> DatasetSplit {
        if let hit = loaded.first(where: { $0.0 == data && $0.1 == seed }) { return hit.2 }
        var split: DatasetSplit
        switch options.dataset ?? data.dataset {
        case let .image(dataset):
            if let folder = options.dataFolder, let own = try Self.ownImages(at: folder, for: dataset) {
                split = try own.load(folder: folder, relativeTo: lessonFolder, seed: seed)
            } else {
                let source = try options.dataFolder.map { DatasetSource(dataset: dataset, folder: $0) }
                    ?? DatasetSource.standard(dataset)
                split = try source.load()
            }
        case let .csv(table):
            split = try table.load(file: try Self.dataFile(options.dataFolder), relativeTo: lessonFolder, seed: seed)
        case let .imageFolder(images):
            split = try images.load(folder: try Self.dataFolder(options.dataFolder), relativeTo: lessonFolder, seed: seed)
        case let .synthetic(dataset):
            if let folder = options.dataFolder {
                throw LessonRunError.invalidOption("--data \(folder.path) replaces a lesson's data files, but this run uses the "
                                                   + "synthetic dataset '\(dataset.rawValue)'")
            }
            let noise = data.noise ?? dataset.defaultNoise
            split = DatasetSplit(train: try dataset.generate(count: data.examples, noise: noise, seed: seed, part: "train"),
                                 test: try dataset.generate(count: data.testExamples, noise: noise, seed: seed, part: "test"))
        case let .sequence(dataset):
            throw LessonRunError.invalidOption("'\(dataset.rawValue)' is sequence data; this lesson's model takes "
                                               + "one example at a time")
        case let .inline(examples):
            if let folder = options.dataFolder {
                throw LessonRunError.invalidOption("--data \(folder.path) replaces a lesson's data files, but this lesson gives "
                                                   + "its examples in lesson.yaml")
            }
            // A lesson that follows a few examples by hand trains and tests on exactly those.
            split = DatasetSplit(train: try examples.labeledData, test: try examples.labeledData)
        }
        if options.quick {
            split.train = split.train.subset(Array(shuffledIndices(count: split.train.count, seed: seed, name: "quick-train", index: 0)
                .prefix(data.quickExamples)))
            split.test = split.test.subset(Array(shuffledIndices(count: split.test.count, seed: seed, name: "quick-test", index: 0)
                .prefix(max(100, data.quickExamples / 4))))
        }
        loaded.append((data, seed, split))
        return split
    }

    /// Trains one run with its trace in `root/plan.folder`, evaluates it on the
    /// test set and stores the trained model beside the trace.
    func train(_ plan: RunPlan, in root: URL, policy: RecordPolicy, clock: inout PhaseClock) throws -> TrainedRun {
        if let gan = plan.gan {
            return try trainGAN(plan, gan, in: root, policy: policy, clock: &clock)
        }
        if let word2vec = plan.word2vec {
            return try trainWord2Vec(plan, word2vec, in: root, policy: policy, clock: &clock)
        }
        if case let .sequence(dataset) = options.dataset ?? plan.data.dataset {
            return try trainSequences(plan, dataset, in: root, policy: policy, clock: &clock)
        }
        let t = plan.training
        currentRunEpochs = t.epochs
        let (split, validation, normalization) = try prepareData(plan)
        clock.finish("data")
        log("data: \(split.train.count) training, \(validation.map { "\($0.count) validation, " } ?? "")"
            + "\(split.test.count) test examples")
        let traceFolder = root.appendingPathComponent(plan.folder, isDirectory: true)
        let (trainer, writer) = try makeTrainer(plan, inputShape: split.train.exampleShape, probe: Self.probe(from: split.test),
                                                trainingCount: split.train.count, traceFolder: traceFolder, policy: policy,
                                                heldOutExamples: (validation ?? split.test).count)
        let train = split.train
        let (history, diverged) = try fit(trainer, writer, train: train, validation: validation ?? split.test, plan: plan)
        try Self.trainingSetRecord(train)?.write(toTrace: traceFolder)
        clock.finish("training")
        var test: (loss: Float, accuracy: Float?)?
        if diverged == nil {
            test = try Self.lastTestValidation(history, validatedOnTest: validation == nil) ?? trainer.evaluate(split.test)
            if !split.test.isRegression {
                try Self.evaluationRecord(model: trainer.model, endsInSoftmax: plan.layers.last == .softmax,
                                          test: split.test).write(toTrace: traceFolder)
            }
            try ModelArchitecture(inputShape: split.train.exampleShape, layers: plan.layers,
                                  classNames: split.train.classNames, normalization: normalization,
                                  dataset: Self.storedDatasetName(options.dataset ?? plan.data.dataset, dataFolder: options.dataFolder),
                                  inputNames: try inputNames(options.dataset ?? plan.data.dataset))
                .write(model: trainer.model, to: traceFolder, metadata: ["lesson": spec.name, "run": plan.name,
                                                                       "step": "\(trainer.step)"])
        }
        clock.finish("evaluation")
        return TrainedRun(plan: plan, traceFolder: traceFolder, steps: trainer.step,
                          learningRate: Double(trainer.optimizer.learningRate), dataset: options.dataset ?? plan.data.dataset,
                          trainExamples: train.count, testExamples: split.test.count, validationExamples: validation?.count,
                          history: history, test: test,
                          diverged: diverged, traceBytes: writer.bytesWritten)
    }

    /// The test set's loss and accuracy as the last epoch measured them, when the epochs
    /// were validated on the test set and the weights are still that epoch's (no early
    /// stopping put back an earlier one): a second pass over the test set with the same
    /// weights would give the same numbers bit for bit, and costs as much as an epoch's
    /// validation (10 000 images for Fashion-MNIST).
    static func lastTestValidation(_ history: TrainingHistory, validatedOnTest: Bool) -> (loss: Float, accuracy: Float?)? {
        guard validatedOnTest, history.bestEpoch == nil, let last = history.epochs.last,
              let loss = last.validationLoss else { return nil }
        return (loss, last.validationAccuracy)
    }

    /// `trainer.fit` with the trace finished after it; a loss that diverged is a result
    /// (the trace up to it is kept), any other training error is thrown.
    func fit<T: TrainingExamples>(_ trainer: Trainer, _ writer: TraceWriter, train: T, validation: T,
                                  plan: RunPlan) throws -> (TrainingHistory, TrainingError?) {
        try training(plan, writer) { try trainer.fit(train, validation: validation) }
    }

    /// Runs any training loop (`fit`), then finishes the trace: a loss that diverged is a
    /// result (the trace up to it is kept), any other training error is thrown.
    func training(_ plan: RunPlan, _ writer: TraceWriter,
                  _ fit: () throws -> TrainingHistory) throws -> (TrainingHistory, TrainingError?) {
        var history = TrainingHistory()
        var diverged: TrainingError?
        do {
            history = try fit()
        } catch let error as TrainingError {
            guard case .diverged = error else { throw error }
            diverged = error
            log("\(plan.name): \(error)")
        }
        try writer.finish()
        log("trace: \(TraceSizeEstimate.format(writer.bytesWritten)) written")
        return (history, diverged)
    }

    /// A run's data as the network sees it: the training part (after holding out
    /// `validation_split`), the validation part (nil: validate on the test set)
    /// and the test set, all mapped by the normalisation fitted to the training part.
    func prepareData(_ plan: RunPlan) throws -> PreparedData {
        let seed = plan.training.seed
        if let hit = prepared.first(where: { $0.0 == plan.data && $0.1 == seed }) { return hit.2 }
        let loaded = try loadData(plan.data, seed: seed)
        var (train, validation): (LabeledData, LabeledData?) = (loaded.train, nil)
        if let fraction = plan.data.validationSplit {
            (train, validation) = loaded.train.split(validationFraction: fraction, seed: seed)
        }
        let dataset = options.dataset ?? plan.data.dataset
        let method = plan.data.normalize ?? NormalizationMethod.standard(for: dataset)
        let images = dataset.isImages
        let normalization = try InputNormalization.fitted(method, to: train.inputs, images: images)
        let result = (DatasetSplit(train: normalization.apply(train), test: normalization.apply(loaded.test)),
                      validation.map(normalization.apply), normalization)
        prepared.append((plan.data, seed, result))
        return result
    }

    /// The model, optimizer and trainer of a run, with a trace writer attached
    /// and the probe batch set; prints the trace's expected size.
    func makeTrainer(_ plan: RunPlan, inputShape: [Int], probe: (inputs: Tensor, target: LossTarget), trainingCount: Int,
                     traceFolder: URL, policy: RecordPolicy, heldOutExamples: Int? = nil) throws -> (Trainer, TraceWriter) {
        let t = plan.training
        let model = try ModelFactory.model(plan.layers, file: spec.file, inputShape: inputShape, seed: t.seed)
        let stepsPerEpoch = (trainingCount + t.batchSize - 1) / t.batchSize
        let trainer = Trainer(model: model, loss: ModelFactory.loss(t.loss),
                              optimizer: ModelFactory.optimizer(t, learningRate: nil, totalSteps: stepsPerEpoch * t.epochs),
                              options: TrainingOptions(epochs: t.epochs, batchSize: t.batchSize, seed: t.seed,
                                                       l2: t.l2.map { L2(lambda: Float($0)) },
                                                       earlyStopping: t.earlyStoppingPatience.map { EarlyStopping(patience: $0) },
                                                       clipNorm: t.clipNorm.map(Float.init)))
        trainer.options.heldOutSet = HeldOutSet(plan, dataset: options.dataset ?? plan.data.dataset)
        trainer.onStep = onStep
        trainer.onEpoch = onEpoch
        let writer = try TraceWriter(directory: traceFolder, run: runInfo(model, plan, heldOutExamples: heldOutExamples),
                                     policy: policy)
        trainer.recorder = writer
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
        try summary.write(to: out.staging)
        if options.render {
            try Handout.write(spec: spec, summary: summary, lessonFolder: lessonFolder, runFolder: out.staging)
            clock.finish("handout")
            try GalleryPage.write(spec: spec, summary: summary, lessonFolder: lessonFolder, runFolder: out.staging)
        }
        try out.commit()
        if options.render { try GalleryIndex.write(outputRoot: options.outputRoot) }
        clock.finish("gallery")
        summary.phaseSeconds = clock.seconds
        try summary.write(to: out.final)
        return summary
    }

}

/// A run's training part, validation part (nil: validate on the test set) and
/// test set, normalised, with the normalisation that was fitted to the training part.
typealias PreparedData = (split: DatasetSplit, validation: LabeledData?, normalization: InputNormalization)

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
