import Tensor

/// The per-parameter buffers an optimizer carries between updates, and its update count.
///
/// Each parameter gets one zero-initialised buffer per slot kind (Adam: `m`
/// and `v`), stored under `"<parameter>.<kind>"`, the key checkpoints use. An
/// update `take`s a buffer out, changes it in place and `put`s it back, so a
/// buffer is never shared and never copied.
struct OptimizerSlots {
    let optimizer: String
    let kinds: [String]
    private(set) var iterations = 0
    private var shapes: [String: [Int]] = [:]
    private var buffers: [String: [Float]] = [:]

    init(optimizer: String, kinds: [String]) {
        self.optimizer = optimizer
        self.kinds = kinds
    }

    static func key(_ parameter: String, _ kind: String) -> String { "\(parameter).\(kind)" }

    mutating func prepare(_ parameters: [Parameter]) {
        for p in parameters where shapes[p.name] == nil {
            shapes[p.name] = p.shape
            for kind in kinds {
                buffers[Self.key(p.name, kind)] = [Float](repeating: 0, count: p.value.count)
            }
        }
    }

    /// Removes `kind`'s buffer of `parameter` for an in-place update; `put` returns it.
    mutating func take(_ kind: String, of parameter: Parameter) -> [Float] {
        guard let buffer = buffers.removeValue(forKey: Self.key(parameter.name, kind)) else {
            preconditionFailure("\(optimizer): two parameters named \(parameter.name) in one update")
        }
        return buffer
    }

    mutating func put(_ buffer: [Float], _ kind: String, of parameter: Parameter) {
        buffers[Self.key(parameter.name, kind)] = buffer
    }

    mutating func countUpdate() { iterations += 1 }

    func state() -> [String: Tensor] {
        var state = ["iterations": Tensor(scalar: Float(iterations))]
        for (name, shape) in shapes {
            for kind in kinds {
                let key = Self.key(name, kind)
                state[key] = Tensor(shape: shape, scalars: buffers[key]!)
            }
        }
        return state
    }

    /// Checks every slot before changing anything, so a bad checkpoint leaves the optimizer as it was.
    mutating func load(_ state: [String: Tensor]) throws {
        guard let count = state["iterations"] else { throw OptimizerError.missingSlot("iterations") }
        guard count.count == 1, let value = count.scalars.first, value >= 0, value == value.rounded() else {
            throw OptimizerError.invalidIterations(count.scalars.first ?? .nan)
        }
        if !kinds.isEmpty && shapes.isEmpty { throw OptimizerError.notPrepared(optimizer: optimizer) }
        var loaded: [String: [Float]] = [:]
        for (name, shape) in shapes.sorted(by: { $0.key < $1.key }) {
            for kind in kinds {
                let key = Self.key(name, kind)
                guard let slot = state[key] else { throw OptimizerError.missingSlot(key) }
                guard slot.shape == shape else {
                    throw OptimizerError.slotShapeMismatch(slot: key, expected: shape, got: slot.shape)
                }
                loaded[key] = slot.scalars
            }
        }
        buffers = loaded
        iterations = Int(value)
    }
}
