import NeuralNet
import Yams

extension LessonSpecParser {
    /// `models`: `generator` and `discriminator` (each `layers` and an optional
    /// `learning_rate`), and `noise` (`size`, `distribution`: normal or uniform).
    static func parseGAN(_ node: SpecNode) throws -> GANSpec {
        let m = try node.mapping(allowed: ["noise", "generator", "discriminator"], required: ["generator", "discriminator"])
        func model(_ key: String) throws -> (layers: [LayerSpec], rate: Double?) {
            let sub = try m[key]!.mapping(allowed: ["layers", "learning_rate"], required: ["layers"])
            let list = try sub["layers"]!.array()
            guard !list.isEmpty else { throw sub["layers"]!.error("the \(key) needs at least one layer") }
            return (try list.map(parseLayer), try sub["learning_rate"]?.double(in: 1e-9...1e6))
        }
        let noise = try m["noise"]?.mapping(allowed: ["size", "distribution"])
        let g = try model(GANSpec.generatorName), d = try model(GANSpec.discriminatorName)
        return GANSpec(noiseSize: try noise?["size"]?.int(in: 1...4096) ?? 2,
                       noise: try noise?["distribution"]?.word(NoiseDistribution.self) ?? .normal,
                       generator: g.layers, discriminator: d.layers,
                       generatorLearningRate: g.rate, discriminatorLearningRate: d.rate)
    }

    /// What a GAN asks of the rest of the file, and what only a GAN takes: binary
    /// cross-entropy from logits (its only loss), no gradient clipping, L2 or early
    /// stopping, data in a fixed range (`normalize` none, scale or symmetric, not
    /// standardize); `d_steps` and `label_smoothing`
    /// belong to a GAN.
    static func checkGAN(_ model: ParsedModel, training: TrainingSpec, data: DataSpec,
                         trainingNode: SpecNode, dataNode: SpecNode) throws {
        func at(_ key: String, _ fallback: SpecNode) -> SpecNode {
            guard case let .mapping(m) = fallback.node, let child = m[Node(key)] else { return fallback }
            return SpecNode(node: child, file: fallback.file, key: fallback.key.isEmpty ? key : "\(fallback.key).\(key)")
        }
        guard model.gan != nil else {
            if let key = [("d_steps", training.discriminatorSteps != nil),
                          ("label_smoothing", training.labelSmoothing != nil)].first(where: \.1)?.0 {
                throw at(key, trainingNode).error("'\(key)' is for a GAN (models: {generator: …, discriminator: …})")
            }
            return
        }
        guard training.loss == .binaryCrossEntropy else {
            throw at("loss", trainingNode).error("a GAN is trained with loss: binary_cross_entropy (from the "
                                                 + "discriminator's logit), not \(training.loss.rawValue)")
        }
        if let key = [("clip_norm", training.clipNorm != nil), ("l2", training.l2 != nil),
                      ("early_stopping_patience", training.earlyStoppingPatience != nil)].first(where: \.1)?.0 {
            throw at(key, trainingNode).error("'\(key)' is for a single model; a GAN takes none")
        }
        if data.normalize == .standardize {
            throw at("normalize", dataNode).error("a GAN's samples are compared with the data in a fixed range, not "
                                                  + "with statistics of the training set",
                                                  hint: "use none (points), or scale or symmetric (pixels to [0, 1] or "
                                                      + "[−1, 1], the range of a last sigmoid or tanh)")
        }
        if case .sequence = data.dataset {
            throw at("dataset", dataNode).error("a GAN here generates points or images, not sequences")
        }
    }
}
