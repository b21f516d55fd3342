import Foundation
import NeuralNet
import Render
import Tensor

/// A trained model from a lesson's run folder, used on new inputs the way it
/// was trained: inputs as the dataset loaders give them (pixels in [0, 1]) go
/// through the model's stored `InputNormalization`, then the network, then a
/// softmax (or a sigmoid for one output) to give class probabilities.
///
/// ```swift
/// let predictor = try Predictor(runFolder: URL(fileURLWithPath: "output/workflow"))
/// let answers = try predictor.predict(idxImagesAt: url, count: 5)
/// answers[0].className      // "7"
/// answers[0].probabilities  // ten numbers summing to 1
/// ```
public struct Predictor {
    public let model: Sequential
    public let architecture: ModelArchitecture
    /// The folder the model was read from (the run's `trace/`, or the folder given).
    public let modelFolder: URL

    /// Reads `model.json` and `model.safetensors` from `runFolder` or its `trace/`.
    public init(runFolder: URL) throws {
        let folder = try Self.modelFolder(in: runFolder)
        (model, architecture) = try ModelArchitecture.trainedModel(in: folder)
        modelFolder = folder
        guard !architecture.classNames.isEmpty else { throw PredictionError.notAClassifier }
    }

    /// The folder holding a run's `model.json`: `runFolder` itself or its `trace/`.
    public static func modelFolder(in runFolder: URL) throws -> URL {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PredictionError.noRunFolder(runFolder.path)
        }
        let candidates = [runFolder, runFolder.appendingPathComponent("trace")]
        guard let folder = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent(ModelArchitecture.fileName).path)
        }) else { throw PredictionError.noModel(runFolder.path) }
        return folder
    }

    /// The model's image size and channels (1 grey, 3 colour), or an error if its inputs are not images.
    public var imageSize: (height: Int, width: Int, channels: Int) {
        get throws {
            let s = architecture.inputShape
            guard s.count == 3, s[2] == 1 || s[2] == 3 else { throw PredictionError.notAnImageModel(inputShape: s) }
            return (s[0], s[1], s[2])
        }
    }

    /// Predictions for `inputs` (`[N] + inputShape`, as the loaders give them),
    /// called `names`, with true labels where known.
    public func predict(_ inputs: Tensor, names: [String], labels: [Int]? = nil, notes: [String?]? = nil) throws -> [Prediction] {
        let expected = architecture.inputShape
        guard Array(inputs.shape.dropFirst()) == expected else {
            throw PredictionError.wrongShape(found: Array(inputs.shape.dropFirst()), expected: expected)
        }
        let normalized = architecture.normalization?.apply(inputs) ?? inputs
        let p = classProbabilities(try model.predict(normalized), endsInSoftmax: architecture.layers.last == .softmax)
        let c = architecture.classNames.count
        return names.indices.map { i in
            let row = Array(p.scalars[(i * c)..<((i + 1) * c)])
            let best = row.indices.max { row[$0] < row[$1] }!
            return Prediction(input: names[i], predictedClass: best, className: architecture.classNames[best],
                              probabilities: row, classNames: architecture.classNames,
                              label: labels.map { architecture.classNames[$0[i]] }, note: notes?[i] ?? nil)
        }
    }

    /// `count` images (all the rest if nil) of an IDX image file from index
    /// `start`, with the true labels from `labelsURL` when given.
    public func predict(idxImagesAt url: URL, start: Int = 0, count: Int? = nil, labelsURL: URL? = nil) throws -> [Prediction] {
        let images = try IDXFile.images(at: url)
        guard start < images.shape[0] else { throw PredictionError.startBeyondEnd(start, images: images.shape[0]) }
        let range = start..<min(images.shape[0], start + (count ?? images.shape[0]))
        var labels: [Int]?
        if let labelsURL {
            let all = try IDXFile.labels(at: labelsURL, classCount: architecture.classNames.count)
            guard all.count >= range.upperBound else { throw PredictionError.tooFewLabels(all.count, images: range.upperBound) }
            labels = Array(all[range])
        }
        return try predict(images.slice(range), names: range.map { "\(url.lastPathComponent) #\($0)" }, labels: labels)
    }

    /// One PNG file, prepared by `ImageInput` (see there for each step).
    public func predict(pngAt path: String, frameDigit: Bool) throws -> Prediction {
        let size = try imageSize
        let image: RasterImage
        do { image = try RasterImage(contentsOfPNG: path) } catch {
            throw PredictionError.unreadableImage(path, reason: FileManager.default.fileExists(atPath: path)
                                                  ? "not a readable PNG" : "no such file")
        }
        // A colour model, or one trained on the user's own pictures, takes a picture as it is,
        // resized like its training images (no inversion, no framing).
        if size.channels == 3 || architecture.dataset == "images" {
            let pixels = ImagePixels.tensor(image, channels: size.channels, height: size.height, width: size.width)
            return try predict(pixels.reshaped([1] + pixels.shape), names: [path], notes: [nil])[0]
        }
        let prepared: ImageInput
        do { prepared = try ImageInput(image, height: size.height, width: size.width, frameDigit: frameDigit) } catch {
            throw PredictionError.unreadableImage(path, reason: "\(error)")
        }
        var notes: [String] = []
        if prepared.inverted { notes.append("inverted: dark ink on a light background") }
        if frameDigit { notes.append("framed like MNIST") }
        let input = prepared.pixels.reshaped([1] + prepared.pixels.shape)
        return try predict(input, names: [path], notes: [notes.isEmpty ? nil : notes.joined(separator: "; ")])[0]
    }

}

/// What a model says about one input.
public struct Prediction: Codable, Equatable, Sendable {
    /// The file (and index, for an IDX file) the input came from.
    public var input: String
    public var predictedClass: Int
    public var className: String
    /// One per class, in class order; they sum to 1.
    public var probabilities: [Float]
    public var classNames: [String]
    /// The true class name, when a labels file was given.
    public var label: String?
    /// How the input was prepared, when that is worth saying (inverted, framed).
    public var note: String?

    public var confidence: Float { probabilities[predictedClass] }
}

/// Why `learn predict` cannot answer.
public enum PredictionError: Error, CustomStringConvertible, Equatable {
    case noRunFolder(String)
    case noModel(String)
    case notAClassifier
    case notAnImageModel(inputShape: [Int])
    case wrongShape(found: [Int], expected: [Int])
    case unreadableImage(String, reason: String)
    case blankImage
    case tooFewLabels(Int, images: Int)
    case startBeyondEnd(Int, images: Int)

    public var description: String {
        switch self {
        case let .noRunFolder(path):
            return "\(path): no such run folder (run `learn lesson NAME` first; its output is OUT/NAME)"
        case let .noModel(path):
            return "\(path): no trained model here or in its trace/ (model.json); a run whose training diverged keeps none"
        case .notAClassifier:
            return "the model is a regression model; predict shows class probabilities of classifiers"
        case let .notAnImageModel(shape):
            return "the model takes inputs of shape \(shape), not images [height, width, 1 or 3]"
        case let .wrongShape(found, expected):
            return "the inputs have shape \(found) but the model takes \(expected)"
        case let .unreadableImage(path, reason):
            return "\(path): \(reason)"
        case .blankImage:
            return "the image is blank: no ink to frame"
        case let .tooFewLabels(labels, images):
            return "the labels file has \(labels) labels for \(images) images"
        case let .startBeyondEnd(start, images):
            return "--start \(start) is past the last image (the file has \(images), numbered from 0)"
        }
    }
}
