/// Why a split of a text or its cutting into training windows was refused: the
/// numbers come from a lesson file or the command line, so they are checked
/// and reported, not trapped on.
public enum TextSplitError: Error, CustomStringConvertible, Equatable {
    /// Each fraction must lie in 0...1, together they must make 1, and training must get some.
    case invalidFractions(training: Double, validation: Double, test: Double)
    /// A window needs a length and a stride of at least 1.
    case invalidWindow(length: Int, stride: Int)

    public var description: String {
        switch self {
        case let .invalidFractions(training, validation, test):
            return "split fractions training \(training), validation \(validation), test \(test): each must lie "
                + "between 0 and 1, training above 0, and together they must make 1"
        case let .invalidWindow(length, stride):
            return "windows of length \(length) with stride \(stride): both must be at least 1"
        }
    }
}
