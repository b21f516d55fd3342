/// The products of multi-head attention, one GEMM per sequence and head, read and
/// written in place: queries, keys and values are `[batch, time, heads, size]` (the
/// rows of one head are strided by heads·size), scores and weights `[batch, heads,
/// time, time]`. So Q_bh·K_bhᵀ, P_bh·V_bh and their gradients need no copy into
/// per-head matrices.
///
/// The batch·heads products are independent blocks that the cores take in parallel,
/// each one serial GEMM of a shape that does not depend on the thread count: the
/// result is bit-identical for any thread count.
public enum HeadMatMul {
    /// Where the matrix of head h of sequence b lies in a tensor.
    public struct Layout: Sendable {
        public var batch: Int
        public var heads: Int
        /// Floats from one sequence's block to the next, and from one head's first element to the next.
        public var sequenceStride: Int
        public var headStride: Int
        /// Floats from one row to the next.
        public var rowStride: Int

        /// `[batch, time, heads, size]`: row t of head h at ((b·time + t)·heads + h)·size.
        public static func perHead(batch: Int, time: Int, heads: Int, size: Int) -> Layout {
            Layout(batch: batch, heads: heads, sequenceStride: time * heads * size, headStride: size, rowStride: heads * size)
        }

        /// `[batch, heads, time, time]`: one contiguous time × time matrix per head.
        public static func square(batch: Int, heads: Int, time: Int) -> Layout {
            Layout(batch: batch, heads: heads, sequenceStride: heads * time * time, headStride: time * time, rowStride: time)
        }

        @inline(__always)
        func offset(_ block: Int) -> Int { (block / heads) * sequenceStride + (block % heads) * headStride }
    }

    /// C_bh = op(A_bh) · op(B_bh) for every sequence b and head h, with op(A) m × k and
    /// op(B) k × n (`transposeA`: A_bh stored k × m; `transposeB`: B_bh stored n × k).
    public static func multiply(_ a: Tensor, _ aLayout: Layout, transposeA: Bool = false,
                                _ b: Tensor, _ bLayout: Layout, transposeB: Bool = false,
                                into c: inout Tensor, _ cLayout: Layout, m: Int, n: Int, k: Int) {
        let blocks = aLayout.batch * aLayout.heads
        precondition(bLayout.batch * bLayout.heads == blocks && cLayout.batch * cLayout.heads == blocks,
                     "HeadMatMul: layouts of different batch · heads")
        guard blocks > 0, m > 0, n > 0 else { return }
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    let (baseA, baseB, baseC) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    WorkerPool.shared.run(blocks: blocks) { block in
                        let cBlock = baseC + cLayout.offset(block)
                        guard k > 0 else {
                            for r in 0..<m { (cBlock + r * cLayout.rowStride).update(repeating: 0, count: n) }
                            return
                        }
                        GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                                      a: baseA + aLayout.offset(block), lda: aLayout.rowStride,
                                      b: baseB + bLayout.offset(block), ldb: bLayout.rowStride,
                                      c: cBlock, ldc: cLayout.rowStride, accumulate: false, pool: .serial)
                    }
                }
            }
        }
    }
}
