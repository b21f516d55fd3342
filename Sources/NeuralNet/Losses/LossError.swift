/// A prediction and a target that a loss cannot compare, named by loss and shapes.
public enum LossError: Error, CustomStringConvertible, Equatable {
    /// The target's shape (for class labels: `[label count]`) does not fit the prediction's.
    case shapeMismatch(loss: String, prediction: [Int], target: [Int])
    /// Class label `label` of example `example` is not in `0..<classes`.
    case labelOutOfRange(loss: String, label: Int, example: Int, classes: Int)
    /// The prediction cannot go into this loss at all.
    case unsupportedShape(loss: String, shape: [Int], reason: String)

    public var description: String {
        func fmt(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
        switch self {
        case let .shapeMismatch(loss, prediction, target):
            return "\(loss): prediction of shape \(fmt(prediction)) cannot be compared with target of shape \(fmt(target))"
        case let .labelOutOfRange(loss, label, example, classes):
            return "\(loss): label \(label) of example \(example) is outside the \(classes) classes 0..<\(classes)"
        case let .unsupportedShape(loss, shape, reason):
            return "\(loss): cannot take a prediction of shape \(fmt(shape)): \(reason)"
        }
    }
}
