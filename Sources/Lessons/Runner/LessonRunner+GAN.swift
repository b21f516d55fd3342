import Foundation
import NeuralNet
import Tensor
import Trace

extension LessonRunner {
    /// Generated samples in a GAN's probe: many for points (they are drawn as a cloud and
    /// modes are counted from them), few for images.
    static func ganProbeCount(dataShape: [Int]) -> Int { dataShape.reduce(1, *) <= 16 ? 512 : 64 }

    /// Trains a GAN with `AdversarialTrainer` on the training part of the run's data (a
    /// GAN has no test set), mapped by the lesson's `normalize` (pixels to [−1, 1] for a
    /// tanh generator with `symmetric`; points as they are): the trace (both models' weights,
    /// gradients and updates per step, `loss_d`, `loss_g`, `d_real`, `d_fake`, and at the
    /// policy's steps the generated samples of a fixed noise batch), and beside it the two
    /// models and the map (`gan.json`, `model.safetensors`) and the real examples
    /// (`training-set.safetensors`, images with their labels).
    func trainGAN(_ plan: RunPlan, _ gan: GANSpec, in root: URL, policy: RecordPolicy,
                  clock: inout PhaseClock) throws -> TrainedRun {
        let t = plan.training
        currentRunEpochs = t.epochs
        let loaded = try loadData(plan.data, seed: t.seed).train
        let dataset = options.dataset ?? plan.data.dataset
        let images = dataset.isImages
        let normalization = try InputNormalization.fitted(plan.data.normalize ?? .standard(for: dataset),
                                                          to: loaded.inputs, images: images)
        let data = normalization.apply(loaded)
        clock.finish("data")
        log("data: \(data.count) training examples (a GAN has no test set)")
        let dataShape = data.exampleShape
        let (generator, discriminator) = try ganModels(gan, dataShape: dataShape, seed: t.seed, plan: plan)
        let options = AdversarialOptions(epochs: t.epochs, batchSize: t.batchSize, discriminatorSteps: t.discriminatorSteps ?? 1,
                                         labelSmoothing: Float(t.labelSmoothing ?? 0), noiseSize: gan.noiseSize,
                                         noise: gan.noise, seed: t.seed)
        let batches = (data.count + t.batchSize - 1) / t.batchSize
        let steps = (batches + options.discriminatorSteps - 1) / options.discriminatorSteps * t.epochs
        let trainer: AdversarialTrainer
        do {
            trainer = try AdversarialTrainer(
                generator: generator, discriminator: discriminator,
                generatorOptimizer: ModelFactory.optimizer(t, learningRate: gan.generatorLearningRate, totalSteps: steps),
                discriminatorOptimizer: ModelFactory.optimizer(t, learningRate: gan.discriminatorLearningRate,
                                                               totalSteps: steps * options.discriminatorSteps),
                options: options)
        } catch let error as AdversarialError {
            throw ganError(plan, error)
        }
        trainer.onStep = onStep
        trainer.onEpoch = onEpoch
        trainer.probeNoise = trainer.noise(Self.ganProbeCount(dataShape: dataShape), stream: "noise-probe", index: 0)
        let traceFolder = root.appendingPathComponent(plan.folder, isDirectory: true)
        let writer = try TraceWriter(directory: traceFolder, run: ganRunInfo(plan, gan, generator, discriminator),
                                     policy: policy)
        trainer.recorder = writer
        let parameters = (generator.parameters + discriminator.parameters).map { $0.value.count }.reduce(0, +)
        let estimate = policy.expectedSize(totalSteps: steps, epochs: t.epochs,
                                           tensorsPerStep: Self.tracedTensorCount(generator) + Self.tracedTensorCount(discriminator),
                                           fullTensorBytesPerStep: 4 * 3 * parameters)
        log("trace: policy \(policy), expected size \(estimate)")
        let (history, diverged) = try training(plan, writer) { try trainer.fit(data.inputs) }
        try TrainingSetRecord(inputs: data.inputs, labels: data.isRegression ? nil : data.labels, targets: nil)
            .write(toTrace: traceFolder)
        clock.finish("training")
        let late = trainer.results.suffix(max(1, trainer.results.count / 10))
        func mean(_ value: (AdversarialStepResult) -> Float) -> Double {
            late.map { Double(value($0)) }.reduce(0, +) / Double(max(late.count, 1))
        }
        var result = AdversarialResult(
            generatorLearningRate: Double(trainer.generatorOptimizer.learningRate),
            discriminatorLearningRate: Double(trainer.discriminatorOptimizer.learningRate),
            discriminatorSteps: options.discriminatorSteps, averagedSteps: late.count,
            lossD: mean(\.discriminatorLoss), lossG: mean(\.generatorLoss), dReal: mean(\.discriminatorReal),
            dFake: mean(\.discriminatorFake))
        if diverged == nil, case .synthetic(.ring) = plan.data.dataset, let probe = trainer.probeNoise {
            let ring = ModeCoverage(centres: SyntheticDataset.ringCentres, sigma: plan.data.noise ?? SyntheticDataset.ring.defaultNoise)
            let samples = try trainer.generate(probe)
            (result.modesCovered, result.modes, result.onModes) = (ring.covered(samples), ring.centres.count, ring.onModes(samples))
            log("\(plan.name): after training the generator covers \(ring.covered(samples)) of 8 modes, "
                + String(format: "%.0f %% of its samples within 3σ of one", 100 * ring.onModes(samples)))
        }
        if diverged == nil {
            try GANArchitecture(gan: gan, dataShape: dataShape, normalization: normalization.isIdentity ? nil : normalization)
                .write(generator: generator, discriminator: discriminator,
                                                                      to: traceFolder,
                                                                      metadata: ["lesson": spec.name, "run": plan.name,
                                                                                 "step": "\(trainer.step)"])
        }
        clock.finish("evaluation")
        return TrainedRun(plan: plan, traceFolder: traceFolder, steps: trainer.step,
                          learningRate: Double(trainer.generatorOptimizer.learningRate),
                          dataset: plan.data.dataset, trainExamples: data.count, testExamples: 0, history: history,
                          test: nil, diverged: diverged, traceBytes: writer.bytesWritten, adversarial: result)
    }

    /// The generator (input: the noise) and the discriminator (input: one data example),
    /// named so that their layers are `generator.dense1`, `discriminator.dense1`; a layer
    /// that does not fit is an error naming the model, the layer and the shapes.
    func ganModels(_ gan: GANSpec, dataShape: [Int], seed: UInt64, plan: RunPlan) throws -> (Sequential, Sequential) {
        func build(_ layers: [LayerSpec], name: String, input: [Int], what: String) throws -> Sequential {
            do {
                return try Sequential(inputShape: input, seed: seed, layers.map(ModelFactory.layer), name: name)
            } catch let error as LayerError {
                throw LessonError.spec(file: spec.file, line: nil, key: "models.\(name)",
                                       message: "the \(name) takes \(what) \(input): \(error)", hint: nil)
            }
        }
        let g = try build(gan.generator, name: GANSpec.generatorName, input: [gan.noiseSize], what: "the noise")
        let d = try build(gan.discriminator, name: GANSpec.discriminatorName, input: dataShape, what: "one data example")
        do {
            try AdversarialTrainer.check(generator: g, discriminator: d, dataShape: dataShape,
                                         options: AdversarialOptions(discriminatorSteps: plan.training.discriminatorSteps ?? 1,
                                                                     noiseSize: gan.noiseSize))
        } catch let error as AdversarialError {
            throw ganError(plan, error)
        }
        return (g, d)
    }

    /// An `AdversarialError` as a lesson-file error on the `models` of the run.
    func ganError(_ plan: RunPlan, _ error: AdversarialError) -> LessonError {
        let key: String
        switch error {
        case .noiseShape, .generatorOutput: key = "models.generator"
        case .discriminatorOutput: key = "models.discriminator"
        case .invalidOption: key = "training"
        }
        let run = plan.folder == "trace" ? "" : " (variant \(plan.name))"
        return LessonError.spec(file: spec.file, line: nil, key: key,
                                message: error.description + run, hint: nil)
    }

    /// The run as the manifest records it: the generator's layers, then the discriminator's.
    func ganRunInfo(_ plan: RunPlan, _ gan: GANSpec, _ generator: Sequential, _ discriminator: Sequential) -> TraceRunInfo {
        let t = plan.training
        let layers = (generator.summary + discriminator.summary).map { l in
            LayerDescription(name: l.name, type: l.kind, outputShape: l.outputShape,
                             parameters: l.parameters.map { ParameterDescription(name: $0.name, shape: $0.shape) })
        }
        func rate(_ r: Double?) -> String { (r ?? t.learningRate).map { "\($0)" } ?? "default" }
        var hyper = ["loss": t.loss.rawValue, "optimizer": t.optimizer.rawValue, "epochs": "\(t.epochs)",
                     "batch_size": "\(t.batchSize)", "learning_rate": rate(nil),
                     "learning_rate_g": rate(gan.generatorLearningRate), "learning_rate_d": rate(gan.discriminatorLearningRate),
                     "schedule": t.schedule.rawValue, "dataset": plan.data.dataset.name, "run": plan.name,
                     "d_steps": "\(t.discriminatorSteps ?? 1)", "label_smoothing": "\(t.labelSmoothing ?? 0)",
                     "noise_size": "\(gan.noiseSize)", "noise_distribution": gan.noise.rawValue]
        if let beta1 = t.beta1 { hyper["beta1"] = "\(beta1)" }
        if case let .synthetic(set) = plan.data.dataset { hyper["data_noise"] = "\(plan.data.noise ?? set.defaultNoise)" }
        if options.quick { hyper["quick"] = "true" }
        return TraceRunInfo(lesson: spec.name, model: ModelDescription(layers: layers), hyperparameters: hyper,
                            seed: t.seed, threads: WorkerPool.shared.threads, toolVersion: learnVersion)
    }
}

extension GANArchitecture {
    /// Writes `gan.json` and both models' parameters (`model.safetensors`) into `folder`.
    public func write(generator: Sequential, discriminator: Sequential, to folder: URL, metadata: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
        try Checkpoint.save(generator.stateDict().merging(discriminator.stateDict()) { a, _ in a }, metadata: metadata,
                            to: folder.appendingPathComponent(ModelArchitecture.weightsFileName))
    }

    /// The architecture stored in `folder`, or nil when the run there is not a GAN.
    public static func read(from folder: URL) throws -> GANArchitecture? {
        let url = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else { return nil }
        do {
            return try JSONDecoder().decode(GANArchitecture.self, from: data)
        } catch {
            throw LessonError.invalidFile(url.path, reason: "not a GAN description written by learn (\(error))")
        }
    }

    /// Untrained models of this architecture (parameters are set afterwards).
    public func models() throws -> (generator: Sequential, discriminator: Sequential) {
        (try Sequential(inputShape: [gan.noiseSize], seed: 0, gan.generator.map(ModelFactory.layer), name: GANSpec.generatorName),
         try Sequential(inputShape: dataShape, seed: 0, gan.discriminator.map(ModelFactory.layer),
                        name: GANSpec.discriminatorName))
    }

    /// Both models with the final parameters stored in `folder`.
    public func trainedModels(in folder: URL) throws -> (generator: Sequential, discriminator: Sequential) {
        let (g, d) = try models()
        let state = try Checkpoint.load(from: folder.appendingPathComponent(ModelArchitecture.weightsFileName)).tensors
        try g.loadStateDict(state)
        try d.loadStateDict(state)
        return (g, d)
    }
}
