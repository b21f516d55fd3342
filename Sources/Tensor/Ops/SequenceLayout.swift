/// Sequence batches are `[batch, time, features]` (Keras's layout). A recurrent layer
/// works time-major, `[time · batch, features]`, so that the rows of one time step are
/// contiguous: the input projection of every step is then one GEMM, and the
/// recurrent product of step t one GEMM on rows t·B..<(t+1)·B (or a block of them).
extension Tensor {
    /// `[B, T, F…]` as time-major rows `[T · B, F]` (row t·B + b is step t of sequence b).
    public func timeMajorRows() -> Tensor {
        precondition(rank >= 2, "timeMajorRows: \(shape) has no time axis")
        let (batch, time) = (shape[0], shape[1])
        let width = shape.dropFirst(2).reduce(1, *)
        return Tensor(shape: [time * batch, width],
                      scalars: AxisSwap.swapped(scalars, outer: batch, inner: time, width: width))
    }

    /// Time-major rows `[T · B, F]` back as a batch `[B, T, F]`.
    public func batchMajor(batch: Int, time: Int) -> Tensor {
        precondition(rank == 2 && shape[0] == batch * time, "batchMajor: \(shape) is not \(time)·\(batch) rows")
        let width = shape[1]
        return Tensor(shape: [batch, time, width],
                      scalars: AxisSwap.swapped(scalars, outer: time, inner: batch, width: width))
    }

    /// Rows `block · rows ..< (block + 1) · rows` of a rank-2 tensor (one time step's rows).
    public func rowBlock(_ block: Int, rows: Int) -> Tensor {
        slice((block * rows)..<((block + 1) * rows))
    }

    /// Columns `range` of a rank-2 tensor (one gate's part of `[rows, 4·units]`).
    public func columns(_ range: Range<Int>) -> Tensor {
        precondition(rank == 2 && range.lowerBound >= 0 && range.upperBound <= shape[1])
        let (rows, width) = (shape[0], shape[1])
        var out = [Float](repeating: 0, count: rows * range.count)
        for r in 0..<rows {
            for (k, j) in range.enumerated() { out[r * range.count + k] = scalars[r * width + j] }
        }
        return Tensor(shape: [rows, range.count], scalars: out)
    }
}
