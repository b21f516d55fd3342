/// Scaled dot-product attention of every sequence and head of a batch, forward and
/// backward, on Q, K, V side by side in one tensor `[batch, time, 3, heads, size]` (rows
/// `[batch · time, 3 · heads · size]`, as the fused projection x·[W_q W_k W_v] writes
/// them) and scores and weights `[batch, heads, time, time]`.
/// The formulas are written out in `ScaledDotProductAttention`; here, each pass is one
/// parallel region whose blocks are the batch·heads pairs (b, h), and each block runs
/// its products (`HeadMatMul`, serial GEMMs) and softmax rows (`MaskedSoftmaxKernel`)
/// back to back while its time × time matrices are in cache:
///
///     forward:   S = Q·Kᵀ → s = S/√d, p = masked softmax, p̃ = dropout(p) → O = p̃·V
///     backward:  dV = p̃ᵀ·dO,  dp̃ = dO·Vᵀ → dS (in dp̃'s place) → dQ = dS·K,  dK = dSᵀ·Q
///
/// Under a causal mask each product skips what the mask zeroes (`GEMMCausalBand`: the
/// tiles right of the diagonal, the depth past or before it) and each softmax row stops
/// at the diagonal's group of eight keys, about half the work, with the same values.
///
/// A block writes only its own head's rows and matrices, in an order that does not
/// depend on the thread count: the results are bit-identical for any thread count.
/// Every output element is written, so the outputs start uninitialised (the scores
/// right of a causal diagonal stay so until `Forward.scores(qkv:)` fills them in).
public enum AttentionKernel {
    /// What the forward pass computes and the backward pass needs.
    public struct Forward: Sendable {
        /// O `[batch · time, heads · size]`.
        public var output: Tensor
        /// Q·Kᵀ/√d before mask and softmax `[batch, heads, time, time]`; under a causal mask
        /// only each row's first `MaskedSoftmaxKernel.width` keys: `scores(qkv:)` gives all.
        var partialScores: Tensor
        /// p `[batch, heads, time, time]`.
        public var weights: Tensor
        /// p̃ with dropout, nil without.
        public var dropped: Tensor?
        /// Whether the mask was causal (and the products banded).
        public var causal: Bool

        /// S = Q·Kᵀ/√d before mask and softmax `[batch, heads, time, time]`, every entry, for
        /// the `qkv` this pass ran on. A causal pass left the keys right of each row's
        /// softmax width out; they are computed here (for a recorder) by the same full
        /// product and scaling as a pass without the band, so they are what it would hold.
        public func scores(qkv: Tensor) -> Tensor {
            guard causal else { return partialScores }
            let (batch, heads, time) = (partialScores.shape[0], partialScores.shape[1], partialScores.shape[2])
            let size = qkv.shape[1] / (3 * heads)
            let rows = HeadMatMul.Layout.fused(time: time, heads: heads, size: size)
            let one = HeadMatMul.Layout(heads: heads, sequenceStride: 0, headStride: 0, rowStride: time)
            let scale = 1 / Float(size).squareRoot()
            var full = partialScores
            qkv.scalars.withUnsafeBufferPointer { pqkv in
                let pq = pqkv.baseAddress!, pk = pq + heads * size
                full.scalars.withUnsafeMutableBufferPointer { ps in
                    let s = ps.baseAddress!
                    WorkerPool.shared.run(blocks: batch * heads) { block in
                        let z = UnsafeMutablePointer<Float>.allocate(capacity: time * time)
                        defer { z.deallocate() }
                        HeadMatMul.multiply(block: block, pq, rows, pk, rows, transposeB: true, into: z, one,
                                            m: time, n: time, k: size)
                        for i in 0..<time {
                            let row = s + (block * time + i) * time
                            for j in MaskedSoftmaxKernel.width(query: i, time: time)..<time { row[j] = z[i * time + j] * scale }
                        }
                    }
                }
            }
            return full
        }
    }

    /// The pass on `qkv` `[batch · time, 3 · heads · size]`: Q, K, V side by side in each row.
    public static func forward(qkv: Tensor, batch: Int, time: Int, heads: Int, size: Int,
                               mask: MaskedSoftmaxKernel.Mask, dropout: MaskedSoftmaxKernel.Dropout?) -> Forward {
        precondition(mask.steps == nil || mask.steps!.shape == [batch, time],
                     "AttentionKernel: mask \(mask.steps!.shape) for batch \(batch), time \(time)")
        precondition(qkv.shape == [batch * time, 3 * heads * size], "AttentionKernel: qkv \(qkv.shape)")
        let rows = HeadMatMul.Layout.fused(time: time, heads: heads, size: size)
        let out = HeadMatMul.Layout.perHead(time: time, heads: heads, size: size)
        let square = HeadMatMul.Layout.square(heads: heads, time: time), width = heads * size
        let scale = 1 / Float(size).squareRoot()
        var scores = Tensor.uninitialized([batch, heads, time, time]), weights = Tensor.uninitialized(scores.shape)
        var dropped = dropout.map { _ in Tensor.uninitialized([batch, heads, time, time]) }
        var output = Tensor.uninitialized([batch * time, width])
        let steps = mask.steps?.scalars ?? [Float](repeating: 1, count: batch * time)
        qkv.scalars.withUnsafeBufferPointer { pqkv in
            let pq = pqkv.baseAddress!, pk = pq + width, pv = pq + 2 * width
            withMutable(&scores, &weights, &dropped, &output) { ps, pw, pd, po in
                steps.withUnsafeBufferPointer { pm in
                    WorkerPool.shared.run(blocks: batch * heads) { block in
                        HeadMatMul.multiply(block: block, pq, rows, pk, rows, transposeB: true, into: ps, square,
                                            m: time, n: time, k: size, band: mask.causal ? .lowerColumns : nil)
                        MaskedSoftmaxKernel.forward(block: block, scores: ps, weights: pw, dropped: pd,
                                                    steps: pm.baseAddress!, time: time, heads: heads, scale: scale,
                                                    causal: mask.causal, dropout: dropout)
                        HeadMatMul.multiply(block: block, UnsafePointer(pd ?? pw), square, pv, rows, into: po, out,
                                            m: time, n: size, k: time, band: mask.causal ? .depthUpTo : nil)
                    }
                }
            }
        }
        return Forward(output: output, partialScores: scores, weights: weights, dropped: dropped, causal: mask.causal)
    }

    /// dL/d(qkv) `[batch · time, 3 · heads · size]` (dL/dQ, dL/dK, dL/dV side by side) for
    /// dL/dO `gradient` of the forward pass `pass` on `qkv`.
    public static func backward(_ gradient: Tensor, qkv: Tensor, pass: Forward, batch: Int, time: Int, heads: Int,
                                size: Int, dropoutRate: Float) -> Tensor {
        let rows = HeadMatMul.Layout.fused(time: time, heads: heads, size: size)
        let out = HeadMatMul.Layout.perHead(time: time, heads: heads, size: size)
        let square = HeadMatMul.Layout.square(heads: heads, time: time), width = heads * size
        let scale = 1 / Float(size).squareRoot(), causal = pass.causal
        var dqkv = Tensor.uninitialized(qkv.shape), ds: Tensor? = Tensor.uninitialized(pass.weights.shape)
        withReadable(qkv, gradient, pass.weights) { pqkv, pg, pw in
            let pq = pqkv, pk = pqkv + width, pv = pqkv + 2 * width
            withReadable(pass.dropped ?? pass.weights) { pd in
                let dropped = pass.dropped == nil ? nil : pd
                withMutable(&dqkv, &ds) { dQKV, dS in
                    let dQ = dQKV, dK = dQKV + width, dV = dQKV + 2 * width
                    WorkerPool.shared.run(blocks: batch * heads) { block in
                        HeadMatMul.multiply(block: block, pd, square, transposeA: true, pg, out, into: dV, rows,
                                            m: time, n: size, k: time, band: causal ? .depthFrom : nil)
                        HeadMatMul.multiply(block: block, pg, out, pv, rows, transposeB: true, into: dS, square,
                                            m: time, n: time, k: size, band: causal ? .lowerColumns : nil)
                        MaskedSoftmaxKernel.backward(block: block, gradient: dS, weights: pw, dropped: dropped,
                                                     rate: dropoutRate, time: time, scale: scale, causal: causal)
                        HeadMatMul.multiply(block: block, UnsafePointer(dS), square, pk, rows, into: dQ, rows,
                                            m: time, n: size, k: time, band: causal ? .depthUpTo : nil)
                        HeadMatMul.multiply(block: block, UnsafePointer(dS), square, transposeA: true, pq, rows,
                                            into: dK, rows, m: time, n: size, k: time, band: causal ? .depthFrom : nil)
                    }
                }
            }
        }
        return dqkv
    }

    private typealias Readable = UnsafePointer<Float>
    private typealias Writable = UnsafeMutablePointer<Float>

    private static func withReadable(_ a: Tensor, _ body: (Readable) -> Void) {
        a.scalars.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private static func withReadable(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ body: (Readable, Readable, Readable) -> Void) {
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeBufferPointer { pc in body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) }
            }
        }
    }

    private static func withMutable(_ a: inout Tensor, _ b: inout Tensor?, _ body: (Writable, Writable) -> Void) {
        a.scalars.withUnsafeMutableBufferPointer { pa in
            b!.scalars.withUnsafeMutableBufferPointer { pb in body(pa.baseAddress!, pb.baseAddress!) }
        }
    }

    /// Pointers into four tensors, the third optional (nil when the tensor is).
    private static func withMutable(_ a: inout Tensor, _ b: inout Tensor, _ c: inout Tensor?, _ d: inout Tensor,
                                    _ body: (Writable, Writable, Writable?, Writable) -> Void) {
        a.scalars.withUnsafeMutableBufferPointer { pa in
            b.scalars.withUnsafeMutableBufferPointer { pb in
                d.scalars.withUnsafeMutableBufferPointer { pd in
                    if c == nil { return body(pa.baseAddress!, pb.baseAddress!, nil, pd.baseAddress!) }
                    c!.scalars.withUnsafeMutableBufferPointer { pc in
                        body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!, pd.baseAddress!)
                    }
                }
            }
        }
    }
}
