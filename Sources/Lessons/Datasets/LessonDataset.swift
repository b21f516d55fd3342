import NeuralNet

/// Every dataset a lesson (or `--dataset`) can name: the image sets read from
/// IDX files and the synthetic sets drawn from formulas.
public enum LessonDataset: Equatable, Sendable, CustomStringConvertible {
    case image(ImageDataset)
    case synthetic(SyntheticDataset)

    public static var allCases: [LessonDataset] {
        ImageDataset.allCases.map(LessonDataset.image) + SyntheticDataset.allCases.map(LessonDataset.synthetic)
    }

    public static var names: [String] { allCases.map(\.name) }

    public init?(name: String) {
        if let image = ImageDataset(rawValue: name) {
            self = .image(image)
        } else if let synthetic = SyntheticDataset(rawValue: name) {
            self = .synthetic(synthetic)
        } else {
            return nil
        }
    }

    /// The name lesson files and the command line use: `mnist`, `spirals`.
    public var name: String {
        switch self {
        case let .image(d): return d.rawValue
        case let .synthetic(d): return d.rawValue
        }
    }

    public var description: String { name }

    public var isRegression: Bool {
        if case let .synthetic(d) = self { return d.isRegression }
        return false
    }
}
