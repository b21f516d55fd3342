/// One product of multi-head attention, for one sequence b and head h, read and
/// written in place: queries, keys and values are `[batch, time, heads, size]` or side
/// by side `[batch, time, 3, heads, size]` (the rows of one head are strided by
/// heads·size or 3·heads·size), scores and weights `[batch, heads,
/// time, time]`. So Q_bh·K_bhᵀ, P_bh·V_bh and their gradients need no copy into
/// per-head matrices; each is one serial call of the shared GEMM, made from inside a
/// block of `AttentionKernel`'s parallel pass.
enum HeadMatMul {
    /// Where the matrix of head h of sequence b lies in a tensor.
    struct Layout {
        var heads: Int
        /// Floats from one sequence's block to the next, and from one head's first element to the next.
        var sequenceStride: Int
        var headStride: Int
        /// Floats from one row to the next.
        var rowStride: Int

        /// `[batch, time, heads, size]`: row t of head h at ((b·time + t)·heads + h)·size.
        static func perHead(time: Int, heads: Int, size: Int) -> Layout {
            Layout(heads: heads, sequenceStride: time * heads * size, headStride: size, rowStride: heads * size)
        }

        /// `[batch, time, 3, heads, size]` (Q, K, V side by side in a row): row t of head h
        /// at ((b·time + t)·3·heads + h)·size from the start of Q's, K's or V's columns.
        static func fused(time: Int, heads: Int, size: Int) -> Layout {
            Layout(heads: heads, sequenceStride: time * 3 * heads * size, headStride: size, rowStride: 3 * heads * size)
        }

        /// `[batch, heads, time, time]`: one contiguous time × time matrix per head.
        static func square(heads: Int, time: Int) -> Layout {
            Layout(heads: heads, sequenceStride: heads * time * time, headStride: time * time, rowStride: time)
        }

        /// Offset of the matrix of `block` = b·heads + h.
        @inline(__always)
        func offset(_ block: Int) -> Int { (block / heads) * sequenceStride + (block % heads) * headStride }
    }

    /// C_bh = op(A_bh) · op(B_bh) for `block` = b·heads + h, on the calling thread; op(A)
    /// m × k and op(B) k × n (`transposeA`: A_bh stored k × m; `transposeB`: B_bh stored n × k).
    /// With a `band` (a causal mask), only the part of the product that band leaves.
    @inline(__always)
    static func multiply(block: Int, _ a: UnsafePointer<Float>, _ aLayout: Layout, transposeA: Bool = false,
                         _ b: UnsafePointer<Float>, _ bLayout: Layout, transposeB: Bool = false,
                         into c: UnsafeMutablePointer<Float>, _ cLayout: Layout, m: Int, n: Int, k: Int,
                         band: GEMMCausalBand? = nil) {
        let a = a + aLayout.offset(block), b = b + bLayout.offset(block), c = c + cLayout.offset(block)
        if let band {
            return GEMM.multiply(band: band, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                 a: a, lda: aLayout.rowStride, b: b, ldb: bLayout.rowStride, c: c, ldc: cLayout.rowStride)
        }
        GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                      a: a, lda: aLayout.rowStride, b: b, ldb: bLayout.rowStride, c: c, ldc: cLayout.rowStride,
                      accumulate: false, pool: .serial)
    }
}
