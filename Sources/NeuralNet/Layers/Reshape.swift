import Tensor

/// Gives each example a new shape with the same number of values, in row-major
/// (channels-last) order, as Keras's `Reshape(target_shape)`: a GAN's dense generator
/// ends with `Reshape([28, 28, 1])` so that its 784 outputs are one image. The inverse
/// of `Flatten`; its backward pass is the reshape back, `dL/dx = reshape(dL/dy)`.
public final class Reshape: Layer {
    public var name: String
    public let kind = "Reshape"
    /// The per-example output shape.
    public let targetShape: [Int]
    private var inputShape: [Int] = []

    public init(_ targetShape: [Int], name: String = "") {
        self.targetShape = targetShape
        self.name = name
    }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        let have = inputShape.reduce(1, *), want = targetShape.reduce(1, *)
        guard have == want, targetShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "\(have) values per example cannot be reshaped to "
                                                  + "\(targetShape) (\(want) values)")
        }
        self.inputShape = inputShape
        return targetShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        return x.reshaped([x.shape[0]] + targetShape)
    }

    // dL/dx = dL/dy read back in the input's shape (a reshape moves no values).
    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        inputGradient ? dy.reshaped([dy.shape[0]] + inputShape) : nil
    }

    public var configuration: String { "target_shape=\(targetShape)" }
}
