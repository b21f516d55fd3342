/// Values that differ from a tensor's at a few positions: a second tensor described by
/// the first and its differences, without a copy of the whole.
///
/// A max pooling over a ReLU's output sends its gradient on as dL/dz (the ReLU's mask
/// applied); the dL/dx a recorder keeps beside it differs only where a window's maximum
/// was a zeroed unit, where dL/dx holds the window's dL/dy and dL/dz a zero. Those few
/// positions, not a second 5 MB tensor, are what the recorder needs for its statistics.
/// Indices are distinct; `applied(to:)` builds the whole tensor where one
/// is kept.
public struct TensorPatches: Sendable, Equatable {
    /// Flat indices into the patched tensor.
    public let indices: [Int32]
    /// The patched tensor's value at each index.
    public let values: [Float]

    public init(indices: [Int32], values: [Float]) {
        precondition(indices.count == values.count, "TensorPatches: \(indices.count) indices, \(values.count) values")
        self.indices = indices
        self.values = values
    }

    public var isEmpty: Bool { indices.isEmpty }

    /// `base` with every patched position set to its value.
    public func applied(to base: Tensor) -> Tensor {
        var scalars = base.scalars
        for (i, v) in zip(indices, values) { scalars[Int(i)] = v }
        return Tensor(shape: base.shape, scalars: scalars)
    }
}
