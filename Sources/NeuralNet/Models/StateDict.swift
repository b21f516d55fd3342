import Tensor

/// Parameters by name, for checkpoints: `conv1.weight` → its tensor.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case shapeMismatch(name: String, expected: [Int], got: [Int])

    public var description: String {
        switch self {
        case let .missing(name): return "checkpoint has no tensor '\(name)'"
        case let .shapeMismatch(name, expected, got):
            return "checkpoint tensor '\(name)' has shape \(got), the model needs \(expected)"
        }
    }
}

extension Layer {
    /// Every parameter's value by name.
    public func stateDict() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) })
    }

    /// Sets every parameter from `state`; checks all names and shapes before changing anything.
    public func loadStateDict(_ state: [String: Tensor]) throws {
        for p in parameters {
            guard let t = state[p.name] else { throw StateDictError.missing(p.name) }
            guard t.shape == p.shape else { throw StateDictError.shapeMismatch(name: p.name, expected: p.shape, got: t.shape) }
        }
        for p in parameters { p.value = state[p.name]! }
    }
}
