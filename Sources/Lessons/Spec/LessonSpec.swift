import NeuralNet
import Tensor
import Trace

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
    /// The lesson file as errors name it: `lessons/NAME/lesson.yaml` for a bundled lesson,
    /// the path the user gave for their own.
    public var file: String = "lesson.yaml"
    public var title: String
    public var summary: String
    public var level: LessonLevel
    /// Estimated minutes for a default run on a laptop.
    public var minutes: Int
    public var goals: [String]
    public var data: DataSpec
    public var layers: [LayerSpec]
    public var training: TrainingSpec
    /// Which steps keep full tensors (`record: first=5,every=100,epoch-end`; `--record` overrides it).
    public var record: RecordPolicy
    public var figures: [FigureSpec]
    /// Name of the main run in comparisons with the variants.
    public var baseline: String
    public var variants: [VariantSpec]
    /// The learning-rate × batch-size grid whose runs are among `variants`.
    public var sweep: SweepSpec? = nil
    /// Markdown files shown in order beside the figures.
    public var narrative: [String]
    public var exercises: String?
    /// The main run's model when it is Word2Vec (`model: {word2vec: ...}`); `layers` is then empty.
    public var word2vec: Word2VecSpec? = nil
    /// The main run's two models when it is a GAN (`models: {generator: ..., discriminator: ...}`);
    /// `layers` is then empty.
    public var gan: GANSpec? = nil
}

/// Which data a lesson trains on.
public struct DataSpec: Sendable, Equatable {
    public var dataset: LessonDataset
    /// Training and test examples drawn from a synthetic dataset.
    public var examples: Int
    public var testExamples: Int
    /// Standard deviation of a synthetic dataset's noise; nil: the dataset's default.
    public var noise: Double?
    /// Fraction of the training set held out for validation; nil: validate on the test set.
    public var validationSplit: Double?
    /// Training examples used with `--quick`.
    public var quickExamples: Int
    /// How inputs are rescaled; nil: the dataset's standard (`NormalizationMethod.standard`).
    public var normalize: NormalizationMethod? = nil
    /// How sequence data is cut (sequence datasets only).
    public var sequence: SequenceSpec? = nil
}

/// One layer of a lesson's model. Also the layer list of `model.json`, so a case's
/// shape is a file format: new associated values are optional, so that files written
/// before them still decode.
public enum LayerSpec: Codable, Sendable, Equatable {
    case conv2D(filters: Int, kernel: Int, stride: Int, padding: Padding, activation: ActivationName, initializer: Initializer)
    /// `weights` (inputs × units, Keras's layout) and `bias` (units), when the lesson
    /// gives them, replace the initializer's starting values.
    /// `unitsFromVocabulary` (`units: vocabulary` in the file): one unit per token of the
    /// data's vocabulary, filled in by `resolved(vocabulary:)` before the model is built.
    case dense(units: Int, activation: ActivationName, initializer: Initializer, weights: [[Double]]? = nil,
               bias: [Double]? = nil, unitsFromVocabulary: Bool? = nil)
    case maxPool2D(size: Int, stride: Int?)
    case flatten
    /// Each example to `targetShape` (same number of values), e.g. a dense generator's
    /// 784 outputs to a `[28, 28, 1]` image.
    case reshape(targetShape: [Int])
    case dropout(rate: Double)
    /// `alpha` is LeakyReLU's slope for x < 0 (nil: Keras's 0.3); other types take none.
    case activation(ActivationLayerType, alpha: Double? = nil)
    case softmax
    /// Token ids to vectors; `vocabulary` nil: the data's vocabulary size (`resolved(vocabulary:)`).
    case embedding(vocabulary: Int?, dimension: Int, maskZero: Bool)
    /// `recurrentGain` scales the orthogonal recurrent kernel at the start (Keras's
    /// `Orthogonal(gain=…)`; nil: 1).
    case recurrent(RecurrentType, units: Int, returnSequences: Bool, recurrentGain: Double? = nil)
    /// `epsilon` nil: Keras's 1e-3.
    case layerNorm(epsilon: Double? = nil)
    /// Positions added to a sequence: fixed sinusoids or a learned table of `context` rows.
    case positionalEncoding(PositionalEncoding.Kind, context: Int)
    /// Self-attention with Keras's weights; a padding mask comes from the layers before it.
    case multiHeadAttention(heads: Int, keySize: Int, causal: Bool, dropout: Double)
    /// A pre-LayerNorm block; `keySize` nil: d_model / heads.
    case transformerBlock(heads: Int, keySize: Int?, feedForward: Int, causal: Bool, dropout: Double)
}

extension LayerSpec {
    /// Whether the layer's size is the data's vocabulary, still to be filled in.
    public var needsVocabulary: Bool {
        switch self {
        case let .embedding(vocabulary, _, _): return vocabulary == nil
        case let .dense(units, _, _, _, _, fromVocabulary): return fromVocabulary == true && units == 0
        case .conv2D, .maxPool2D, .flatten, .reshape, .dropout, .activation, .softmax, .recurrent, .layerNorm,
             .positionalEncoding, .multiHeadAttention, .transformerBlock:
            return false
        }
    }

    /// The layer with the data's vocabulary size put where the lesson asked for it.
    public func resolved(vocabulary: Int) -> LayerSpec {
        switch self {
        case let .embedding(nil, dimension, maskZero):
            return .embedding(vocabulary: vocabulary, dimension: dimension, maskZero: maskZero)
        case let .dense(_, activation, initializer, weights, bias, true):
            return .dense(units: vocabulary, activation: activation, initializer: initializer, weights: weights, bias: bias,
                          unitsFromVocabulary: true)
        case .conv2D, .dense, .maxPool2D, .flatten, .reshape, .dropout, .activation, .softmax, .embedding, .recurrent,
             .layerNorm, .positionalEncoding, .multiHeadAttention, .transformerBlock:
            return self
        }
    }
}

/// Loss, optimizer and the training loop's settings.
public struct TrainingSpec: Sendable, Equatable {
    public var loss: LossName
    public var optimizer: OptimizerName
    public var learningRate: Double?
    public var momentum: Double
    public var schedule: ScheduleName
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64
    public var l2: Double?
    public var earlyStoppingPatience: Int?
    /// Clip the gradients to this global norm (`clip_norm:`); nil: no clipping.
    public var clipNorm: Double? = nil
    /// A GAN's discriminator updates per generator update (`d_steps`, k); nil: 1.
    public var discriminatorSteps: Int? = nil
    /// A GAN's one-sided label smoothing s (`label_smoothing`): real examples labelled 1 − s; nil: 0.
    public var labelSmoothing: Double? = nil
    /// Adam's β1 (`beta1`); nil: Keras's 0.9. GANs usually take 0.5 (Radford et al. 2015).
    public var beta1: Double? = nil
}

/// A figure to draw, with its caption for the gallery and handout.
public struct FigureSpec: Sendable, Equatable {
    /// The plot (`filters`, `curves`, `decision-boundary`), drawn by `PlotCatalog.plot(_:)`.
    public var plot: PlotName
    public var caption: String
    /// Whether the handout shows it (the gallery shows all).
    public var handout: Bool
    /// The plot's own settings from the lesson file (`steps: [0, 100, 500]`), as
    /// text: a scalar is one element, a list its elements in order.
    public var options: [String: [String]]
    /// The name a narrative marker `{{figure: ID}}` places the figure by: the lesson
    /// file's `id:`, or the plot's name, with `-2`, `-3` … for its later uses in a lesson
    /// (`compare-curves`, `compare-curves-2`).
    public var id: String

    public init(plot: PlotName, caption: String, handout: Bool = true, options: [String: [String]] = [:],
                id: String? = nil) {
        self.plot = plot
        self.caption = caption
        self.handout = handout
        self.options = options
        self.id = id ?? plot.rawValue
    }
}

/// Another run of the same lesson with some settings changed (another optimizer,
/// a wider model, L2 on), trained after the main run and compared with it by
/// figures that take every run (`compare-curves`). Its trace goes to
/// `variants/NAME/trace/`.
///
/// ```yaml
/// variants:
///   - {name: sgd, training: {optimizer: sgd, learning_rate: 0.1}}
///   - {name: wide, model: {layers: [{type: Dense, units: 64, activation: relu}, {type: Dense, units: 2}]}}
/// ```
public struct VariantSpec: Sendable, Equatable {
    /// A short name, also its folder: letters, digits, `-`, `_`, `.` and `=`.
    public var name: String
    public var training: TrainingSpec
    public var layers: [LayerSpec]
    public var data: DataSpec
    /// The variant's model when it is Word2Vec; `layers` is then empty.
    public var word2vec: Word2VecSpec? = nil
    /// The variant's models when it is a GAN; `layers` is then empty.
    public var gan: GANSpec? = nil
}
