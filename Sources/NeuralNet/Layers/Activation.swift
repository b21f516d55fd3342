import Tensor

/// An elementwise nonlinearity y = f(x), with its derivative written in terms of
/// the output y, so a layer caches only y for its backward pass:
///
///     relu     y = max(x, 0)            dy/dx = [y > 0]
///     leaky    y = x > 0 ? x : αx       dy/dx = y > 0 ? 1 : α      (α > 0)
///     sigmoid  y = 1 / (1 + e^−x)       dy/dx = y(1 − y)
///     tanh     y = tanh x               dy/dx = 1 − y²
///     linear   y = x                    dy/dx = 1
public enum Activation: Equatable, Sendable {
    case linear
    case relu
    case leakyReLU(alpha: Float)
    case sigmoid
    case tanh

    /// The name used in lesson files and layer summaries.
    public var name: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .leakyReLU: return "leaky_relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        }
    }

    public func apply(_ x: Tensor) -> Tensor {
        var y = x
        apply(inPlace: &y)
        return y
    }

    /// y = f(x) overwriting x: a layer's fresh pre-activation needs no second buffer.
    public func apply(inPlace x: inout Tensor) {
        switch self {
        case .linear: break
        case .relu: if x.count > 0 { x.rectifyInPlace() }
        case let .leakyReLU(alpha): x.mapInPlace { $0 > 0 ? $0 : alpha * $0 }
        case .sigmoid: x.mapInPlace(Activation.sigmoid)
        case .tanh: x.mapInPlace { Foundation.tanh($0) }
        }
    }

    /// dL/dx = dL/dy ⊙ f′ expressed through the forward output y.
    public func backward(_ dy: Tensor, output y: Tensor) -> Tensor {
        switch self {
        case .linear: return dy
        case .relu: return dy.count > 0 ? dy.rectifierGradient(output: y) : dy
        case let .leakyReLU(alpha): return dy.zipMapped(y) { d, y in y > 0 ? d : alpha * d }
        case .sigmoid: return dy.zipMapped(y) { d, s in d * s * (1 - s) }
        case .tanh: return dy.zipMapped(y) { d, t in d * (1 - t * t) }
        }
    }

    /// σ(x) computed without overflow for large |x|.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}

import Foundation
