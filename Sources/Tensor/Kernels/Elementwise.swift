/// Elementwise maps written straight into fresh storage in one pass (no zero
/// fill, no copy-then-modify), so that activations and their derivatives
/// vectorise. Callers pass the math as a closure:
///
///     let y = x.mapped { max($0, 0) }                       // ReLU
///     let dx = dy.zipMapped(y) { d, y in y > 0 ? d : 0 }    // its backward pass
extension Tensor {
    /// y_i = f(x_i).
    @inlinable
    public func mapped(_ f: (Float) -> Float) -> Tensor {
        let n = count
        let out = scalars.withUnsafeBufferPointer { src in
            [Float](unsafeUninitializedCapacity: n) { dst, initialized in
                for i in 0..<n { dst[i] = f(src[i]) }
                initialized = n
            }
        }
        return Tensor(shape: shape, scalars: out)
    }

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
