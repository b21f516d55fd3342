import Tensor

/// A residual block (He et al. 2016): y = x + body(x), where `body` keeps the
/// shape. The skip connection adds the upstream gradient straight through:
///
///     dL/dx = dL/dy + body′ᵀ · dL/dy
///
/// The body's layers are named inside the block (`res1.conv1`), so its
/// parameters and activations keep distinct names in traces. The mask of the input's
/// steps (`MaskConsumingLayer`) goes on to the body's first layer.
public final class Residual: Layer, MaskConsumingLayer, LayerContainer {
    public var name: String
    public let kind = "Residual"
    public let body: Sequential
    public var inputMask: Tensor?

    public init(_ layers: [Layer], name: String = "") {
        self.body = Sequential(layers)
        self.name = name
    }

    public var parameters: [Parameter] { body.parameters }
    public var chain: Sequential { body }
    public var configuration: String { "body=" + body.layers.map(\.kind).joined(separator: ",") }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        body.name = name
        let out = try body.build(inputShape: inputShape, seed: seed)
        guard out == inputShape else {
            throw LayerError.shapeMismatch(layer: name, kind: kind, expected: inputShape, got: out)
        }
        return out
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        body.inputMask = inputMask
        return try body.forward(x, context: context).zipMapped(x, +)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        body.backward(dy, inputGradient: inputGradient, parameterGradients: parameterGradients)?.zipMapped(dy, +)
    }
}
