import Tensor

/// Scaled dot-product attention (Vaswani et al. 2017) of every head of a batch of
/// sequences, on queries, keys and values `[batch, time, heads, keySize]` side by side
/// in one tensor (the fused projection's output as it comes, rows
/// `[batch · time, 3 · heads · keySize]`: Q, K, V):
///
///     S = Q·Kᵀ / √d        P = softmax(S + mask)        O = dropout(P) · V
///
/// with the products `[batch · heads, time, time]` run per head by the shared GEMM and
/// the masked softmax row by row (`AttentionKernel`, one parallel pass over the batch's
/// heads). Backward, with P̃ = dropout(P):
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
    public var weights: Tensor? { pass?.weights }
    /// S = Q·Kᵀ/√d before mask and softmax, `[batch, heads, query, key]` (under a causal
    /// mask, the entries the pass skipped are computed on this call).
    public var scores: Tensor? {
        guard let pass, let cached else { return nil }
        return pass.scores(qkv: cached.qkv)
    }
    private var pass: AttentionKernel.Forward?
    private var cached: (qkv: Tensor, batch: Int, time: Int)?

    public init(heads: Int, keySize: Int, causal: Bool, dropout: Float) {
        self.heads = heads
        self.keySize = keySize
        self.causal = causal
        self.dropout = dropout
    }

    /// O `[batch · time, heads · keySize]` for Q, K, V side by side in `qkv`
    /// `[batch · time, 3 · heads · keySize]`. `mask` `[batch, time]` marks real steps (1)
    /// and padding (0); `dropoutKey` is the step's stream for the dropout draw, nil in inference.
    public func forward(qkv: Tensor, batch: Int, time: Int, mask: Tensor?, dropoutKey: UInt64?) -> Tensor {
        let drop = dropoutKey.flatMap { dropout > 0 ? MaskedSoftmaxKernel.Dropout(rate: dropout, key: $0) : nil }
        let pass = AttentionKernel.forward(qkv: qkv, batch: batch, time: time, heads: heads, size: keySize,
                                           mask: .init(causal: causal, steps: mask), dropout: drop)
        self.pass = pass
        cached = (qkv, batch, time)
        return pass.output
    }

    /// dL/d(qkv) (dL/dQ, dL/dK, dL/dV side by side) for dL/dO of the last forward pass.
    public func backward(_ dOut: Tensor) -> Tensor {
        guard let (qkv, batch, time) = cached, let pass else { preconditionFailure("attention: backward before forward") }
        return AttentionKernel.backward(dOut, qkv: qkv, pass: pass, batch: batch, time: time, heads: heads,
                                        size: keySize, dropoutRate: dropout)
    }
}
