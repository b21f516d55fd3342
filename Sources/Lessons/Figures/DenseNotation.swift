import Foundation
import NeuralNet

/// How figures name the scalars of a small dense network, as textbooks write them:
/// layer ℓ as a superscript, units as subscripts. wˡᵢⱼ is `denseℓ.weight[i−1, j−1]`
/// (from input i to unit j, Keras's inputs × units layout), bˡⱼ its bias, zˡⱼ the
/// weighted sum, aˡⱼ = f(zˡⱼ), and ŷ the network's output.
enum DenseNotation {
    static func sub(_ n: Int) -> String { digits(n, "₀₁₂₃₄₅₆₇₈₉") }
    static func sup(_ n: Int) -> String { digits(n, "⁰¹²³⁴⁵⁶⁷⁸⁹") }

    static func unit(_ layer: Int, _ j: Int) -> String { sup(layer) + sub(j) }
    static func weight(_ layer: Int, _ i: Int, _ j: Int) -> String { "w" + sup(layer) + sub(i) + sub(j) }
    static func bias(_ layer: Int, _ j: Int) -> String { "b" + sup(layer) + sub(j) }
    static func output(_ j: Int, of count: Int) -> String { count == 1 ? "ŷ" : "ŷ" + sub(j) }

    /// The activation layer's function as the graph's operation circle shows it.
    static func symbol(_ f: Activation) -> String {
        switch f {
        case .sigmoid: return "σ"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .leakyReLU: return "lrelu"
        case .linear: return "id"
        case .gelu: return "gelu"
        }
    }

    /// f′(z) written with a = f(z), as the backward pass uses it.
    static func derivativeRule(_ f: Activation) -> String {
        switch f {
        case .sigmoid: return "σ(z)(1 − σ(z)) = a(1 − a)"
        case .tanh: return "1 − tanh²(z) = 1 − a²"
        case .relu: return "1 if z > 0, else 0"
        case let .leakyReLU(alpha): return "1 if z > 0, else \(alpha)"
        case .linear: return "1"
        case .gelu: return "Φ(z) + z·φ(z)"
        }
    }

    /// f′ with the numbers put in.
    static func derivative(_ f: Activation, a: Double, z: Double, format: (Double) -> String) -> String {
        switch f {
        case .sigmoid: return "\(format(a))·(1 − \(format(a)))"
        case .tanh: return "(1 − \(format(a))²)"
        case .relu: return z > 0 ? "1" : "0"
        case let .leakyReLU(alpha): return z > 0 ? "1" : "\(alpha)"
        case .linear: return "1"
        case .gelu:
            let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            return format(0.5 * erfc(-z / 2.0.squareRoot()) + z * density)
        }
    }

    private static func digits(_ n: Int, _ glyphs: String) -> String {
        let table = Array(glyphs)
        return String(String(n).compactMap { $0.wholeNumberValue.map { table[$0] } })
    }
}
