/// An optimizer that cannot be built or restored as asked, named by slot or value.
public enum OptimizerError: Error, CustomStringConvertible, Equatable {
    /// A checkpoint lacks state the optimizer needs, e.g. `conv1.weight.m` or `iterations`.
    case missingSlot(String)
    /// A checkpoint's slot has a different shape from the parameter it belongs to.
    case slotShapeMismatch(slot: String, expected: [Int], got: [Int])
    /// The `iterations` slot is not a non-negative whole number.
    case invalidIterations(Float)
    /// `loadState` was called before the optimizer knew its parameters.
    case notPrepared(optimizer: String)
    case invalidSchedule(LearningRateSchedule, reason: String)

    public var description: String {
        func fmt(_ s: [Int]) -> String { "[" + s.map(String.init).joined(separator: ", ") + "]" }
        switch self {
        case let .missingSlot(slot):
            return "optimizer state has no slot '\(slot)'"
        case let .slotShapeMismatch(slot, expected, got):
            return "optimizer slot '\(slot)' has shape \(fmt(got)) but its parameter has shape \(fmt(expected))"
        case let .invalidIterations(value):
            return "optimizer slot 'iterations' holds \(value), not a non-negative whole number"
        case let .notPrepared(optimizer):
            return "\(optimizer): call prepare(parameters) before loadState so the optimizer knows which slots to expect"
        case let .invalidSchedule(schedule, reason):
            return "invalid learning-rate schedule \(schedule): \(reason)"
        }
    }
}
