import Tensor

/// A fully connected layer (Keras's `Dense`): y = f(x · W + b), with x `[batch, in]`,
/// `weight` W `[in, out]`, `bias` b `[out]` and an optional fused activation f. On a
/// sequence `[batch, time, in]` it acts on the last axis at every step, as Keras's
/// does: the steps are rows of one product `[batch · time, in] · W`.
///
/// ```swift
/// let hidden = Dense(64, activation: .relu)   // named dense1 when built
/// ```
public final class Dense: Layer {
    public var name: String
    public let kind = "Dense"
    public let units: Int
    public let activation: Activation
    public let weightInitializer: Initializer
    public private(set) var weight: Parameter!
    public private(set) var bias: Parameter!
    private var inputs = 0
    /// Per-sample output shape: `[units]`, or `[time, units]` on a sequence.
    private var outputShape: [Int] = []
    private var cachedInput: Tensor?
    /// z = x·W + b, kept only for an activation whose derivative needs it (GELU).
    private var cachedPreActivation: Tensor?
    /// Φ(z) of a GELU, kept from the forward pass so the backward pass does not recompute it.
    private var cachedCDF: Tensor?
    private var cachedOutput: Tensor?

    public init(_ units: Int, activation: Activation = .linear,
                weightInitializer: Initializer = .glorotUniform, name: String = "") {
        self.units = units
        self.activation = activation
        self.weightInitializer = weightInitializer
        self.name = name
    }

    public var parameters: [Parameter] { weight == nil ? [] : [weight, bias] }
    public var configuration: String { "units=\(units) activation=\(activation.name)" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 1 || inputShape.count == 2 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "Dense takes a flat vector (or a sequence of vectors); "
                                                  + "put a Flatten layer before it")
        }
        inputs = inputShape[inputShape.count - 1]
        outputShape = inputShape.dropLast() + [units]
        weight = Parameter(name: "\(name).weight",
                           value: weightInitializer.make(shape: [inputs, units], seed: seed, name: "\(name).weight"),
                           decays: true)
        bias = Parameter(name: "\(name).bias", value: Tensor(shape: [units]), decays: false)
        return outputShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: Array(outputShape.dropLast()) + [inputs])
        let rows = x.reshaped([x.count / max(inputs, 1), inputs])
        var z = matmul(rows, weight.value, addingToEveryRow: bias.value)
        cachedPreActivation = activation.derivativeUsesInput ? z : nil
        cachedCDF = nil
        if activation == .gelu && context.training {
            // Φ(z) kept for the backward pass; in inference it would be written for nothing
            // (a backward pass after one recomputes it, same values).
            (z, cachedCDF) = z.geluKeepingCDF()
        } else {
            activation.apply(inPlace: &z)
        }
        cachedInput = rows
        cachedOutput = z
        return z.reshaped([x.shape[0]] + outputShape)
    }

    // dL/dz = dL/dy ⊙ f′    dL/dW = xᵀ · dL/dz    dL/db = Σ_batch dL/dz    dL/dx = dL/dz · Wᵀ
    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let x = cachedInput, let y = cachedOutput else { preconditionFailure("\(name): backward before forward") }
        let dz = if let cdf = cachedCDF, let z = cachedPreActivation {
            dy.reshaped(y.shape).geluGradient(input: z, cdf: cdf)
        } else {
            activation.backward(dy.reshaped(y.shape), input: cachedPreActivation, output: y)
        }
        if parameterGradients {
            weight.gradient = matmul(x, dz, transposeA: true)
            bias.gradient = sumRows(dz)
        }
        guard inputGradient else { return nil }
        return matmul(dz, weight.value, transposeB: true).reshaped([dy.shape[0]] + outputShape.dropLast() + [inputs])
    }
}
