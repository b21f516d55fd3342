import NeuralNet

/// A lesson as its `lesson.yaml` describes it, parsed once into typed values.
///
/// ```yaml
/// title: Convolutional networks on handwritten digits
/// summary: A small CNN learns MNIST; we look inside it.
/// level: beginner
/// minutes: 1
/// goals: [See what convolution filters learn, ...]
/// data: {dataset: mnist}
/// model:
///   layers:
///     - {type: Conv2D, filters: 32, kernel: 3, activation: relu}
///     - {type: MaxPool2D, size: 2}
///     ...
/// training: {loss: softmax_cross_entropy, optimizer: adam, epochs: 5, batch_size: 64}
/// figures:
///   - {plot: filters, caption: "..."}
/// narrative: [introduction.md]
/// exercises: exercises.md
/// ```
public struct LessonSpec: Sendable {
    public var name: String
    public var title: String
    public var summary: String
    public var level: String
    /// Estimated minutes for a default run on a laptop.
    public var minutes: Int
    public var goals: [String]
    public var data: DataSpec
    public var layers: [LayerSpec]
    public var training: TrainingSpec
    /// Record policy text (`default`, `all`, `none`, `first=5,every=100,epoch-end`).
    public var record: String
    public var figures: [FigureSpec]
    /// Markdown files shown in order beside the figures.
    public var narrative: [String]
    public var exercises: String?
}

/// Which data a lesson trains on.
public struct DataSpec: Sendable, Equatable {
    public var dataset: ImageDataset
    /// Fraction of the training set held out for validation; nil: validate on the test set.
    public var validationSplit: Double?
    /// Training examples used with `--quick`.
    public var quickExamples: Int
}

/// One layer of a lesson's model.
public enum LayerSpec: Sendable, Equatable {
    case conv2D(filters: Int, kernel: Int, stride: Int, padding: String, activation: String, initializer: String)
    case dense(units: Int, activation: String, initializer: String)
    case maxPool2D(size: Int, stride: Int?)
    case flatten
    case dropout(rate: Double)
    case activation(String)
    case softmax
}

/// Loss, optimizer and the training loop's settings.
public struct TrainingSpec: Sendable, Equatable {
    public var loss: String
    public var optimizer: String
    public var learningRate: Double?
    public var momentum: Double
    public var nesterov: Bool
    public var schedule: String
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64
    public var l2: Double?
    public var earlyStoppingPatience: Int?
}

/// A figure to draw, with its caption for the gallery and handout.
public struct FigureSpec: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case filters, featureMaps = "feature-maps", saliency, curves, confusion, mistakes
        case histograms, gradientNorms = "gradient-norms"
    }
    public var kind: Kind
    public var caption: String
    /// Whether the handout shows it (the gallery shows all).
    public var handout: Bool
}
