import NeuralNet

/// Every dataset a lesson (or `--dataset`) can name: the image sets read from
/// IDX files and the synthetic sets drawn from formulas — plus examples written
/// out in the lesson file itself (`inline`), which only a lesson can give.
public enum LessonDataset: Equatable, Sendable, CustomStringConvertible {
    case image(ImageDataset)
    case synthetic(SyntheticDataset)
    case inline(InlineExamples)
    case sequence(SequenceDataset)

    public static var allCases: [LessonDataset] {
        ImageDataset.allCases.map(LessonDataset.image) + SyntheticDataset.allCases.map(LessonDataset.synthetic)
            + SequenceDataset.allCases.map(LessonDataset.sequence)
    }

    /// Names `--dataset` accepts (`inline` is not one: its examples live in a lesson file).
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
        }
    }

    public var description: String { name }

    /// What one example of the dataset is called in reports: `sequences` for sequence
    /// data (their accuracy counts steps), `examples` otherwise.
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
        }
    }
}
