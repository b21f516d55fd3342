/// Matrix product of two rank-2 tensors: op(a)·op(b), where op transposes when asked.
/// `a` is [m, k] (or [k, m] with `transposeA`), `b` is [k, n] (or [n, k] with `transposeB`).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let n = transposeB ? b.shape[0] : b.shape[1]
    var c = Tensor(shape: [m, n])
    matmul(a, b, transposeA: transposeA, transposeB: transposeB, into: &c, accumulate: false)
    _ = k
    return c
}

/// c = op(a)·op(b), or c += op(a)·op(b) when `accumulate`.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                   into c: inout Tensor, accumulate: Bool) {
    precondition(a.rank == 2 && b.rank == 2 && c.rank == 2, "matmul needs rank-2 tensors")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(k == kb && c.shape == [m, n],
                 "matmul: op(a) \(m)×\(k), op(b) \(kb)×\(n), c \(c.shape)")
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            c.scalars.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                              c: pc.baseAddress!, ldc: n, accumulate: accumulate)
            }
        }
    }
}
