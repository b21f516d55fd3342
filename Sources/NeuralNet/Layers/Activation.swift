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
        switch self {
        case .linear: break
        case .relu:
            for i in y.scalars.indices { y.scalars[i] = max(y.scalars[i], 0) }
        case let .leakyReLU(alpha):
            for i in y.scalars.indices { let v = y.scalars[i]; y.scalars[i] = v > 0 ? v : alpha * v }
        case .sigmoid:
            for i in y.scalars.indices { y.scalars[i] = Activation.sigmoid(y.scalars[i]) }
        case .tanh:
            for i in y.scalars.indices { y.scalars[i] = Foundation.tanh(y.scalars[i]) }
        }
        return y
    }

    /// dL/dx = dL/dy ⊙ f′ expressed through the forward output y.
    public func backward(_ dy: Tensor, output y: Tensor) -> Tensor {
        var dx = dy
        switch self {
        case .linear: break
        case .relu:
            for i in dx.scalars.indices where y.scalars[i] <= 0 { dx.scalars[i] = 0 }
        case let .leakyReLU(alpha):
            for i in dx.scalars.indices where y.scalars[i] <= 0 { dx.scalars[i] *= alpha }
        case .sigmoid:
            for i in dx.scalars.indices { let s = y.scalars[i]; dx.scalars[i] *= s * (1 - s) }
        case .tanh:
            for i in dx.scalars.indices { let t = y.scalars[i]; dx.scalars[i] *= 1 - t * t }
        }
        return dx
    }

    /// σ(x) computed without overflow for large |x|.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}

import Foundation
