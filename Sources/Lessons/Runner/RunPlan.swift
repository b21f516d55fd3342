import Foundation
import NeuralNet

/// One training run of a lesson — the main run or a variant — with its settings
/// after the command line's overrides, and where its trace goes in the run folder.
struct RunPlan {
    var name: String
    /// Trace folder relative to the run folder: `trace` or `variants/NAME/trace`.
    var folder: String
    var training: TrainingSpec
    var layers: [LayerSpec]
    var data: DataSpec
    /// Set for a Word2Vec run (trained by `SkipGramTrainer`, `layers` empty).
    var word2vec: Word2VecSpec? = nil
    /// Set for a GAN (trained by `AdversarialTrainer`, `layers` empty).
    var gan: GANSpec? = nil
}

/// A finished training run and what it measured, whichever loop trained it
/// (`Trainer` for a layer model, `SkipGramTrainer` for Word2Vec).
struct TrainedRun {
    let plan: RunPlan
    let traceFolder: URL
    /// Optimizer steps taken.
    let steps: Int
    /// The base learning rate the run's optimizer used.
    let learningRate: Double
    let dataset: LessonDataset
    let trainExamples: Int
    let testExamples: Int
    /// Examples the per-epoch metrics were measured on, held out of the training data;
    /// nil when a run has no validation part (its per-epoch metrics are on the test set).
    var validationExamples: Int? = nil
    let history: TrainingHistory
    let test: (loss: Float, accuracy: Float?)?
    let diverged: TrainingError?
    let traceBytes: Int
    /// What its training examples are called in reports; nil: the dataset's noun.
    var exampleNoun: String? = nil
    /// A GAN's results (it has no test set).
    var adversarial: AdversarialResult? = nil

    var result: VariantResult {
        VariantResult(name: plan.name, optimizer: plan.training.optimizer.rawValue,
                      learningRate: learningRate, batchSize: plan.training.batchSize,
                      steps: steps, testLoss: test?.loss, testAccuracy: test?.accuracy, history: history.epochs,
                      restoredEpoch: history.bestEpoch,
                      divergence: diverged?.description, traceBytes: traceBytes, adversarial: adversarial)
    }
}

/// What one variant of a lesson measured, as `summary.json` records it.
public struct VariantResult: Codable, Sendable {
    public var name: String
    public var optimizer: String
    public var learningRate: Double
    public var batchSize: Int
    public var steps: Int
    public var testLoss: Float?
    public var testAccuracy: Float?
    public var history: [NeuralNet.EpochMetrics]
    /// The epoch (0-based) whose weights early stopping put back at the end, if it did.
    public var restoredEpoch: Int? = nil
    /// Set when the variant's loss became NaN or infinite (not an error of the lesson).
    public var divergence: String?
    public var traceBytes: Int
    /// A GAN variant's results.
    public var adversarial: AdversarialResult? = nil
}

/// What a GAN run measured, as `summary.json`, the key results and the runs table give it:
/// its two learning rates and `d_steps`, the four scalars averaged over the last tenth of
/// its steps, and (for the ring) the modes its trained generator covers with the probe's noise.
public struct AdversarialResult: Codable, Sendable, Equatable {
    public var generatorLearningRate: Double
    public var discriminatorLearningRate: Double
    public var discriminatorSteps: Int
    /// Steps the means cover (the last tenth of the run).
    public var averagedSteps: Int
    public var lossD: Double
    public var lossG: Double
    public var dReal: Double
    public var dFake: Double
    public var modesCovered: Int?
    public var modes: Int?
    /// The share of samples within 3σ of a mode.
    public var onModes: Double?
}
