import Tensor

/// Flattens each example to a vector, `[h, w, c]` → `[h·w·c]`, in row-major
/// (channels-last) order, as Keras does. Its backward pass is the inverse reshape.
public final class Flatten: Layer {
    public var name: String
    public let kind = "Flatten"
    private var inputShape: [Int] = []

    public init(name: String = "") { self.name = name }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        self.inputShape = inputShape
        return [inputShape.reduce(1, *)]
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        return x.reshaped([x.shape[0], inputShape.reduce(1, *)])
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        inputGradient ? dy.reshaped([dy.shape[0]] + inputShape) : nil
    }
}
