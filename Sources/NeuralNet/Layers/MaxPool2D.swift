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
        let (y, argmax, moments) = maxPool2D(x, size: size, stride: stride, measured: measuresOutput)
        outputMoments = moments
        cachedArgmax = argmax
        cachedBatchShape = x.shape
        return y
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
