import Tensor

/// Where a generator's input z comes from.
public enum NoiseDistribution: String, Codable, Sendable, CaseIterable {
    /// Each component N(0, 1).
    case normal
    /// Each component uniform on [−1, 1].
    case uniform

    /// `count` noise vectors of `size` components from the stream (`seed`, `name`, `index`).
    public func sample(count: Int, size: Int, seed: UInt64, name: String, index: UInt64) -> Tensor {
        var rng = RandomStream(seed: seed, name: name, index: index)
        let values: [Float] = (0..<(count * size)).map { _ in
            self == .normal ? rng.nextNormal() : rng.nextUniform(-1, 1)
        }
        return Tensor(shape: [count, size], scalars: values)
    }
}

/// How an `AdversarialTrainer` runs.
public struct AdversarialOptions: Sendable, Equatable {
    public var epochs: Int
    /// Real examples per discriminator step; each step's generated batch is as large.
    public var batchSize: Int
    /// k: discriminator updates before each generator update (`d_steps`).
    public var discriminatorSteps: Int
    /// s: the real batch is labelled 1 − s (one-sided label smoothing); 0: none.
    public var labelSmoothing: Float
    /// Components of z.
    public var noiseSize: Int
    public var noise: NoiseDistribution
    /// Seeds shuffling and every noise batch.
    public var seed: UInt64

    public init(epochs: Int = 10, batchSize: Int = 64, discriminatorSteps: Int = 1, labelSmoothing: Float = 0,
                noiseSize: Int = 2, noise: NoiseDistribution = .normal, seed: UInt64 = 42) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.discriminatorSteps = discriminatorSteps
        self.labelSmoothing = labelSmoothing
        self.noiseSize = noiseSize
        self.noise = noise
        self.seed = seed
    }
}

/// Why two models cannot be trained against each other; each names both models' shapes.
public enum AdversarialError: Error, CustomStringConvertible, Equatable {
    /// The generator does not take the noise vector.
    case noiseShape(noiseSize: Int, generatorInput: [Int])
    /// The generator's output is not the data's shape (which the discriminator takes).
    case generatorOutput(generator: [Int], data: [Int], discriminatorInput: [Int])
    /// The discriminator does not end in one logit.
    case discriminatorOutput([Int])
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .noiseShape(size, input):
            return "the generator takes \(input) per example, but the noise z has \(size) components ([\(size)])"
        case let .generatorOutput(generator, data, discriminator):
            return "the generator's output is \(generator) per example, but the data (and the discriminator's input) is "
                + "\(data == discriminator ? "\(data)" : "\(data) / \(discriminator)")"
                + ": the generator's last layer must produce one data example"
        case let .discriminatorOutput(shape):
            return "the discriminator's output is \(shape) per example, but it must end in one logit ([1]): "
                + "a last Dense layer of 1 unit with no activation"
        case let .invalidOption(what):
            return what
        }
    }
}
