import Foundation

/// Why an ONNX file cannot be written or read: each case names the file, node or
/// layer involved, so the command line prints one `error:` line that says what to fix.
public enum ONNXError: Error, CustomStringConvertible, Equatable {
    case unwritable(String, reason: String)
    case layerNotExportable(layer: String, kind: String)
    case unreadable(String, reason: String)
    case notONNX(String, reason: String)
    case unsupportedOperator(String, node: String, op: String)
    case unsupportedAttribute(String, node: String, op: String, detail: String)
    case unsupportedGraph(String, reason: String)

    public var description: String {
        switch self {
        case let .unwritable(path, reason):
            return "\(path): cannot write the ONNX file (\(reason))"
        case let .layerNotExportable(layer, kind):
            return "layer '\(layer)' (\(kind)) has no ONNX export; exportable: Conv2D, Dense, MaxPool2D, Flatten, "
                + "Reshape, Dropout, Softmax, activations, LayerNorm, Embedding, SimpleRNN, LSTM, GRU, "
                + "PositionalEncoding, MultiHeadAttention, TransformerBlock"
        case let .unreadable(path, reason):
            return "\(path): \(reason)"
        case let .notONNX(path, reason):
            return "\(path): not an ONNX model (\(reason))"
        case let .unsupportedOperator(path, node, op):
            return "\(path): node '\(node)' uses operator \(op), which learn does not support (supported: "
                + ONNXImport.supportedOperators.joined(separator: ", ") + "; "
                + ShapeFolding.operators.sorted().joined(separator: ", ") + " as shape arithmetic of a free batch)"
        case let .unsupportedAttribute(path, node, op, detail):
            return "\(path): node '\(node)' (\(op)): \(detail)"
        case let .unsupportedGraph(path, reason):
            return "\(path): \(reason)"
        }
    }
}
