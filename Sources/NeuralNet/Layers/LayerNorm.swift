import Tensor

/// Layer normalization (Ba et al. 2016; Keras's `LayerNormalization`): each example's
/// feature vector (the last axis, at every step of a sequence) is standardised on its
/// own and then scaled and shifted by learned `gamma` γ and `beta` β:
///
///     x̂ = (x − mean(x)) / √(var(x) + ε)      y = γ ⊙ x̂ + β
///
/// ε is Keras's default 1e-3; γ starts at 1 and β at 0. Unlike batch normalization it
/// does not mix the examples of a batch, so training and inference compute the same.
///
/// ```swift
/// let norm = LayerNorm()   // layer_norm1.gamma, layer_norm1.beta
/// ```
public final class LayerNorm: Layer {
    public var name: String
    public let kind = "LayerNorm"
    public let epsilon: Float
    public private(set) var gamma: Parameter!
    public private(set) var beta: Parameter!
    private var inputShape: [Int] = []
    private var cache: LayerNormCache?

    public init(epsilon: Float = 1e-3, name: String = "") {
        self.epsilon = epsilon
        self.name = name
    }

    public var parameters: [Parameter] { gamma == nil ? [] : [gamma, beta] }
    public var configuration: String { "epsilon=\(epsilon)" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard let features = inputShape.last, features >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "LayerNorm normalizes the last axis, which must have a size")
        }
        self.inputShape = inputShape
        gamma = Parameter(name: "\(name).gamma", value: Tensor(shape: [features], repeating: 1), decays: false)
        beta = Parameter(name: "\(name).beta", value: Tensor(shape: [features]), decays: false)
        return inputShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        let (y, cache) = LayerNormKernel.forward(x, gamma: gamma.value, beta: beta.value, epsilon: epsilon)
        self.cache = cache
        return y
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // g = dL/dy ⊙ γ    dL/dx = (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) / √(var(x) + ε)
    // dL/dγ = Σ_rows dL/dy ⊙ x̂    dL/dβ = Σ_rows dL/dy
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let cache else { preconditionFailure("\(name): backward before forward") }
        let (dx, dGamma, dBeta) = LayerNormKernel.backward(dy, cache: cache, gamma: gamma.value,
                                                           inputGradient: inputGradient,
                                                           parameterGradients: parameterGradients)
        if let dGamma, let dBeta {
            gamma.gradient = dGamma
            beta.gradient = dBeta
        }
        return dx
    }
}
