import Foundation
import NeuralNet
import Render

/// What the command line can change about a lesson run; nil keeps the lesson's value.
public struct LessonRunOptions: Sendable {
    public var epochs: Int?
    public var batchSize: Int?
    public var learningRate: Double?
    public var seed: UInt64?
    /// A folder with the four MNIST-format IDX files, instead of the default data.
    public var dataFolder: URL?
    /// A UTF-8 text file for a text lesson, instead of the bundled corpus.
    public var textFile: URL?
    public var dataset: LessonDataset?
    /// Where `NAME/` is written (default `output/` beside `lessons/`).
    public var outputRoot: URL
    /// A short run for tests and first looks: few examples, one epoch.
    public var quick: Bool
    /// Record policy text, overriding the lesson's.
    public var record: String?
    /// Whether to draw figures, the gallery page and the handout.
    public var render: Bool
    /// The formats each figure is written in; the PNG is always written (the gallery
    /// page and the handout show it), SVG and PDF are for papers and slides.
    public var formats: [FigureFormat]

    public init(outputRoot: URL, epochs: Int? = nil, batchSize: Int? = nil, learningRate: Double? = nil,
                seed: UInt64? = nil, dataFolder: URL? = nil, dataset: LessonDataset? = nil, quick: Bool = false,
                record: String? = nil, render: Bool = true, textFile: URL? = nil,
                formats: [FigureFormat] = [.png]) {
        self.formats = formats
        self.textFile = textFile
        self.outputRoot = outputRoot
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.dataFolder = dataFolder
        self.dataset = dataset
        self.quick = quick
        self.record = record
        self.render = render
    }
}

/// What a run produced; written as `summary.json`.
public struct LessonRunSummary: Codable, Sendable {
    public var lesson: String
    public var title: String
    public var dataset: String
    public var trainExamples: Int
    public var testExamples: Int
    /// Examples held out of the training data on which the per-epoch validation metrics
    /// were measured; nil when the run held none back and measured them on the test set.
    public var validationExamples: Int? = nil
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var seed: UInt64
    public var threads: Int
    public var steps: Int
    public var testLoss: Float?
    public var testAccuracy: Float?
    public var history: [NeuralNet.EpochMetrics]
    /// The epoch (0-based) whose weights early stopping put back at the end, if it did.
    public var restoredEpoch: Int? = nil
    /// Set when training stopped because the loss became NaN or infinite.
    public var divergence: String?
    /// Seconds per phase: data, training, evaluation, trace, figures, gallery, handout.
    public var phaseSeconds: [String: Double]
    public var traceBytes: Int?
    public var figures: [RenderedFigure]
    /// The lesson's variants, in order (empty for a lesson with none).
    public var variants: [VariantResult] = []
    /// What the main run's training examples are called in reports (`words` for
    /// Word2Vec); nil: the dataset's own noun (`LessonDataset.exampleNoun`).
    public var exampleNoun: String? = nil
    /// The main run's results when it is a GAN.
    public var adversarial: AdversarialResult? = nil
    /// The model file a `learn inspect` page shows, for a model trained elsewhere (nothing was trained here).
    public var importedFrom: String? = nil
}

extension LessonRunSummary {
    /// The summary's file name in a run folder.
    public static let fileName = "summary.json"

    /// Writes `summary.json` into `folder` at once (never half-written); lesson runs and
    /// `learn inspect` both write their summary here.
    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
    }
}
