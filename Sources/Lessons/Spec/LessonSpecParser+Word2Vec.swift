import Yams

/// A lesson file's `model` section as parsed: a layer list, or Word2Vec (layers empty).
struct ParsedModel {
    var layers: [LayerSpec]
    var word2vec: Word2VecSpec?
    /// Set for a GAN (`models:`); `layers` is then empty.
    var gan: GANSpec? = nil
}

extension LessonSpecParser {
    /// `model.word2vec`: `dimension` (required), `window`, `negatives`, `subsample`
    /// (a threshold such as 0.001, or `none`).
    static func parseWord2Vec(_ node: SpecNode) throws -> Word2VecSpec {
        let m = try node.mapping(allowed: ["dimension", "window", "negatives", "subsample"], required: ["dimension"])
        let defaults = Word2VecSpec(dimension: 1)
        var subsample = defaults.subsample
        if let s = m["subsample"] {
            subsample = s.isWord("none") ? nil : try s.double(in: 1e-9...1)
        }
        return Word2VecSpec(dimension: try m["dimension"]!.int(in: 1...4096),
                            window: try m["window"]?.int(in: 1...50) ?? defaults.window,
                            negatives: try m["negatives"]?.int(in: 1...100) ?? defaults.negatives,
                            subsample: subsample)
    }

    /// What a Word2Vec model asks of the rest of the file (and what a layer list must not
    /// take): word2vec trains on text with the negative-sampling loss and plain SGD, and
    /// has no gradient clipping, L2 or early stopping; negative sampling is its loss only.
    static func checkModel(_ model: ParsedModel, training: TrainingSpec, data: DataSpec,
                           trainingNode: SpecNode, dataNode: SpecNode) throws {
        try checkGAN(model, training: training, data: data, trainingNode: trainingNode, dataNode: dataNode)
        func at(_ key: String, _ fallback: SpecNode) -> SpecNode {
            guard case let .mapping(m) = fallback.node, let child = m[Node(key)] else { return fallback }
            return SpecNode(node: child, file: fallback.file, key: fallback.key.isEmpty ? key : "\(fallback.key).\(key)")
        }
        guard model.word2vec != nil else {
            if training.loss == .negativeSampling {
                throw at("loss", trainingNode).error("negative_sampling is the loss of a word2vec model",
                                                     hint: "a layer list takes softmax_cross_entropy, mse or binary_cross_entropy")
            }
            return
        }
        guard training.loss == .negativeSampling else {
            throw at("loss", trainingNode).error("a word2vec model is trained with loss: negative_sampling, "
                                                 + "not \(training.loss.rawValue)")
        }
        guard training.optimizer == .sgd else {
            throw at("optimizer", trainingNode).error("word2vec updates the rows it touches with plain SGD",
                                                      hint: "use optimizer: sgd")
        }
        if let key = [("clip_norm", training.clipNorm != nil), ("l2", training.l2 != nil),
                      ("early_stopping_patience", training.earlyStoppingPatience != nil)].first(where: \.1)?.0 {
            throw at(key, trainingNode).error("'\(key)' is for a layer model; word2vec takes none")
        }
        guard data.dataset == .sequence(.text) else {
            throw at("dataset", dataNode).error("word2vec learns from the words of a text", hint: "use dataset: text")
        }
    }
}
