import Tensor

/// A pre-LayerNorm Transformer block (as GPT-2 and most models since arrange it) on a
/// sequence x `[batch, time, D]`:
///
///     h = x + Dropout(MultiHeadAttention(LayerNorm(x)))
///     y = h + Dropout(Dense_D(GELU(Dense_F(LayerNorm(h)))))
///
/// built from the engine's own layers: two `Residual`s in a `Sequential`, named inside
/// the block (`transformer1.ln1`, `transformer1.attn`, `transformer1.ln2`,
/// `transformer1.ff1`, `transformer1.ff2`), so every parameter, activation and attention
/// map keeps its own name in a trace; the backward pass is theirs. `keySize` defaults
/// to D / heads. The mask of padded steps reaches the attention through the residuals.
///
/// ```swift
/// let block = TransformerBlock(heads: 4, feedForward: 256, causal: true)   // transformer1.attn.query.kernel, …
/// ```
public final class TransformerBlock: Layer, MaskConsumingLayer, LayerContainer {
    public var name: String
    public let kind = "TransformerBlock"
    public let heads: Int
    /// The key size asked for; nil: D / heads.
    public let requestedKeySize: Int?
    public let feedForward: Int
    public let causal: Bool
    public let dropout: Float
    public var inputMask: Tensor?
    /// The block's layers, made when it is built (their names depend on the block's).
    public private(set) var body = Sequential([])
    public private(set) var keySize = 0

    public init(heads: Int, keySize: Int? = nil, feedForward: Int, causal: Bool = false, dropout: Float = 0,
                name: String = "") {
        self.heads = heads
        self.requestedKeySize = keySize
        self.feedForward = feedForward
        self.causal = causal
        self.dropout = dropout
        self.name = name
    }

    public var parameters: [Parameter] { body.parameters }
    public var chain: Sequential { body }
    public var configuration: String {
        "heads=\(heads) key_size=\(keySize) feed_forward=\(feedForward) causal=\(causal) dropout=\(dropout)"
    }

    /// The block's attention layer (after `build`).
    public var attention: MultiHeadAttention? {
        ((body.layers.first as? Residual)?.body.layers.first { $0 is MultiHeadAttention }) as? MultiHeadAttention
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 2 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "TransformerBlock takes a sequence of vectors [time, d_model]")
        }
        let model = inputShape[1]
        guard heads >= 1, feedForward >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "heads (\(heads)) and feed_forward (\(feedForward)) must be at least 1")
        }
        if let requestedKeySize, requestedKeySize < 1 {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "key_size must be at least 1, got \(requestedKeySize)")
        }
        guard requestedKeySize != nil || model % heads == 0 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "\(heads) heads do not divide d_model \(model); "
                                                  + "choose heads that do, or give key_size")
        }
        keySize = requestedKeySize ?? model / heads
        let n = name
        func dropped(_ layers: [Layer], _ label: String) -> [Layer] {
            dropout > 0 ? layers + [Dropout(rate: dropout, name: "\(n).\(label)")] : layers
        }
        let attention = Residual(dropped([LayerNorm(name: "\(n).ln1"),
                                          MultiHeadAttention(heads: heads, keySize: keySize, causal: causal,
                                                             dropout: dropout, name: "\(n).attn")], "attn_dropout"),
                                 name: "\(n).attention")
        let feedForward = Residual(dropped([LayerNorm(name: "\(n).ln2"),
                                            Dense(self.feedForward, activation: .gelu, name: "\(n).ff1"),
                                            Dense(model, name: "\(n).ff2")], "ff_dropout"),
                                   name: "\(n).feed_forward")
        body = Sequential([attention, feedForward], name: n)
        return try body.build(inputShape: inputShape, seed: seed)
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        body.inputMask = inputMask
        return try body.forward(x, context: context)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        body.backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        body.backward(dy, inputGradient: inputGradient, parameterGradients: parameterGradients)
    }
}
