import Tensor

/// Multi-head self-attention (Keras's `MultiHeadAttention` with query = key = value = x)
/// on a sequence x `[batch, time, D]`, with Keras's weights, names and shapes:
///
///     Q = x·W_q + b_q    K = x·W_k + b_k    V = x·W_v + b_v      (`query.kernel` [D, H, d], `query.bias` [H, d], …)
///     O_h = softmax(Q_h·K_hᵀ/√d + mask) · V_h                   (`ScaledDotProductAttention`, each head h)
///     y = Σ_h O_h·W_o[h] + b_o                                  (`output.kernel` [H, d, D], `output.bias` [D])
///
/// H is `heads` and d `keySize`. The three input projections run as one product
/// [Q K V] = x·[W_q W_k W_v] + [b_q b_k b_v] (`ColumnBlocks`), and so do their gradients. The mask hides padded steps (from a mask-producing layer
/// before it) and, when `causal`, every key after the query. Dropout acts on the
/// attention weights in training.
///
/// ```swift
/// let attention = MultiHeadAttention(heads: 4, keySize: 16, causal: true)   // attn1.query.kernel, …
/// ```
public final class MultiHeadAttention: Layer, MaskConsumingLayer, AttentionLayer {
    public var name: String
    public let kind = "MultiHeadAttention"
    public let heads: Int
    public let keySize: Int
    public let causal: Bool
    public let dropout: Float
    public var inputMask: Tensor?
    public let attention: ScaledDotProductAttention
    private var weights: [Parameter] = []
    private var time = 0
    private var features = 0
    /// x, the fused [W_q W_k W_v] `[D, 3·H·d]`, [Q K V] and O of the last forward pass.
    private var cached: (x: Tensor, kernel: Tensor, qkv: Tensor, o: Tensor)?

    public init(heads: Int, keySize: Int, causal: Bool = false, dropout: Float = 0, name: String = "") {
        self.heads = heads
        self.keySize = keySize
        self.causal = causal
        self.dropout = dropout
        self.name = name
        self.attention = ScaledDotProductAttention(heads: heads, keySize: keySize, causal: causal, dropout: dropout)
    }

    public var parameters: [Parameter] { weights }
    public var configuration: String { "heads=\(heads) key_size=\(keySize) causal=\(causal) dropout=\(dropout)" }

    /// The four projections' kernels and biases, in Keras's order.
    private var projections: [(kernel: Parameter, bias: Parameter)] {
        (0..<3).map { (weights[2 * $0], weights[2 * $0 + 1]) }
    }
    private var outputKernel: Parameter { weights[6] }
    private var outputBias: Parameter { weights[7] }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 2, inputShape[0] >= 1, inputShape[1] >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "MultiHeadAttention takes a sequence of vectors [time, features]")
        }
        guard heads >= 1, keySize >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "heads (\(heads)) and key_size (\(keySize)) must be at least 1")
        }
        guard dropout >= 0 && dropout < 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "dropout must be in [0, 1), got \(dropout)")
        }
        (time, features) = (inputShape[0], inputShape[1])
        func kernel(_ part: String, _ shape: [Int]) -> Parameter {
            let full = "\(name).\(part).kernel"
            return Parameter(name: full, value: Initializer.glorotUniform.make(shape: shape, seed: seed, name: full), decays: true)
        }
        func bias(_ part: String, _ shape: [Int]) -> Parameter {
            Parameter(name: "\(name).\(part).bias", value: Tensor(shape: shape), decays: false)
        }
        weights = ["query", "key", "value"].flatMap { part in
            [kernel(part, [features, heads, keySize]), bias(part, [heads, keySize])]
        } + [kernel("output", [heads, keySize, features]), bias("output", [features])]
        return inputShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: [time, features])
        let batch = x.shape[0], width = heads * keySize
        if let mask = inputMask, mask.shape != [batch, time] {
            throw LayerError.maskMismatch(layer: name, kind: kind, expected: [batch, time], got: mask.shape)
        }
        let rows = x.reshaped([batch * time, features])
        let kernel = ColumnBlocks.joined(projections.map(\.kernel.value), rows: features)
        let bias = ColumnBlocks.joined(projections.map(\.bias.value), rows: 1)
        let qkv = matmul(rows, kernel, addingToEveryRow: bias)
        let key = context.training && dropout > 0
            ? RandomStream(seed: context.seed, name: "\(name).attention", index: UInt64(context.step)).key : nil
        let o = attention.forward(qkv: qkv, batch: batch, time: time, mask: inputMask, dropoutKey: key)
        cached = (rows, kernel, qkv, o)
        let y = matmul(o, outputKernel.value.reshaped([width, features]), addingToEveryRow: outputBias.value)
        return y.reshaped([batch, time, features])
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // dL/dW_o = Oᵀ · dL/dy    dL/db_o = Σ dL/dy    dL/dO = dL/dy · W_oᵀ
    // dL/d[Q K V] from the attention, then for the fused W = [W_q W_k W_v]:
    // dL/dW = xᵀ · dL/d[Q K V]    dL/db = Σ dL/d[Q K V]    dL/dx = dL/d[Q K V] · Wᵀ
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let (x, kernel, _, o) = cached else { preconditionFailure("\(name): backward before forward") }
        let batch = dy.shape[0], width = heads * keySize
        let dRows = dy.reshaped([batch * time, features])
        if parameterGradients {
            outputKernel.gradient = matmul(o, dRows, transposeA: true).reshaped(outputKernel.shape)
            outputBias.gradient = sumRows(dRows)
        }
        let dO = matmul(dRows, outputKernel.value.reshaped([width, features]), transposeB: true)
        let dQKV = attention.backward(dO)
        if parameterGradients {
            let dKernel = matmul(x, dQKV, transposeA: true), dBias = sumRows(dQKV)
            for (i, p) in projections.enumerated() {
                let part = (i * width)..<((i + 1) * width)
                p.kernel.gradient = dKernel.reshaped([features, 3 * width]).columns(part).reshaped(p.kernel.shape)
                p.bias.gradient = dBias.reshaped([1, 3 * width]).columns(part).reshaped(p.bias.shape)
            }
        }
        guard inputGradient else { return nil }
        return matmul(dQKV, kernel, transposeB: true).reshaped([batch, time, features])
    }

    /// P `[batch, heads, query, key]` of the last forward pass.
    public var attentionWeights: Tensor? { attention.weights }
    /// Q·Kᵀ/√d before mask and softmax, `[batch, heads, query, key]`.
    public var attentionScores: Tensor? { attention.scores }

    /// Q, K and V of the last forward pass, each `[batch, time, heads, keySize]`.
    public func projectionsOfLastPass() -> [(name: String, tensor: Tensor)] {
        guard let c = cached else { return [] }
        let rows = c.x.shape[0], width = heads * keySize
        let shape = [rows / max(time, 1), time, heads, keySize]
        return ["query", "key", "value"].enumerated().map { i, part in
            (part, c.qkv.reshaped([rows, 3 * width]).columns((i * width)..<((i + 1) * width)).reshaped(shape))
        }
    }
}
