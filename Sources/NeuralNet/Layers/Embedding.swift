import Tensor

/// A lookup table from token ids to learned vectors (Keras's `Embedding`): the input
/// is a batch of id sequences `[batch, time]` (ids stored as whole floats), the output
/// the rows of `embeddings` E `[vocabulary, dimension]` that they select:
///
///     y[b, t] = E[x[b, t]]                dL/dE[v] = Σ_{b,t : x[b,t] = v} dL/dy[b, t]
///
/// Ids are not differentiable: the backward pass returns no input gradient. With
/// `maskZero`, id 0 is padding and the layer's `outputMask` marks those steps.
///
/// ```swift
/// let embed = Embedding(vocabulary: 64, dimension: 32, maskZero: true)   // embedding1.embeddings
/// ```
public final class Embedding: Layer, MaskProducingLayer {
    public var name: String
    public let kind = "Embedding"
    public let vocabulary: Int
    public let dimension: Int
    public let maskZero: Bool
    public private(set) var embeddings: Parameter!
    public private(set) var outputMask: Tensor?
    private var time = 0
    private var cachedIDs: [Int] = []

    public init(vocabulary: Int, dimension: Int, maskZero: Bool = false, name: String = "") {
        self.vocabulary = vocabulary
        self.dimension = dimension
        self.maskZero = maskZero
        self.name = name
    }

    public var parameters: [Parameter] { embeddings == nil ? [] : [embeddings] }
    public var configuration: String { "vocabulary=\(vocabulary) dimension=\(dimension) mask_zero=\(maskZero)" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "Embedding takes a sequence of token ids [time]")
        }
        guard vocabulary >= 1, dimension >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "vocabulary and dimension must be at least 1")
        }
        time = inputShape[0]
        let shape = [vocabulary, dimension]
        embeddings = Parameter(name: "\(name).embeddings",
                               value: Initializer.uniform.make(shape: shape, seed: seed, name: "\(name).embeddings"),
                               decays: true)
        return [time, dimension]
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: [time])
        var ids: [Int] = []
        ids.reserveCapacity(x.count)
        for value in x.scalars {
            guard value >= 0, value < Float(vocabulary), value == value.rounded() else {
                throw LayerError.invalidTokenID(layer: name, value: value, vocabulary: vocabulary)
            }
            ids.append(Int(value))
        }
        let table = embeddings.value.scalars
        var out = [Float](repeating: 0, count: ids.count * dimension)
        for (row, id) in ids.enumerated() {
            for j in 0..<dimension { out[row * dimension + j] = table[id * dimension + j] }
        }
        cachedIDs = ids
        outputMask = maskZero ? Tensor(shape: x.shape, scalars: ids.map { $0 == 0 ? 0 : 1 }) : nil
        return Tensor(shape: [x.shape[0], time, dimension], scalars: out)
    }

    // dL/dE[v] = Σ over the steps that looked up v of dL/dy at that step, added in
    // step order (so the sum is the same for any thread count). No dL/dx: ids are discrete.
    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard parameterGradients else { return nil }
        var gradient = [Float](repeating: 0, count: vocabulary * dimension)
        for (row, id) in cachedIDs.enumerated() {
            for j in 0..<dimension { gradient[id * dimension + j] += dy.scalars[row * dimension + j] }
        }
        embeddings.gradient = Tensor(shape: [vocabulary, dimension], scalars: gradient)
        return nil
    }
}
