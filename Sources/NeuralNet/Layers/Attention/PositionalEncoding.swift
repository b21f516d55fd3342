import Foundation
import Tensor

/// Adds to each step of a sequence `[batch, time, D]` a vector that says where the step
/// is, since attention alone does not see order: y[b, t] = x[b, t] + P[t], P `[context, D]`.
///
///     sinusoidal   P[t, 2i] = sin(t / 10000^(2i/D))    P[t, 2i+1] = cos(t / 10000^(2i/D))   (fixed; Vaswani et al.)
///     learned      P = `embeddings`, a parameter (glorot_uniform), as keras_hub's `PositionEmbedding`
///
///     dL/dx = dL/dy        dL/dP[t] = Σ_batch dL/dy[b, t]   (learned)
///
/// `context` is the longest sequence the model takes; a longer input is refused.
///
/// ```swift
/// let positions = PositionalEncoding(.learned, context: 64)   // positional_encoding1.embeddings
/// ```
public final class PositionalEncoding: Layer {
    /// Fixed sines and cosines, or a learned table.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case sinusoidal
        case learned
    }

    public var name: String
    public let kind = "PositionalEncoding"
    public let encoding: Kind
    public let context: Int
    /// The learned table `[context, D]` (nil for sinusoidal).
    public private(set) var embeddings: Parameter?
    private var fixed = Tensor(shape: [0])
    private var time = 0
    private var features = 0

    public init(_ encoding: Kind, context: Int, name: String = "") {
        self.encoding = encoding
        self.context = context
        self.name = name
    }

    public var parameters: [Parameter] { embeddings.map { [$0] } ?? [] }
    public var configuration: String { "kind=\(encoding.rawValue) context=\(context)" }

    /// P `[context, D]`: the learned table's current value, or the sinusoids.
    public var table: Tensor { embeddings?.value ?? fixed }

    public func build(inputShape: [Int], seed: UInt64) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "PositionalEncoding takes a sequence of vectors [time, features]")
        }
        guard context >= 1 else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "context must be at least 1, got \(context)")
        }
        guard inputShape[0] <= context else {
            throw LayerError.unsupportedInput(layer: name, kind: kind, shape: inputShape,
                                              reason: "the sequence has \(inputShape[0]) steps, longer than the "
                                                  + "context of \(context)")
        }
        (time, features) = (inputShape[0], inputShape[1])
        switch encoding {
        case .sinusoidal:
            fixed = Self.sinusoids(context: context, features: features)
        case .learned:
            let full = "\(name).embeddings"
            embeddings = Parameter(name: full, value: Initializer.glorotUniform.make(shape: [context, features], seed: seed,
                                                                                    name: full), decays: true)
        }
        return inputShape
    }

    /// P[t, 2i] = sin(t·ω_i), P[t, 2i+1] = cos(t·ω_i), ω_i = 10000^(−2i/D).
    public static func sinusoids(context: Int, features: Int) -> Tensor {
        var p = Tensor(shape: [context, features])
        for t in 0..<context {
            for j in 0..<features {
                let frequency = pow(10_000, -Double(j - j % 2) / Double(features))
                let angle = Double(t) * frequency
                p.scalars[t * features + j] = Float(j % 2 == 0 ? sin(angle) : cos(angle))
            }
        }
        return p
    }

    public func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor {
        try checkInput(self, x, expected: [time, features])
        let p = table.scalars, width = time * features
        var y = x
        for b in 0..<x.shape[0] {
            for e in 0..<width { y.scalars[b * width + e] += p[e] }
        }
        return y
    }

    public func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient, parameterGradients: true)
    }

    // dL/dx = dL/dy    dL/dP[t] = Σ_b dL/dy[b, t] (rows t ≥ time get 0)
    public func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        if parameterGradients, let embeddings {
            var g = Tensor(shape: [context, features])
            let width = time * features
            for b in 0..<dy.shape[0] {
                for e in 0..<width { g.scalars[e] += dy.scalars[b * width + e] }
            }
            embeddings.gradient = g
        }
        return inputGradient ? dy : nil
    }
}
