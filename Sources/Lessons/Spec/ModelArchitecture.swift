import Foundation
import NeuralNet
import Trace

/// What it takes to rebuild a trained model without its lesson: the layer list
/// and the per-example input shape. A run writes it beside its trace as
/// `model.json`, with the final parameters in `model.safetensors`, so figures
/// can evaluate the model at any recorded step and `learn predict` can use it.
public struct ModelArchitecture: Codable, Equatable, Sendable {
    public static let fileName = "model.json"
    public static let weightsFileName = "model.safetensors"

    public var inputShape: [Int]
    public var layers: [LayerSpec]
    /// Class names of a classifier's outputs; empty for regression.
    public var classNames: [String]
    /// How the training inputs were rescaled, so new inputs get the same map
    /// (nil in models written before normalisation was recorded: the identity).
    public var normalization: InputNormalization?
    /// The dataset the model was trained on (`mnist`, `images`, `csv`, ...; nil in models
    /// written before it was recorded). `learn predict` prepares a PNG as MNIST digits were
    /// (grey, light ink on black) except for a model of the user's own pictures (`images`),
    /// which takes a PNG as it is.
    public var dataset: String? = nil
    /// The names of a table's input columns (`dataset: csv`), in input order, so figures
    /// label their axes with them ("petal_length" rather than x₁); nil for other data.
    public var inputNames: [String]? = nil

    public init(inputShape: [Int], layers: [LayerSpec], classNames: [String], normalization: InputNormalization? = nil,
                dataset: String? = nil, inputNames: [String]? = nil) {
        self.dataset = dataset
        self.inputNames = inputNames
        self.inputShape = inputShape
        self.layers = layers
        self.classNames = classNames
        self.normalization = normalization
    }

    /// An untrained model of this architecture (parameters are set afterwards).
    public func model() throws -> Sequential {
        try Sequential(inputShape: inputShape, seed: 0, layers.map(ModelFactory.layer))
    }

    /// Writes `model.json` and, from `model`'s current parameters, `model.safetensors` into `folder`.
    public func write(model: Sequential, to folder: URL, metadata: [String: String]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent(Self.fileName), options: .atomic)
        try Checkpoint.save(model.stateDict(), metadata: metadata,
                            to: folder.appendingPathComponent(Self.weightsFileName))
    }

    /// The architecture stored in `folder`, or an error saying the run kept none.
    public static func read(from folder: URL) throws -> ModelArchitecture {
        let url = folder.appendingPathComponent(fileName)
        guard let data = try? Data(contentsOf: url) else {
            throw LessonError.invalidFile(url.path, reason: "no trained model here (runs since learn 0.2 keep one)")
        }
        do {
            return try JSONDecoder().decode(ModelArchitecture.self, from: data)
        } catch {
            throw LessonError.invalidFile(url.path, reason: "not a model description written by learn (\(error))")
        }
    }

    /// The trained model stored in `folder`: architecture plus final parameters.
    public static func trainedModel(in folder: URL) throws -> (model: Sequential, architecture: ModelArchitecture) {
        let architecture = try read(from: folder)
        let model = try architecture.model()
        try model.loadStateDict(try Checkpoint.load(from: folder.appendingPathComponent(weightsFileName)).tensors)
        return (model, architecture)
    }
}
