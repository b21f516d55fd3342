import NeuralNet
import Tensor

/// A GAN in a lesson file: a generator and a discriminator, each a layer list with its
/// own optimizer, trained against each other by `AdversarialTrainer` instead of `Trainer`.
///
/// ```yaml
/// models:
///   noise: {size: 2, distribution: normal}
///   generator:
///     learning_rate: 0.001          # optional: its own rate (default: training's)
///     layers: [{type: Dense, units: 64, activation: relu}, {type: Dense, units: 2}]
///   discriminator:
///     layers: [{type: Dense, units: 64, activation: relu}, {type: Dense, units: 1}]
/// training: {loss: binary_cross_entropy, optimizer: adam, d_steps: 1, label_smoothing: 0.1, ...}
/// ```
/// The generator's last layer must produce one data example and the discriminator's one
/// logit; `d_steps` (k) and `label_smoothing` (s) are `training` keys, so a variant can change them.
public struct GANSpec: Codable, Sendable, Equatable {
    /// Components of the noise vector z.
    public var noiseSize: Int
    public var noise: NoiseDistribution
    public var generator: [LayerSpec]
    public var discriminator: [LayerSpec]
    /// Each model's learning rate; nil: `training.learning_rate` (or the optimizer's default).
    public var generatorLearningRate: Double?
    public var discriminatorLearningRate: Double?

    public init(noiseSize: Int, noise: NoiseDistribution, generator: [LayerSpec], discriminator: [LayerSpec],
                generatorLearningRate: Double? = nil, discriminatorLearningRate: Double? = nil) {
        self.noiseSize = noiseSize
        self.noise = noise
        self.generator = generator
        self.discriminator = discriminator
        self.generatorLearningRate = generatorLearningRate
        self.discriminatorLearningRate = discriminatorLearningRate
    }

    /// The models' names, which prefix their layers' and parameters' names in traces.
    public static let generatorName = "generator"
    public static let discriminatorName = "discriminator"
}

/// What it takes to rebuild a trained GAN without its lesson (`gan.json` beside the
/// trace, both models' parameters in `model.safetensors`): `learn generate` and the
/// figures read it.
public struct GANArchitecture: Codable, Equatable, Sendable {
    public static let fileName = "gan.json"

    public var gan: GANSpec
    /// One data example's shape: the generator's output and the discriminator's input.
    public var dataShape: [Int]
    /// The map from the data as loaded to what D saw and G learnt to produce (images:
    /// pixels in [0, 1] to [−1, 1] with `symmetric`); nil: the data as loaded. Its
    /// inverse turns samples back into pictures.
    public var normalization: InputNormalization?

    public init(gan: GANSpec, dataShape: [Int], normalization: InputNormalization? = nil) {
        self.gan = gan
        self.dataShape = dataShape
        self.normalization = normalization
    }

    /// Whether the examples are images (`[h, w]` or `[h, w, channels]`), not points.
    public var isImage: Bool { dataShape.count == 2 || (dataShape.count == 3 && [1, 3].contains(dataShape[2])) }

    /// Samples (or real examples) as pictures: the normalisation undone, pixels clipped
    /// to [0, 1] (a generator may overshoot), `[N, data shape…]`.
    public func pixels(_ examples: Tensor) -> Tensor {
        let back = normalization?.invert(examples) ?? examples
        return Tensor(shape: back.shape, scalars: back.scalars.map { min(max($0, 0), 1) })
    }
}
