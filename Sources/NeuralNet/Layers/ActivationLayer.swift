import Tensor

/// An activation as a layer of its own (`ReLU`, `LeakyReLU`, `Sigmoid`, `Tanh`, `GELU` in
/// lesson files), for models that show pre- and post-activation values apart.
/// The math lives in `Activation`.
public final class ActivationLayer: Layer {
    public var name: String
    public let activation: Activation
    private var inputShape: [Int] = []
    private var cachedInput: Tensor?
    private var cachedOutput: Tensor?

    public init(_ activation: Activation, name: String = "") {
        self.activation = activation
        self.name = name
    }

    public var kind: String {
        switch activation {
        case .linear: return "Linear"
        case .relu: return "ReLU"
        case .leakyReLU: return "LeakyReLU"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "Tanh"
        case .gelu: return "GELU"
        }
    }

    public var configuration: String {
        if case let .leakyReLU(alpha) = activation { return "alpha=\(alpha)" }
        return ""
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        self.inputShape = inputShape
        return inputShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        let y = activation.apply(x)
        cachedInput = activation.derivativeUsesInput ? x : nil
        cachedOutput = y
        return y
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        guard inputGradient, let y = cachedOutput else { return nil }
        return activation.backward(dy, input: cachedInput, output: y)
    }
}

/// Row-wise softmax as a layer (`Softmax` in lesson files): y_i = e^{x_i} / Σ_j e^{x_j}.
/// For training, prefer logits with `SoftmaxCrossEntropy`, which fuses the two stably.
///
///     dL/dx_i = y_i · (dL/dy_i − Σ_j dL/dy_j · y_j)
public final class SoftmaxLayer: Layer {
    public var name: String
    public let kind = "Softmax"
    private var inputShape: [Int] = []
    private var cachedOutput: Tensor?

    public init(name: String = "") { self.name = name }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "Softmax takes a vector of class scores")
        }
        self.inputShape = inputShape
        return inputShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        let y = softmax(x)
        cachedOutput = y
        return y
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        guard inputGradient, let y = cachedOutput else { return nil }
        let n = inputShape[0]
        var dx = dy
        for b in 0..<dy.shape[0] {
            var dot: Float = 0
            for j in 0..<n { dot += dy.scalars[b * n + j] * y.scalars[b * n + j] }
            for j in 0..<n { dx.scalars[b * n + j] = y.scalars[b * n + j] * (dy.scalars[b * n + j] - dot) }
        }
        return dx
    }
}
