import Tensor

/// A layer with attention weights to show (`MultiHeadAttention`): the model records
/// them after its forward pass as `attention/<layer>` `[batch, heads, query, key]`, the
/// scores before mask and softmax as `attention/<layer>.scores`, and Q, K, V as the
/// activations `<layer>.query`, `<layer>.key`, `<layer>.value`.
public protocol AttentionLayer: Layer {
    var attentionWeights: Tensor? { get }
    var attentionScores: Tensor? { get }
    func projectionsOfLastPass() -> [(name: String, tensor: Tensor)]
}
