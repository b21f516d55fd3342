/// How a `Trainer` runs: epochs, batch size, seed, regularisation, early stopping.
/// Defaults are Keras's `fit` defaults where it has them (batch 32 there; the
/// lessons set 64).
public struct TrainingOptions: Sendable {
    public var epochs: Int
    public var batchSize: Int
    /// Seeds shuffling and dropout (initialisation is seeded when the model is built).
    public var seed: UInt64
    public var shuffle: Bool
    /// L2 penalty λ·Σθ² on weights (not biases), added to the loss and gradients.
    public var l2: L2?
    public var earlyStopping: EarlyStopping?
    /// Clip the gradients by their global norm to at most this (Keras's
    /// `global_clipnorm`); nil: no clipping.
    public var clipNorm: Float?
    /// What the validation data given to `fit` is: split off the training data, or the
    /// test set (a run that holds nothing back); the per-epoch metrics take its names.
    public var heldOutSet: HeldOutSet = .validation

    public init(epochs: Int = 5, batchSize: Int = 64, seed: UInt64 = 42, shuffle: Bool = true,
                l2: L2? = nil, earlyStopping: EarlyStopping? = nil, clipNorm: Float? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
        self.shuffle = shuffle
        self.l2 = l2
        self.earlyStopping = earlyStopping
        self.clipNorm = clipNorm
    }
}

/// Stop when the validation loss has not improved by `minDelta` for `patience`
/// epochs, and (by default) put back the weights of the best epoch — Keras's
/// `EarlyStopping(monitor="val_loss", restore_best_weights=True)`.
public struct EarlyStopping: Sendable, Equatable {
    public var patience: Int
    public var minDelta: Float
    public var restoreBestWeights: Bool

    public init(patience: Int, minDelta: Float = 0, restoreBestWeights: Bool = true) {
        self.patience = patience
        self.minDelta = minDelta
        self.restoreBestWeights = restoreBestWeights
    }
}

/// The metrics of one epoch: training ones, and, when `fit` was given held-out data, the
/// loss and accuracy on it (`validationLoss`, `validationAccuracy`: on the set that
/// `heldOutSet` names, validation or test, and written under that set's names).
public struct EpochMetrics: Sendable, Equatable, Codable {
    public var epoch: Int
    public var loss: Float
    public var accuracy: Float?
    public var validationLoss: Float?
    public var validationAccuracy: Float?
    public var seconds: Double
    /// What the held-out metrics were measured on; nil: validation data.
    public var heldOutSet: HeldOutSet? = nil

    /// As scalars for a recorder: loss, accuracy, and the held-out loss and accuracy under
    /// their set's names (`val_loss` or `test_loss`, `ScalarName`).
    public var asScalars: [String: Double] {
        var s: [String: Double] = [ScalarName.loss: Double(loss)]
        let set = heldOutSet ?? .validation
        if let accuracy { s[ScalarName.accuracy] = Double(accuracy) }
        if let validationLoss { s[set.lossName] = Double(validationLoss) }
        if let validationAccuracy { s[set.accuracyName] = Double(validationAccuracy) }
        return s
    }
}

/// What `fit` did.
public struct TrainingHistory: Sendable, Equatable, Codable {
    public var epochs: [EpochMetrics] = []
    /// Total optimizer steps taken.
    public var steps = 0
    /// The epoch whose weights the model holds at the end when early stopping restored them.
    public var bestEpoch: Int?
    /// The epoch after which early stopping ended training, if it did.
    public var stoppedAfterEpoch: Int?

    public init() {}
}

/// Where training is, for progress displays.
public struct StepProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var epoch: Int
    public var epochs: Int
    public var batchInEpoch: Int
    public var batchesPerEpoch: Int
    public var loss: Float
    public var accuracy: Float?
    public var samplesPerSecond: Double
}

/// Training that cannot go on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// The loss became NaN or infinite.
    case diverged(step: Int, epoch: Int, loss: Float)
    case noExamples
    case invalidOption(String)
    /// A data set with `examples` inputs but `answers` labels or targets (`kind`).
    case countMismatch(examples: Int, answers: Int, kind: String)

    public var description: String {
        switch self {
        case let .diverged(step, epoch, loss):
            return "training diverged: the loss became \(loss) at step \(step) (epoch \(epoch + 1)); "
                + "try a smaller learning rate"
        case .noExamples:
            return "there are no training examples"
        case let .invalidOption(what):
            return what
        case let .countMismatch(examples, answers, kind):
            return "\(answers) \(kind) for \(examples) examples: every example needs exactly one"
        }
    }
}
