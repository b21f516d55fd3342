/// Elementwise maps written straight into fresh storage in one pass (no zero
/// fill, no copy-then-modify), so that activations and their derivatives
/// vectorise. Callers pass the math as a closure:
///
///     y.mapInPlace { max($0, 0) }                           // ReLU
///     let dx = dy.zipMapped(y) { d, y in y > 0 ? d : 0 }    // its backward pass
extension Tensor {
    /// y_i = f(self_i, other_i) for two tensors of the same shape.
    @inlinable
    public func zipMapped(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(other.count == count, "zipMapped: \(shape) vs \(other.shape)")
        let n = count
        let out = scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                [Float](unsafeUninitializedCapacity: n) { dst, initialized in
                    for i in 0..<n { dst[i] = f(a[i], b[i]) }
                    initialized = n
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}

extension Tensor {
    /// x_i ← f(x_i) in place: no new storage when the tensor's storage is not shared.
    @inlinable
    public mutating func mapInPlace(_ f: (Float) -> Float) {
        let n = count
        scalars.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i] = f(p[i]) }
        }
    }
}
