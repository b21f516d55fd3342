import NeuralNet

/// The lesson file's words for attention models:
///
/// ```yaml
/// - {type: PositionalEncoding, kind: learned, context: 64}        # kind: sinusoidal (default) or learned
/// - {type: MultiHeadAttention, heads: 4, key_size: 16, causal: true, dropout: 0.1}
/// - {type: TransformerBlock, heads: 4, feed_forward: 256, causal: true}   # key_size: d_model / heads unless given
/// - {type: LayerNorm}                                              # epsilon: Keras's 1e-3 unless given
/// ```
///
/// Sizes that only the model's shapes can judge (a key size of 0, heads that do not
/// divide d_model, a sequence longer than the context) are left to the layers, whose
/// errors name the layer and the shapes.
extension LessonSpecParser {
    typealias LayerKeys = ([String], [String]) throws -> [String: SpecNode]

    static func parseLayerNorm(_ keys: LayerKeys) throws -> LayerSpec {
        let m = try keys(["epsilon"], [])
        return .layerNorm(epsilon: try m["epsilon"]?.double(in: 1e-12...1))
    }

    static func parsePositionalEncoding(_ keys: LayerKeys) throws -> LayerSpec {
        let m = try keys(["kind", "context"], ["context"])
        return .positionalEncoding(try m["kind"]?.word(PositionalEncoding.Kind.self) ?? .sinusoidal,
                                   context: try m["context"]!.int(in: 0...1_000_000))
    }

    static func parseMultiHeadAttention(_ keys: LayerKeys) throws -> LayerSpec {
        let m = try keys(["heads", "key_size", "causal", "dropout"], ["heads", "key_size"])
        return .multiHeadAttention(heads: try m["heads"]!.int(in: 0...1024), keySize: try m["key_size"]!.int(in: 0...65536),
                                   causal: try m["causal"]?.bool() ?? false,
                                   dropout: try m["dropout"]?.double(in: 0...0.99) ?? 0)
    }

    static func parseTransformerBlock(_ keys: LayerKeys) throws -> LayerSpec {
        let m = try keys(["heads", "key_size", "feed_forward", "causal", "dropout"], ["heads", "feed_forward"])
        return .transformerBlock(heads: try m["heads"]!.int(in: 0...1024),
                                 keySize: try m["key_size"]?.int(in: 0...65536),
                                 feedForward: try m["feed_forward"]!.int(in: 0...1_000_000),
                                 causal: try m["causal"]?.bool() ?? false,
                                 dropout: try m["dropout"]?.double(in: 0...0.99) ?? 0)
    }
}
