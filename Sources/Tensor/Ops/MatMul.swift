/// Matrix product of two rank-2 tensors: op(a)·op(b), where op transposes when asked.
/// `a` is [m, k] (or [k, m] with `transposeA`), `b` is [k, n] (or [n, k] with `transposeB`).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let (m, n) = productShape(a, b, transposeA, transposeB)
    // Every element is overwritten by the product, so the storage starts uninitialised.
    let scalars = [Float](unsafeUninitializedCapacity: m * n) { pc, count in
        multiply(a, b, transposeA, transposeB, into: pc.baseAddress!, accumulate: false)
        count = m * n
    }
    return Tensor(shape: [m, n], scalars: scalars)
}

/// c = op(a)·op(b), or c += op(a)·op(b) when `accumulate`.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                   into c: inout Tensor, accumulate: Bool) {
    let (m, n) = productShape(a, b, transposeA, transposeB)
    precondition(c.shape == [m, n], "matmul: op(a)·op(b) is \(m)×\(n), c is \(c.shape)")
    c.scalars.withUnsafeMutableBufferPointer { pc in
        multiply(a, b, transposeA, transposeB, into: pc.baseAddress!, accumulate: accumulate)
    }
}

/// (m, n) of op(a)·op(b), checking that the inner dimensions agree.
private func productShape(_ a: Tensor, _ b: Tensor, _ transposeA: Bool, _ transposeB: Bool) -> (Int, Int) {
    precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
    let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
    let (kb, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
    precondition(k == kb, "matmul: op(a) \(m)×\(k), op(b) \(kb)×\(n)")
    return (m, n)
}

private func multiply(_ a: Tensor, _ b: Tensor, _ transposeA: Bool, _ transposeB: Bool,
                      into c: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let (m, n) = productShape(a, b, transposeA, transposeB)
    let k = transposeA ? a.shape[0] : a.shape[1]
    guard m > 0 && n > 0 else { return }
    guard k > 0 else {  // an empty sum: storage of a or b may have no address
        if !accumulate { c.update(repeating: 0, count: m * n) }
        return
    }
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: pa.baseAddress!, lda: a.shape[1], b: pb.baseAddress!, ldb: b.shape[1],
                          c: c, ldc: n, accumulate: accumulate)
        }
    }
}


/// a·b + bias, the bias (one value per column) added to every row: a dense layer's (or
/// a recurrent layer's input projection's) pre-activation, in one sweep over the result.
public func matmul(_ a: Tensor, _ b: Tensor, addingToEveryRow bias: Tensor) -> Tensor {
    let (m, n) = productShape(a, b, false, false)
    precondition(bias.count == n, "matmul: bias \(bias.shape) for \(n) columns")
    let k = a.shape[1]
    guard m > 0 && n > 0 && k > 0 else {
        var out = Tensor(shape: [m, n])
        for i in 0..<m { for j in 0..<n { out.scalars[i * n + j] = bias.scalars[j] } }
        return out
    }
    let scalars = [Float](unsafeUninitializedCapacity: m * n) { pc, count in
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                bias.scalars.withUnsafeBufferPointer { pbias in
                    GEMM.multiply(transposeA: false, transposeB: false, m: m, n: n, k: k, a: pa.baseAddress!, lda: k,
                                  b: pb.baseAddress!, ldb: n, c: pc.baseAddress!, ldc: n, bias: pbias.baseAddress!)
                }
            }
        }
        count = m * n
    }
    return Tensor(shape: [m, n], scalars: scalars)
}
