import Tensor

/// An elementwise nonlinearity y = f(x), with its derivative written in terms of
/// the output y, so a layer caches only y for its backward pass:
///
///     relu     y = max(x, 0)            dy/dx = [y > 0]
///     leaky    y = x > 0 ? x : αx       dy/dx = y > 0 ? 1 : α      (α > 0)
///     sigmoid  y = 1 / (1 + e^−x)       dy/dx = y(1 − y)
///     tanh     y = tanh x               dy/dx = 1 − y²
///     linear   y = x                    dy/dx = 1
///
/// except GELU, whose derivative needs its input x (`derivativeUsesInput`):
///
///     gelu     y = x · Φ(x)              dy/dx = Φ(x) + x · φ(x)   (Φ, φ: the standard normal's
///                                                                 distribution and density; Keras's
///                                                                 default exact form, `GELUKernel`)
public enum Activation: Equatable, Sendable {
    case linear
    case relu
    case leakyReLU(alpha: Float)
    case sigmoid
    case tanh
    case gelu

    /// The name used in lesson files and layer summaries.
    public var name: String {
        switch self {
        case .linear: return "linear"
        case .relu: return "relu"
        case .leakyReLU: return "leaky_relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .gelu: return "gelu"
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
        case .gelu: x = x.gelu()
        }
    }

    /// Whether f′ is computed from the input x (GELU) rather than from the output y, so
    /// that a layer keeps its pre-activation for the backward pass.
    public var derivativeUsesInput: Bool { self == .gelu }

    /// dL/dx = dL/dy ⊙ f′(x), from the input x or the output y as the function needs.
    public func backward(_ dy: Tensor, input x: Tensor?, output y: Tensor) -> Tensor {
        guard derivativeUsesInput else { return backward(dy, output: y) }
        guard let x else { preconditionFailure("\(name): the backward pass needs the input") }
        return dy.geluGradient(input: x)
    }

    /// dL/dx = dL/dy ⊙ f′ expressed through the forward output y (every activation but GELU).
    public func backward(_ dy: Tensor, output y: Tensor) -> Tensor {
        switch self {
        case .linear: return dy
        case .relu: return dy.count > 0 ? dy.rectifierGradient(output: y) : dy
        case let .leakyReLU(alpha): return dy.zipMapped(y) { d, y in y > 0 ? d : alpha * d }
        case .sigmoid: return dy.zipMapped(y) { d, s in d * s * (1 - s) }
        case .tanh: return dy.zipMapped(y) { d, t in d * (1 - t * t) }
        case .gelu: preconditionFailure("gelu: dy/dx needs the input x, use backward(_:input:output:)")
        }
    }

    /// σ(x) computed without overflow for large |x|.
    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}

import Foundation
