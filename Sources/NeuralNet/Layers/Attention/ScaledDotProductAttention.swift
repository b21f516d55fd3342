import Tensor

/// Scaled dot-product attention (Vaswani et al. 2017) of every head of a batch of
/// sequences, on queries, keys and values `[batch, time, heads, keySize]` (the
/// projections' outputs as they come, rows `[batch · time, heads · keySize]`):
///
///     S = Q·Kᵀ / √d        P = softmax(S + mask)        O = dropout(P) · V
///
/// with the products `[batch · heads, time, time]` run per head by the shared GEMM
/// (`HeadMatMul`) and the masked softmax by `MaskedSoftmaxKernel`. Backward, with
/// P̃ = dropout(P):
///
///     dL/dV = P̃ᵀ · dL/dO    dL/dP̃ = dL/dO · Vᵀ    dL/dS = P ⊙ (dL/dP − rowsum(dL/dP ⊙ P))
///     dL/dQ = dL/dS · K / √d    dL/dK = dL/dSᵀ · Q / √d
///
/// Not a layer itself: `MultiHeadAttention` owns one, and reads its last `weights`
/// and `scores` for a recorder.
public final class ScaledDotProductAttention {
    public let heads: Int
    public let keySize: Int
    public let causal: Bool
    /// The dropout rate on the attention weights in training.
    public let dropout: Float
    /// P of the last forward pass, `[batch, heads, query, key]`.
    public private(set) var weights: Tensor?
    /// S = Q·Kᵀ/√d before mask and softmax, `[batch, heads, query, key]`.
    public private(set) var scores: Tensor?
    private var dropped: Tensor?
    private var cached: (q: Tensor, k: Tensor, v: Tensor, batch: Int, time: Int)?

    public init(heads: Int, keySize: Int, causal: Bool, dropout: Float) {
        self.heads = heads
        self.keySize = keySize
        self.causal = causal
        self.dropout = dropout
    }

    private var scale: Float { 1 / Float(keySize).squareRoot() }

    private func layouts(_ batch: Int, _ time: Int) -> (HeadMatMul.Layout, HeadMatMul.Layout) {
        (.perHead(batch: batch, time: time, heads: heads, size: keySize), .square(batch: batch, heads: heads, time: time))
    }

    /// O `[batch · time, heads · keySize]` for Q, K, V of that shape. `mask` `[batch, time]`
    /// marks real steps (1) and padding (0); `dropoutKey` is the step's stream for the
    /// dropout draw, nil in inference.
    public func forward(query q: Tensor, key k: Tensor, value v: Tensor, batch: Int, time: Int, mask: Tensor?,
                        dropoutKey: UInt64?) -> Tensor {
        let (rows, square) = layouts(batch, time)
        var s = Tensor(shape: [batch, heads, time, time])
        HeadMatMul.multiply(q, rows, k, rows, transposeB: true, into: &s, square, m: time, n: time, k: keySize)
        let drop = dropoutKey.flatMap { dropout > 0 ? MaskedSoftmaxKernel.Dropout(rate: dropout, key: $0) : nil }
        let (p, pDropped) = MaskedSoftmaxKernel.forward(scores: &s, heads: heads, scale: scale,
                                                        mask: .init(causal: causal, steps: mask), dropout: drop)
        var o = Tensor(shape: [batch * time, heads * keySize])
        HeadMatMul.multiply(pDropped ?? p, square, v, rows, into: &o, rows, m: time, n: keySize, k: time)
        (weights, scores, dropped) = (p, s, pDropped)
        cached = (q, k, v, batch, time)
        return o
    }

    /// (dL/dQ, dL/dK, dL/dV) for dL/dO of the last forward pass.
    public func backward(_ dOut: Tensor) -> (query: Tensor, key: Tensor, value: Tensor) {
        guard let (q, k, v, batch, time) = cached, let p = weights else {
            preconditionFailure("attention: backward before forward")
        }
        let (rows, square) = layouts(batch, time)
        var dv = Tensor(shape: v.shape), dq = Tensor(shape: q.shape), dk = Tensor(shape: k.shape)
        HeadMatMul.multiply(dropped ?? p, square, transposeA: true, dOut, rows, into: &dv, rows,
                            m: time, n: keySize, k: time)
        var dpDropped = Tensor(shape: p.shape)
        HeadMatMul.multiply(dOut, rows, v, rows, transposeB: true, into: &dpDropped, square, m: time, n: time, k: keySize)
        let ds = MaskedSoftmaxKernel.backward(dpDropped, weights: p, dropped: dropped, rate: dropout, scale: scale)
        HeadMatMul.multiply(ds, square, k, rows, into: &dq, rows, m: time, n: keySize, k: time)
        HeadMatMul.multiply(ds, square, transposeA: true, q, rows, into: &dk, rows, m: time, n: keySize, k: time)
        return (dq, dk, dv)
    }
}
