import Tensor

/// A 2-D convolution over NHWC images (Keras's `Conv2D`) with an optional fused
/// activation: y = f(conv(x, W) + b), `weight` W `[kh, kw, cin, filters]`, `bias` `[filters]`.
///
///     conv(x, W)[b,i,j,o] = Σ_{r,s,c} x[b, i·stride + r − pad, j·stride + s − pad, c] · W[r,s,c,o]
///
/// ```swift
/// let conv1 = Conv2D(32, kernelSize: 3, activation: .relu)   // [28,28,1] → [26,26,32]
/// ```
public final class Conv2D: MeasuringLayer {
    public var name: String
    public let kind = "Conv2D"
    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let stride: Int
    public let padding: Padding
    public let activation: Activation
    public let weightInitializer: Initializer
    public private(set) var weight: Parameter!
    public private(set) var bias: Parameter!
    private var inputShape: [Int] = []
    private var cachedInput: Tensor?
    private var cachedOutput: Tensor?
    /// The convolution before its activation, kept only when the derivative needs it (GELU).
    private var cachedPreActivation: Tensor?
    public var measuresOutput = false
    public var measuresInputGradient = false
    public private(set) var outputMoments: TensorMoments?
    public private(set) var inputGradientMoments: TensorMoments?

    public init(_ filters: Int, kernelSize: Int, stride: Int = 1, padding: Padding = .valid,
                activation: Activation = .linear, weightInitializer: Initializer = .glorotUniform,
                name: String = "") {
        self.filters = filters
        self.kernelSize = (kernelSize, kernelSize)
        self.stride = stride
        self.padding = padding
        self.activation = activation
        self.weightInitializer = weightInitializer
        self.name = name
    }

    public var parameters: [Parameter] { weight == nil ? [] : [weight, bias] }
    public var configuration: String {
        "filters=\(filters) kernel=\(kernelSize.height)x\(kernelSize.width) stride=\(stride) "
            + "padding=\(padding.rawValue) activation=\(activation.name)"
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "Conv2D takes images [height, width, channels]")
        }
        let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
        if padding == .valid && (h < kernelSize.height || w < kernelSize.width) {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "a \(kernelSize.height)x\(kernelSize.width) kernel does not fit")
        }
        self.inputShape = inputShape
        let wShape = [kernelSize.height, kernelSize.width, c, filters]
        weight = Parameter(name: "\(name).weight",
                           value: weightInitializer.make(shape: wShape, seed: seed, name: "\(name).weight"),
                           decays: true)
        bias = Parameter(name: "\(name).bias", value: Tensor(shape: [filters]), decays: false)
        let g = Conv2DGeometry(inputShape: [1] + inputShape, weightShape: wShape, stride: stride, padding: padding)
        return [g.outHeight, g.outWidth, filters]
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        // A ReLU is fused into the convolution's write-back; other activations take a pass.
        let fused = activation == .relu
        // Moments are measured at the GEMM's write-back, so only when nothing changes y afterwards.
        var (y, moments) = conv2D(x, weight: weight.value, bias: bias.value, stride: stride, padding: padding,
                                  rectified: fused, measured: measuresOutput && (fused || activation == .linear))
        cachedPreActivation = activation.derivativeUsesInput ? y : nil
        if !fused { activation.apply(inPlace: &y) }
        outputMoments = moments
        cachedInput = x
        cachedOutput = y
        return y
    }

    /// This layer and `pool` after it in one pass (`conv2DMaxPooled`), for a forward pass
    /// that keeps nothing for a backward one and records nothing; nil (nothing done)
    /// where the pair does not fuse: an activation other than ReLU or linear, or a
    /// pooling window larger than the convolution's output.
    func forwardPooled(_ x: Tensor, by pool: MaxPool2D) throws -> Tensor? {
        guard activation == .relu || activation == .linear else { return nil }
        try checkInput(self, x, expected: inputShape)
        guard let y = conv2DMaxPooled(x, weight: weight.value, bias: bias.value, stride: stride, padding: padding,
                                      rectified: activation == .relu, poolSize: pool.size, poolStride: pool.stride)
        else { return nil }
        // As after any forward pass no backward follows: nothing kept for one.
        (cachedInput, cachedOutput, cachedPreActivation, outputMoments) = (nil, nil, nil, nil)
        pool.forgetForward()
        return y
    }

    /// This layer and `pool` after it in one pass for a forward pass that a backward one
    /// follows (`conv2DMaxPooledWithArgmax`), where the pooling's backward pass hands this
    /// layer dL/dz (`MaxPool2D.backwardThroughRectifier`): a ReLU layer under windows that
    /// do not overlap. Keeps the input, for the weight gradient, and the pooling's argmax and
    /// output; this layer's own output is never stored. nil (nothing done) where the pair
    /// does not fuse so.
    func forwardPooledForBackward(_ x: Tensor, by pool: MaxPool2D) throws -> Tensor? {
        guard rectifies, pool.stride >= pool.size else { return nil }
        try checkInput(self, x, expected: inputShape)
        guard let y = conv2DMaxPooledWithArgmax(x, weight: weight.value, bias: bias.value, stride: stride,
                                                padding: padding, rectified: true, poolSize: pool.size,
                                                poolStride: pool.stride) else { return nil }
        (cachedInput, cachedOutput, cachedPreActivation, outputMoments) = (x, nil, nil, nil)
        let g = Conv2DGeometry(inputShape: x.shape, weightShape: weight.value.shape, stride: stride, padding: padding)
        pool.keepForward(y.output, argmax: y.argmax, inputShape: g.outputShape)
        return y.output
    }

    /// The same for a training step whose recorder measures this layer's output or the
    /// pooling's (`conv2DMaxPooledMeasured`): both outputs, with the moments that the two
    /// layers run one after the other would have measured, and what a backward pass needs
    /// kept in each, as after those two passes. With `summarizing` (the recorder's histogram
    /// sample, at a statistics-only step), this layer's output may come as its summary only,
    /// never stored. nil (nothing done) where the pair does not fuse so.
    func forwardPooledMeasured(_ x: Tensor, by pool: MaxPool2D, summarizing sample: Int? = nil) throws
        -> (convolved: Tensor?, summary: TensorSummary?, pooled: Tensor)? {
        guard rectifies, pool.stride >= pool.size else { return nil }
        try checkInput(self, x, expected: inputShape)
        guard let y = conv2DMaxPooledMeasured(x, weight: weight.value, bias: bias.value, stride: stride,
                                              padding: padding, rectified: true, poolSize: pool.size,
                                              poolStride: pool.stride, summarizing: sample) else { return nil }
        // The pooling's backward pass hands this layer dL/dz: its own output is not needed.
        (cachedInput, cachedOutput, cachedPreActivation, outputMoments) = (x, y.convolved, nil, y.convolvedMoments)
        let g = Conv2DGeometry(inputShape: x.shape, weightShape: weight.value.shape, stride: stride, padding: padding)
        pool.keepForward(y.pooled, argmax: y.argmax, inputShape: g.outputShape, moments: y.pooledMoments)
        return (y.convolved, y.convolvedSummary, y.pooled)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // dL/dz = dL/dy ⊙ f′;  dL/dW = im2col(x)ᵀ · dL/dz;  dL/db = Σ dL/dz;  dL/dx = col2im(dL/dz · Wᵀ)
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        // After `forwardPooledForBackward` only the pooling's pass can go on (it hands dL/dz).
        guard let y = cachedOutput else {
            preconditionFailure("\(name): backward before forward (or after one fused with a pooling)")
        }
        let dz = activation.backward(dy, input: cachedPreActivation, output: y)
        return backward(preActivationGradient: dz, inputGradient: inputGradient, parameterGradients: parameterGradients)
    }

    /// Whether the layer ends in a ReLU, so that a pooling above may hand it dL/dz
    /// (`backward(preActivationGradient:…)`).
    public var rectifies: Bool { activation == .relu }

    /// dL/dW and dL/db from the dy of `pool`, the max pooling above this ReLU layer, with the
    /// pooling's backward pass fused in (`MaxPool2D.backwardThroughRectifier(_:withParametersOf:…)`):
    /// dL/dz where `keepsRectified`, and the moments of the pooling's dL/dx when `measured`.
    /// nil (nothing done) where the two do not fuse.
    func parameterGradients(throughPooling pool: MaxPool2D, _ dy: Tensor, argmax: [Int32], pooled: Tensor,
                            keepsRectified: Bool, measured: Bool) -> (rectified: Tensor?, moments: TensorMoments?)? {
        guard let x = cachedInput else { preconditionFailure("\(name): backward before forward") }
        guard rectifies, let g = conv2DWeightGradientThroughMaxPool(
            x, weight: weight.value, stride: stride, padding: padding, pooledGradient: dy, argmax: argmax,
            pooled: pooled, poolSize: pool.size, poolStride: pool.stride, keepsRectified: keepsRectified,
            measured: measured) else { return nil }
        weight.gradient = g.weight
        bias.gradient = g.bias
        return (g.rectified, g.moments)
    }

    /// The backward pass from dL/dz, the gradient before the activation (the ReLU's mask
    /// already applied, as `MaxPool2D.backwardThroughRectifier` does).
    public func backward(preActivationGradient dz: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        guard let x = cachedInput else { preconditionFailure("\(name): backward before forward") }
        inputGradientMoments = nil
        if parameterGradients {
            let g = conv2DBackward(x, weight: weight.value, outputGradient: dz, stride: stride, padding: padding,
                                   computeInputGradient: inputGradient, measured: measuresInputGradient)
            weight.gradient = g.weight
            bias.gradient = g.bias
            inputGradientMoments = g.inputMoments
            return g.input
        }
        guard inputGradient else { return nil }
        let g = conv2DInputGradient(dz, weight: weight.value, inputShape: x.shape, stride: stride, padding: padding,
                                    measured: measuresInputGradient)
        inputGradientMoments = g.moments
        return g.input
    }
}
