import NeuralNet

/// Every dataset a lesson (or `--dataset`) can name: the image sets read from
/// IDX files and the synthetic sets drawn from formulas — plus examples written
/// out in the lesson file itself (`inline`), which only a lesson can give.
public enum LessonDataset: Equatable, Sendable, CustomStringConvertible {
    case image(ImageDataset)
    case synthetic(SyntheticDataset)
    case inline(InlineExamples)
    case sequence(SequenceDataset)
    /// A CSV file of the user's (`dataset: csv`), which only a lesson can give.
    case csv(CSVDataset)
    /// A folder of the user's PNG images, a sub-folder per class (`dataset: images`).
    case imageFolder(ImageFolderDataset)

    public static var allCases: [LessonDataset] {
        ImageDataset.allCases.map(LessonDataset.image) + SyntheticDataset.allCases.map(LessonDataset.synthetic)
            + SequenceDataset.allCases.map(LessonDataset.sequence)
    }

    /// Names `--dataset` accepts (`inline`, `csv` and `images` are not: they need keys of the lesson file).
    public static var names: [String] { allCases.map(\.name) }

    public init?(name: String) {
        if let image = ImageDataset(rawValue: name) {
            self = .image(image)
        } else if let synthetic = SyntheticDataset(rawValue: name) {
            self = .synthetic(synthetic)
        } else if let sequence = SequenceDataset(rawValue: name) {
            self = .sequence(sequence)
        } else {
            return nil
        }
    }

    /// The name lesson files and the command line use: `mnist`, `spirals`.
    public var name: String {
        switch self {
        case let .image(d): return d.rawValue
        case let .synthetic(d): return d.rawValue
        case .inline: return InlineExamples.datasetName
        case let .sequence(d): return d.rawValue
        case .csv: return "csv"
        case .imageFolder: return "images"
        }
    }

    public var description: String { name }

    /// What one example of the dataset is called in reports: `sequences` for sequence
    /// data (their accuracy counts steps), `examples` otherwise.
    /// Whether the examples are pictures (pixels in [0, 1] on loading, `[N, H, W, C]`).
    public var isImages: Bool {
        switch self {
        case .image, .imageFolder: return true
        case .synthetic, .inline, .sequence, .csv: return false
        }
    }

    public var exampleNoun: String {
        if case .sequence = self { return "sequences" }
        return "examples"
    }

    public var isRegression: Bool {
        switch self {
        case .image: return false
        case let .synthetic(d): return d.isRegression
        case let .inline(examples): return examples.isRegression
        case let .sequence(d): return d == .sineWaves
        case let .csv(table): return table.isRegression
        case .imageFolder: return false
        }
    }
}
