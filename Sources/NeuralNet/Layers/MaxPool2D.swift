import Tensor

/// Max pooling over `size`×`size` windows (Keras's `MaxPooling2D`, valid padding):
///
///     y[b,i,j,c] = max_{r,s<size} x[b, i·stride + r, j·stride + s, c]
///
/// The gradient flows only to each window's maximum.
public final class MaxPool2D: MeasuringLayer {
    public var name: String
    public let kind = "MaxPool2D"
    public let size: Int
    public let stride: Int
    private var inputShape: [Int] = []
    private var cachedArgmax: [Int32] = []
    private var cachedBatchShape: [Int] = []
    private var cachedOutput: Tensor?
    public var measuresOutput = false
    public var measuresInputGradient = false
    public private(set) var outputMoments: TensorMoments?
    public private(set) var inputGradientMoments: TensorMoments?

    /// `stride` defaults to `size`, as in Keras.
    public init(size: Int = 2, stride: Int? = nil, name: String = "") {
        self.size = size
        self.stride = stride ?? size
        self.name = name
    }

    public var configuration: String { "pool=\(size)x\(size) stride=\(stride)" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 3, inputShape[0] >= size, inputShape[1] >= size else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "needs images [height, width, channels] of at least \(size)x\(size)")
        }
        self.inputShape = inputShape
        return [(inputShape[0] - size) / stride + 1, (inputShape[1] - size) / stride + 1, inputShape[2]]
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        let (y, argmax, moments) = maxPool2D(x, size: size, stride: stride, measured: measuresOutput,
                                             argmax: context.backwardFollows)
        outputMoments = moments
        cachedArgmax = argmax
        cachedBatchShape = x.shape
        // After a forward that keeps no argmax, a backward stops at its precondition.
        cachedOutput = context.backwardFollows ? y : nil
        return y
    }

    /// After a pass that pooled for this layer (`Conv2D.forwardPooled`): nothing kept, as
    /// after a forward no backward follows.
    func forgetForward() {
        (cachedArgmax, cachedOutput, outputMoments) = ([], nil, nil)
    }

    /// After a pass that pooled for this layer and keeps what a backward pass needs
    /// (`Conv2D.forwardPooledForBackward`, `forwardPooledMeasured`): its output and argmax,
    /// for input batches of `inputShape`, and the output's moments where that pass measured them.
    func keepForward(_ y: Tensor, argmax: [Int32], inputShape: [Int], moments: TensorMoments? = nil) {
        (cachedOutput, cachedArgmax, cachedBatchShape, outputMoments) = (y, argmax, inputShape, moments)
    }

    // dL/dz = dL/dx·[x > 0] for x = max(z, 0) the input: the scatter keeps only the dL/dy whose y > 0.
    /// The gradient through this layer and on through a ReLU that produced its input (a
    /// `Conv2D` with `activation: .relu`), in one pass over dL/dx instead of two
    /// (`maxPool2DRectifierBackward`): for `Sequential`, when nothing records dL/dx.
    public func backwardThroughRectifier(_ dy: Tensor) -> Tensor {
        guard let y = cachedOutput else { preconditionFailure("\(name): backward before forward") }
        inputGradientMoments = nil
        return maxPool2DRectifierBackward(dy, argmax: cachedArgmax, pooled: y, inputShape: cachedBatchShape,
                                          size: size, stride: stride)
    }

    /// `backwardThroughRectifier` for a recorder that keeps dL/dx too (windows that do not
    /// overlap): dL/dz, and dL/dx as its patches (`maxPool2DRectifierBackwardPatched`), with
    /// dL/dx's moments when `measuresInputGradient`.
    public func backwardThroughRectifierPatched(_ dy: Tensor) -> (rectified: Tensor, patches: TensorPatches) {
        guard let y = cachedOutput else { preconditionFailure("\(name): backward before forward") }
        let g = maxPool2DRectifierBackwardPatched(dy, argmax: cachedArgmax, pooled: y, inputShape: cachedBatchShape,
                                                  size: size, stride: stride, measured: measuresInputGradient)
        inputGradientMoments = g.moments
        return (g.rectified, g.patches)
    }

    /// `backwardThroughRectifier` (with `patched`, `backwardThroughRectifierPatched`) and the
    /// weight and bias gradients of `conv`, the convolution below, in the same blocks
    /// (`conv2DWeightGradientThroughMaxPool`), for windows that do not overlap: dL/dz only
    /// where `keepsRectified`. nil (nothing done) where the two do not fuse.
    func backwardThroughRectifier(_ dy: Tensor, withParametersOf conv: Conv2D, keepsRectified: Bool,
                                  patched: Bool) -> (rectified: Tensor?, patches: TensorPatches?)? {
        guard let y = cachedOutput else { preconditionFailure("\(name): backward before forward") }
        guard stride >= size, let g = conv.parameterGradients(throughPooling: self, dy, argmax: cachedArgmax, pooled: y,
                                                              keepsRectified: keepsRectified,
                                                              measured: patched && measuresInputGradient)
        else { return nil }
        inputGradientMoments = g.moments
        let patches = patched ? maxPool2DPatches(dy, argmax: cachedArgmax, pooled: y, inputShape: cachedBatchShape,
                                                 size: size, stride: stride) : nil
        return (g.rectified, patches)
    }

    /// `backwardThroughRectifier(_:withParametersOf:…)` for a trace's statistics-only step:
    /// `conv`'s parameter gradients with no dL/dz written (in registers, for a one-channel
    /// 3×3 first layer), and dL/dx as its summary (`maxPool2DBackwardSummary`: its moments,
    /// measured in that pass, and `sample`'s values from dy and the argmax), never written.
    /// nil (nothing done) where the two do not fuse so.
    func backwardThroughRectifierSummarized(_ dy: Tensor, withParametersOf conv: Conv2D, sample: Int) -> TensorSummary? {
        guard let y = cachedOutput else { preconditionFailure("\(name): backward before forward") }
        guard stride >= size, let g = conv.parameterGradients(throughPooling: self, dy, argmax: cachedArgmax, pooled: y,
                                                              keepsRectified: false, measured: true),
              let moments = g.moments else { return nil }
        inputGradientMoments = moments
        return maxPool2DBackwardSummary(dy, argmax: cachedArgmax, inputShape: cachedBatchShape, size: size,
                                        stride: stride, sample: sample, measured: moments)
    }

    // dL/dx[argmax(window)] = dL/dy[window]; zero elsewhere.
    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        guard inputGradient else {
            inputGradientMoments = nil
            return nil
        }
        let (dx, moments) = maxPool2DBackward(dy, argmax: cachedArgmax, inputShape: cachedBatchShape,
                                              size: size, stride: stride, measured: measuresInputGradient)
        inputGradientMoments = moments
        return dx
    }
}
