/// How a convolution's window is placed: Keras's two modes.
public enum Padding: String, Sendable, Codable, CaseIterable {
    /// No padding; output = ⌊(in − k) / stride⌋ + 1.
    case valid
    /// Zero padding so that output = ⌈in / stride⌉; the extra row/column goes bottom/right.
    case same
}

/// Every size a 2-D convolution needs, derived once from the input and weight shapes.
/// Input is NHWC `[batch, height, width, inChannels]`, weight is Keras's
/// `[kernelHeight, kernelWidth, inChannels, outChannels]`.
public struct Conv2DGeometry: Hashable, Sendable {
    public private(set) var batch: Int
    public let height, width, inChannels: Int
    public let kernelHeight, kernelWidth, outChannels: Int
    public let stride: Int
    public let padTop, padLeft: Int
    public let outHeight, outWidth: Int

    public init(inputShape: [Int], weightShape: [Int], stride: Int, padding: Padding) {
        precondition(inputShape.count == 4 && weightShape.count == 4 && stride >= 1)
        precondition(inputShape[3] == weightShape[2], "input channels \(inputShape[3]) ≠ weight channels \(weightShape[2])")
        (batch, height, width, inChannels) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        (kernelHeight, kernelWidth, outChannels) = (weightShape[0], weightShape[1], weightShape[3])
        self.stride = stride
        switch padding {
        case .valid:
            outHeight = (height - kernelHeight) / stride + 1
            outWidth = (width - kernelWidth) / stride + 1
            padTop = 0; padLeft = 0
        case .same:
            outHeight = (height + stride - 1) / stride
            outWidth = (width + stride - 1) / stride
            padTop = max((outHeight - 1) * stride + kernelHeight - height, 0) / 2
            padLeft = max((outWidth - 1) * stride + kernelWidth - width, 0) / 2
        }
    }

    /// The same convolution over `count` images (a run of a batch's images).
    public func over(images count: Int) -> Conv2DGeometry {
        var g = self
        g.batch = count
        return g
    }

    public var outputShape: [Int] { [batch, outHeight, outWidth, outChannels] }
    /// Length of one im2col row: kh·kw·cin.
    public var patchSize: Int { kernelHeight * kernelWidth * inChannels }
    /// Number of output pixels over the batch: the GEMM's M.
    public var outputPixels: Int { batch * outHeight * outWidth }
}
