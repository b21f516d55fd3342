import NeuralNet

/// The `activation:` of a Conv2D or Dense layer in a lesson file (Keras's names).
public enum ActivationName: String, CaseIterable, Codable, Sendable {
    case linear
    case relu
    case leakyReLU = "leaky_relu"
    case sigmoid
    case tanh
    case gelu

    /// The engine's activation; leaky ReLU with Keras's layer default slope 0.3.
    public var activation: Activation {
        switch self {
        case .linear: return .linear
        case .relu: return .relu
        case .leakyReLU: return .leakyReLU(alpha: Float(ActivationLayerType.defaultLeakyAlpha))
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .gelu: return .gelu
        }
    }
}
