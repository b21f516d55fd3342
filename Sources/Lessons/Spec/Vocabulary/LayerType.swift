/// The `type:` of a layer in a lesson file's `model.layers`. The raw values are the
/// words of the file (Keras's class names); the parser offers `allCases` as the
/// choices and its "did you mean" suggestions, and every switch over them is exhaustive.
public enum LayerType: String, CaseIterable, Sendable {
    case conv2D = "Conv2D"
    case dense = "Dense"
    case maxPool2D = "MaxPool2D"
    case flatten = "Flatten"
    case reshape = "Reshape"
    case dropout = "Dropout"
    case relu = "ReLU"
    case leakyReLU = "LeakyReLU"
    case sigmoid = "Sigmoid"
    case tanh = "Tanh"
    case softmax = "Softmax"
    case embedding = "Embedding"
    case simpleRNN = "SimpleRNN"
    case lstm = "LSTM"
    case gru = "GRU"
    case gelu = "GELU"
    case layerNorm = "LayerNorm"
    case positionalEncoding = "PositionalEncoding"
    case multiHeadAttention = "MultiHeadAttention"
    case transformerBlock = "TransformerBlock"
}

/// A recurrent layer's type (`RecurrentLayer`): raw values are the lesson file's
/// layer types and the layer kinds in a trace.
public enum RecurrentType: String, CaseIterable, Codable, Sendable {
    case simpleRNN = "SimpleRNN"
    case lstm = "LSTM"
    case gru = "GRU"
}

/// An elementwise activation written as a layer of its own (`{type: Sigmoid}`), so
/// that a trace keeps its input z and its output a apart. Raw values are the layer
/// types of the lesson file and the layer kinds in a trace.
public enum ActivationLayerType: String, CaseIterable, Codable, Sendable {
    case relu = "ReLU"
    case leakyReLU = "LeakyReLU"
    case sigmoid = "Sigmoid"
    case tanh = "Tanh"
    case gelu = "GELU"

    /// Keras's `LeakyReLU` slope for x < 0 when the lesson gives no `alpha`.
    public static let defaultLeakyAlpha = 0.3
}
