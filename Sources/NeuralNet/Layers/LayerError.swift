/// A model that cannot run as built, named by layer and shapes.
public enum LayerError: Error, CustomStringConvertible, Equatable {
    /// The layer got per-sample shape `got` where it needs `expected`.
    case shapeMismatch(layer: String, kind: String, expected: [Int], got: [Int])
    /// The layer cannot take an input of this rank or size at all.
    case unsupportedInput(layer: String, kind: String, shape: [Int], reason: String)
    case duplicateName(String)
    /// The mask of the input's steps is not `[batch, time]` of the input.
    case maskMismatch(layer: String, kind: String, expected: [Int], got: [Int])
    /// An input that is not a token id of the layer's vocabulary (`0..<vocabulary`).
    case invalidTokenID(layer: String, value: Float, vocabulary: Int)

    public var description: String {
        func fmt(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
        switch self {
        case let .shapeMismatch(layer, kind, expected, got):
            return "layer '\(layer)' (\(kind)) expects input shape \(fmt(expected)) but got \(fmt(got))"
        case let .unsupportedInput(layer, kind, shape, reason):
            return "layer '\(layer)' (\(kind)) cannot take input shape \(fmt(shape)): \(reason)"
        case let .invalidTokenID(layer, value, vocabulary):
            return "layer '\(layer)' (Embedding) got \(value), which is not a token id in 0..<\(vocabulary)"
        case let .maskMismatch(layer, kind, expected, got):
            return "layer '\(layer)' (\(kind)) needs a mask of shape \(fmt(expected)) (batch, time) but got \(fmt(got))"
        case let .duplicateName(name):
            return "two layers are named '\(name)'; layer names must be unique"
        }
    }
}
