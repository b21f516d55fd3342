import Tensor

/// Inverted dropout (Keras's `Dropout`): in training each element is kept with
/// probability 1 − rate and scaled by 1/(1 − rate), so inference needs no change:
///
///     y = x ⊙ m / (1 − rate),   m_i ~ Bernoulli(1 − rate)      dL/dx = dL/dy ⊙ m / (1 − rate)
///
/// The mask element i of step s is the Philox value at position i of the stream
/// keyed by (seed, layer name, s): the same on every run and thread count.
public final class Dropout: Layer {
    public var name: String
    public let kind = "Dropout"
    public let rate: Float
    private var inputShape: [Int] = []
    private var cachedScale: Tensor?

    public init(rate: Float, name: String = "") {
        self.rate = rate
        self.name = name
    }

    public var configuration: String { "rate=\(rate)" }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard rate >= 0 && rate < 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "rate must be in [0, 1), got \(rate)")
        }
        self.inputShape = inputShape
        return inputShape
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: inputShape)
        guard context.training && rate > 0 else {
            cachedScale = nil
            return x
        }
        let key = RandomStream(seed: context.seed, name: name, index: UInt64(context.step)).key
        let keep = 1 / (1 - rate)
        let scale = Tensor(shape: x.shape, scalars: (0..<x.count).map { i in
            RandomStream.uniform(key: key, index: UInt64(i)) >= rate ? keep : 0
        })
        cachedScale = scale
        return x.zipMapped(scale, *)
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        guard inputGradient else { return nil }
        guard let scale = cachedScale else { return dy }
        return dy.zipMapped(scale, *)
    }
}
