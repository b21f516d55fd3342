import Foundation
import NeuralNet
import Tensor
import Trace
import Yams

/// Reads and validates `lesson.yaml` into typed values; every error names the file,
/// line and key. The words a key accepts are the cases of its vocabulary enum
/// (`LayerType`, `ActivationName`, `LossName`, ...), offered with a did-you-mean.
public enum LessonSpecParser {

    public static func parse(file: URL, name: String) throws -> LessonSpec {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw LessonError.missingFile(file.path)
        }
        return try parse(yaml: text, file: file.path, name: name)
    }

    public static func parse(yaml: String, file: String, name: String) throws -> LessonSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw LessonError.spec(file: file, line: nil, key: "", message: "the file is empty", hint: nil)
            }
            root = node
        } catch let error as YamlError {
            throw LessonError.spec(file: file, line: yamlErrorLine(error), key: "",
                                   message: "malformed YAML: \(yamlErrorSummary(error))", hint: nil)
        }
        let top = try SpecNode(node: root, file: file, key: "").mapping(
            allowed: ["title", "summary", "level", "minutes", "goals", "data", "model", "models", "training",
                      "record", "figures", "baseline", "variants", "sweep", "narrative", "exercises"],
            required: ["title", "summary", "data", "training"])
        let data = try parseData(top["data"]!)
        let model = try parseModelOrModels(top, node: SpecNode(node: root, file: file, key: ""))
        let layers = model.layers
        let training = try parseTraining(top["training"]!)
        try checkModel(model, training: training, data: data, trainingNode: top["training"]!, dataNode: top["data"]!)
        if model.word2vec != nil || model.gan != nil, let node = top["sweep"] {
            throw node.error("a sweep varies a layer model's training; this lesson's model is "
                             + (model.gan != nil ? "a GAN" : "word2vec"))
        }
        let sweep = try top["sweep"].map(parseSweep)
        let variants = try parseVariants(top["variants"], data: data, model: model, training: training)
        return LessonSpec(
            name: name,
            file: file,
            title: try top["title"]!.string(),
            summary: try top["summary"]!.string(),
            level: try top["level"]?.word(LessonLevel.self) ?? .beginner,
            minutes: try top["minutes"]?.int(in: 1...600) ?? 1,
            goals: try top["goals"]?.strings() ?? [],
            data: data,
            layers: layers,
            training: training,
            record: try top["record"].map(parseRecordPolicy) ?? .default,
            figures: try parseFigures(top["figures"]),
            baseline: try top["baseline"]?.string() ?? "baseline",
            variants: try variants + sweepVariants(sweep, node: top["sweep"], after: variants, data: data,
                                                   layers: layers, training: training),
            sweep: sweep,
            narrative: try top["narrative"]?.strings() ?? [],
            exercises: try top["exercises"]?.string(),
            word2vec: model.word2vec,
            gan: model.gan)
    }

    /// `model` (one model) or `models` (a GAN's two), exactly one of them.
    static func parseModelOrModels(_ m: [String: SpecNode], node: SpecNode) throws -> ParsedModel {
        switch (m["model"], m["models"]) {
        case let (model?, nil): return try parseModel(model)
        case let (nil, models?): return ParsedModel(layers: [], word2vec: nil, gan: try parseGAN(models))
        case let (_, models?): throw models.error("'model' is one model, 'models' a GAN's two: give one of them")
        case (nil, nil): throw node.error("missing required key 'model'", hint: "or 'models' for a GAN")
        }
    }

    /// The `data` mapping; a variant's (with `base`) changes only the keys it names.
    static func parseData(_ node: SpecNode, base: DataSpec? = nil) throws -> DataSpec {
        let m = try node.mapping(allowed: ["dataset", "examples", "test_examples", "noise", "validation_split",
                                           "quick_examples", "normalize"] + inlineDataKeys + sequenceKeys + ownDataKeys,
                                 required: base == nil ? ["dataset"] : [])
        var data = DataSpec(
            dataset: try parseDataset(m, base: base?.dataset),
            examples: try m["examples"]?.int(in: 1...1_000_000) ?? base?.examples ?? 400,
            testExamples: try m["test_examples"]?.int(in: 1...1_000_000) ?? base?.testExamples ?? 200,
            noise: try m["noise"]?.double(in: 0...10) ?? base?.noise,
            validationSplit: try m["validation_split"]?.double(in: 0.01...0.9) ?? base?.validationSplit,
            quickExamples: try m["quick_examples"]?.int(in: 1...1_000_000) ?? base?.quickExamples ?? 1000,
            normalize: try m["normalize"]?.word(NormalizationMethod.self) ?? base?.normalize)
        let numbers: Bool = { switch data.dataset { case .synthetic, .csv: return true; default: return false } }()
        if let method = data.normalize, [.scale, .symmetric].contains(method), numbers {
            let does = method == .scale ? "divides pixel values by 255" : "maps pixel values 0–255 to [−1, 1]"
            throw (m["normalize"] ?? node).error("'\(method.rawValue)' \(does); '\(data.dataset)' has no pixels",
                                                 hint: "use none or standardize")
        }
        data.sequence = try parseSequence(m, dataset: data.dataset, base: base?.sequence)
        return data
    }

    static let sequenceKeys = ["tokenizer", "sequence_length", "stride", "max_vocabulary", "min_count", "merges"]

    /// How sequence data is cut: for a sequence dataset its defaults changed by the keys
    /// given; for any other dataset those keys are a mistake.
    static func parseSequence(_ m: [String: SpecNode], dataset: LessonDataset, base: SequenceSpec?) throws -> SequenceSpec? {
        guard case .sequence = dataset else {
            if let key = sequenceKeys.first(where: { m[$0] != nil }) {
                throw m[key]!.error("'\(key)' is for sequence data (dataset: text, sine-waves, first-token or reverse)")
            }
            return nil
        }
        let start = base ?? SequenceSpec()
        let length = try m["sequence_length"]?.int(in: 2...4096) ?? start.length
        let tokenizer = try m["tokenizer"]?.word(TokenizerKind.self) ?? start.tokenizer
        try checkTokenizerKeys(m, tokenizer: tokenizer)
        return SequenceSpec(tokenizer: tokenizer, length: length,
                            stride: try m["stride"]?.int(in: 1...4096) ?? (m["sequence_length"] == nil ? start.stride : length),
                            maximumVocabulary: try m["max_vocabulary"]?.int(in: 3...1_000_000) ?? start.maximumVocabulary,
                            minimumCount: try m["min_count"]?.int(in: 1...1_000_000) ?? start.minimumCount,
                            merges: try m["merges"]?.int(in: 0...100_000) ?? start.merges)
    }

    /// `merges` sizes a byte-pair vocabulary, whose tokens are all kept; the count
    /// limits prune a vocabulary of characters or words.
    static func checkTokenizerKeys(_ m: [String: SpecNode], tokenizer: TokenizerKind) throws {
        if tokenizer != .bpe, let node = m["merges"] {
            throw node.error("'merges' is for tokenizer: bpe (this data uses \(tokenizer.rawValue))")
        }
        if tokenizer == .bpe, let key = ["max_vocabulary", "min_count"].first(where: { m[$0] != nil }) {
            throw m[key]!.error("'\(key)' limits a character or word vocabulary; a BPE vocabulary is sized by 'merges'")
        }
    }

    /// Variants: each a name plus the `training`, `model` and `data` keys it changes.
    static func parseVariants(_ node: SpecNode?, data: DataSpec, model: ParsedModel,
                              training: TrainingSpec) throws -> [VariantSpec] {
        guard let node else { return [] }
        var seen = Set<String>()
        return try node.array().map { item in
            let m = try item.mapping(allowed: ["name", "training", "model", "models", "data"], required: ["name"])
            let name = try m["name"]!.string()
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.=")
            guard !name.isEmpty, name.allSatisfy(allowed.contains), name != "." && name != ".." else {
                throw m["name"]!.error("a variant name is a folder name: letters, digits, '-', '_', '.', '='")
            }
            guard seen.insert(name).inserted else { throw m["name"]!.error("two variants are called '\(name)'") }
            let variantModel = m["model"] == nil && m["models"] == nil ? model : try parseModelOrModels(m, node: item)
            let variantTraining = try m["training"].map { try parseTraining($0, base: training) } ?? training
            let variantData = try m["data"].map { try parseData($0, base: data) } ?? data
            try checkModel(variantModel, training: variantTraining, data: variantData,
                           trainingNode: m["training"] ?? m["model"] ?? item, dataNode: m["data"] ?? item)
            return VariantSpec(name: name, training: variantTraining, layers: variantModel.layers, data: variantData,
                               word2vec: variantModel.word2vec, gan: variantModel.gan)
        }
    }

    /// `model`: a layer list (`layers`) or Word2Vec (`word2vec`), one of the two.
    static func parseModel(_ node: SpecNode) throws -> ParsedModel {
        let m = try node.mapping(allowed: ["layers", "word2vec"])
        if let word2vec = m["word2vec"] {
            if let layers = m["layers"] { throw layers.error("a model is a layer list or word2vec, not both") }
            return ParsedModel(layers: [], word2vec: try parseWord2Vec(word2vec))
        }
        guard let layerList = m["layers"] else {
            throw node.error("missing required key 'layers'", hint: "or 'word2vec' for a Word2Vec model")
        }
        let layers = try layerList.array()
        guard !layers.isEmpty else { throw layerList.error("a model needs at least one layer") }
        return ParsedModel(layers: try layers.map(parseLayer), word2vec: nil)
    }

    static func parseLayer(_ node: SpecNode) throws -> LayerSpec {
        guard case let .mapping(raw) = node.node, let typeNode = raw["type"] else {
            throw node.error("each layer is a mapping with a 'type'", hint: "e.g. {type: Dense, units: 64}")
        }
        let type = try SpecNode(node: typeNode, file: node.file, key: node.key + ".type").word(LayerType.self)
        func keys(_ extra: [String], required: [String] = []) throws -> [String: SpecNode] {
            try node.mapping(allowed: ["type"] + extra, required: required)
        }
        switch type {
        case .conv2D:
            let m = try keys(["filters", "kernel", "stride", "padding", "activation", "initializer"],
                             required: ["filters", "kernel"])
            return .conv2D(filters: try m["filters"]!.int(in: 1...4096), kernel: try m["kernel"]!.int(in: 1...31),
                           stride: try m["stride"]?.int(in: 1...16) ?? 1,
                           padding: try m["padding"]?.word(Padding.self) ?? .valid,
                           activation: try m["activation"]?.word(ActivationName.self) ?? .linear,
                           initializer: try m["initializer"]?.word(Initializer.self) ?? .glorotUniform)
        case .dense:
            let m = try keys(["units", "activation", "initializer", "weights", "bias"], required: ["units"])
            if m["units"]!.isWord(vocabularyWord) {
                return .dense(units: 0, activation: try m["activation"]?.word(ActivationName.self) ?? .linear,
                              initializer: try m["initializer"]?.word(Initializer.self) ?? .glorotUniform,
                              unitsFromVocabulary: true)
            }
            let units = try m["units"]!.int(in: 1...1_000_000)
            return .dense(units: units,
                          activation: try m["activation"]?.word(ActivationName.self) ?? .linear,
                          initializer: try m["initializer"]?.word(Initializer.self) ?? .glorotUniform,
                          weights: try m["weights"].map { try parseDenseWeights($0, units: units) },
                          bias: try m["bias"].map { try parseDenseBias($0, units: units) })
        case .maxPool2D:
            let m = try keys(["size", "stride"])
            return .maxPool2D(size: try m["size"]?.int(in: 1...16) ?? 2, stride: try m["stride"]?.int(in: 1...16))
        case .dropout:
            let m = try keys(["rate"], required: ["rate"])
            return .dropout(rate: try m["rate"]!.double(in: 0...0.99))
        case .flatten:
            _ = try keys([])
            return .flatten
        case .reshape:
            let m = try keys(["target_shape"], required: ["target_shape"])
            let dimensions = try m["target_shape"]!.array()
            guard !dimensions.isEmpty else { throw m["target_shape"]!.error("a shape needs at least one dimension") }
            return .reshape(targetShape: try dimensions.map { try $0.int(in: 1...1_000_000) })
        case .softmax:
            _ = try keys([])
            return .softmax
        case .leakyReLU:
            let m = try keys(["alpha"])
            return .activation(.leakyReLU, alpha: try m["alpha"]?.double(in: 0...1))
        case .relu:
            _ = try keys([])
            return .activation(.relu)
        case .sigmoid:
            _ = try keys([])
            return .activation(.sigmoid)
        case .tanh:
            _ = try keys([])
            return .activation(.tanh)
        case .embedding:
            let m = try keys(["vocabulary", "dimension", "mask_zero"], required: ["dimension"])
            let vocabulary = try m["vocabulary"].map { try $0.isWord(vocabularyWord) ? nil : $0.int(in: 1...1_000_000) }
            return .embedding(vocabulary: vocabulary ?? nil, dimension: try m["dimension"]!.int(in: 1...65536),
                              maskZero: try m["mask_zero"]?.bool() ?? false)
        case .simpleRNN: return try parseRecurrent(.simpleRNN, keys)
        case .lstm: return try parseRecurrent(.lstm, keys)
        case .gru: return try parseRecurrent(.gru, keys)
        case .gelu:
            _ = try keys([])
            return .activation(.gelu)
        case .layerNorm: return try parseLayerNorm(keys)
        case .positionalEncoding: return try parsePositionalEncoding(keys)
        case .multiHeadAttention: return try parseMultiHeadAttention(keys)
        case .transformerBlock: return try parseTransformerBlock(keys)
        }
    }

    /// The word that stands for the data's vocabulary size (`units: vocabulary`).
    static let vocabularyWord = "vocabulary"

    static func parseRecurrent(_ type: RecurrentType,
                               _ keys: ([String], [String]) throws -> [String: SpecNode]) throws -> LayerSpec {
        let m = try keys(["units", "return_sequences", "recurrent_gain"], ["units"])
        return .recurrent(type, units: try m["units"]!.int(in: 1...65536),
                          returnSequences: try m["return_sequences"]?.bool() ?? false,
                          recurrentGain: try m["recurrent_gain"]?.double(in: 0.01...100))
    }

    /// The `training` mapping; a variant's (with `base`) changes only the keys it
    /// names, except that a new optimizer brings its own learning rate and momentum
    /// defaults unless those are named too.
    static func parseTraining(_ node: SpecNode, base: TrainingSpec? = nil) throws -> TrainingSpec {
        let m = try node.mapping(allowed: ["loss", "optimizer", "learning_rate", "momentum", "schedule", "epochs",
                                           "batch_size", "seed", "l2", "early_stopping_patience", "clip_norm",
                                           "d_steps", "label_smoothing", "beta1"],
                                 required: base == nil ? ["loss", "optimizer"] : [])
        let newOptimizer = try m["optimizer"]?.word(OptimizerName.self)
        // `required` above guarantees both words when there is no base.
        guard let optimizer = newOptimizer ?? base?.optimizer, let loss = try m["loss"]?.word(LossName.self) ?? base?.loss else {
            throw node.error("missing required key '\(newOptimizer == nil ? "optimizer" : "loss")'")
        }
        let keep = newOptimizer == nil ? base : nil
        return TrainingSpec(
            loss: loss, optimizer: optimizer,
            learningRate: try m["learning_rate"]?.double(in: 1e-9...1e6) ?? keep?.learningRate,
            momentum: try m["momentum"]?.double(in: 0...0.9999) ?? keep?.momentum ?? optimizer.defaultMomentum,
            schedule: try m["schedule"]?.word(ScheduleName.self) ?? base?.schedule ?? .constant,
            epochs: try m["epochs"]?.int(in: 1...1000) ?? base?.epochs ?? 5,
            batchSize: try m["batch_size"]?.int(in: 1...65536) ?? base?.batchSize ?? 64,
            seed: UInt64(try m["seed"]?.int(in: 0...Int.max) ?? Int(base?.seed ?? 42)),
            l2: try m["l2"]?.double(in: 0...10) ?? base?.l2,
            earlyStoppingPatience: try m["early_stopping_patience"]?.int(in: 1...1000) ?? base?.earlyStoppingPatience,
            clipNorm: try m["clip_norm"]?.double(in: 1e-6...1e6) ?? base?.clipNorm,
            discriminatorSteps: try m["d_steps"].map(parseDiscriminatorSteps) ?? base?.discriminatorSteps,
            labelSmoothing: try m["label_smoothing"]?.double(in: 0...0.5) ?? base?.labelSmoothing,
            beta1: try m["beta1"]?.double(in: 0...0.9999) ?? keep?.beta1)
    }

    /// `d_steps`: discriminator updates per generator update, 1 to 100.
    static func parseDiscriminatorSteps(_ node: SpecNode) throws -> Int {
        let k = try node.int()
        guard (1...100).contains(k) else {
            throw node.error("\(k) discriminator updates per generator update: the discriminator (models.discriminator) "
                             + "needs at least 1 and at most 100", hint: "d_steps: 1 is the usual choice")
        }
        return k
    }

    /// `figures:` in order, each with an id unique in the lesson: its own `id:`, else the
    /// plot's name, numbered from the second use of a plot on (`compare-curves-2`).
    static func parseFigures(_ node: SpecNode?) throws -> [FigureSpec] {
        guard let node else { return [] }
        var figures: [FigureSpec] = []
        var uses: [PlotName: Int] = [:]
        for item in try node.array() {
            var figure = try parseFigure(item)
            uses[figure.plot, default: 0] += 1
            if case let .mapping(raw) = item.node, raw["id"] == nil, let count = uses[figure.plot], count > 1 {
                figure.id = "\(figure.plot.rawValue)-\(count)"
            }
            if figures.contains(where: { $0.id == figure.id }) {
                throw item.error("two figures have the id '\(figure.id)'", hint: "give one of them its own `id:`")
            }
            figures.append(figure)
        }
        return figures
    }

    /// A figure: a plot from `PlotCatalog`, its caption, and the options that plot takes.
    static func parseFigure(_ node: SpecNode) throws -> FigureSpec {
        guard case let .mapping(raw) = node.node, let plotNode = raw["plot"] else {
            throw node.error("each figure is a mapping with a 'plot'", hint: "e.g. {plot: curves, caption: ...}")
        }
        let plot = try SpecNode(node: plotNode, file: node.file, key: node.key + ".plot").word(PlotName.self)
        let options = PlotCatalog.plot(plot).options
        let m = try node.mapping(allowed: ["plot", "caption", "handout", "id"] + options.keys.sorted(),
                                 required: ["plot", "caption"])
        var values: [String: [String]] = [:]
        for (key, kind) in options {
            guard let value = m[key] else { continue }
            let items = try { if case .sequence = value.node { return try value.array() } else { return [value] } }()
            values[key] = try items.map { item in
                switch kind {
                case .integers: return String(try item.int(in: 0...Int.max))
                case .numbers: return String(try item.double())
                case .text: return try item.string()
                case let .choice(words): return try item.choice(words)
                }
            }
        }
        let id = try m["id"].map { node -> String in
            let id = try node.string()
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw node.error("a figure id is letters, digits, '-' and '_'", hint: "e.g. id: boundary-over-training")
            }
            return id
        }
        return FigureSpec(plot: plot, caption: try m["caption"]!.string(), handout: try m["handout"]?.bool() ?? true,
                          options: values, id: id)
    }

    /// `record:` as `RecordPolicy` reads it (`default`, `all`, `none`, `first=5,every=100,epoch-end`).
    static func parseRecordPolicy(_ node: SpecNode) throws -> RecordPolicy {
        let text = try node.string()
        do {
            return try RecordPolicy(parsing: text)
        } catch {
            throw node.error("\(error)")
        }
    }

    static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }

    static func yamlErrorSummary(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }
}
