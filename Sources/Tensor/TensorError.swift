/// A mistake in how tensors were combined, reported with the shapes involved.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(operation: String, expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case let .shapeMismatch(operation, expected, got):
            return "\(operation): expected shape \(expected), got \(got)"
        }
    }
}
