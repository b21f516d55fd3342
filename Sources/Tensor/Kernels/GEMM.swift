/// Single-precision matrix multiply: C[m×n] = op(A)·op(B) (+ C when `accumulate`).
///
/// The one GEMM of the project; dense layers, convolutions (through im2col),
/// attention and recurrent gates all call it. Row-major; `transposeA` means A is
/// stored k×m, `transposeB` means B is stored n×k. Each element of C sums over k
/// in a fixed order, and work is split only over rows and columns of C, so the
/// result does not depend on the thread count.
public enum GEMM {
    public static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool) {
        // Simple placeholder-free implementation: row blocks in parallel, i-p-j loop order.
        let rowBlock = 16
        let blocks = (m + rowBlock - 1) / rowBlock
        WorkerPool.shared.run(blocks: blocks) { blk in
            let i0 = blk * rowBlock, i1 = min(m, i0 + rowBlock)
            for i in i0..<i1 {
                let crow = c + i * ldc
                if !accumulate { for j in 0..<n { crow[j] = 0 } }
                for p in 0..<k {
                    let av = transposeA ? a[p * lda + i] : a[i * lda + p]
                    if transposeB {
                        for j in 0..<n { crow[j] += av * b[j * ldb + p] }
                    } else {
                        let brow = b + p * ldb
                        for j in 0..<n { crow[j] += av * brow[j] }
                    }
                }
            }
        }
    }
}
