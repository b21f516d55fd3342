import Foundation
import Tensor

/// A trained model's results on held-out data, kept beside the trace in
/// `evaluation.safetensors` so that confusion matrices and mistake grids are
/// drawn from files like every other figure:
///
///     labels          I32 [N]        true class of each test example
///     probabilities   F32 [N, C]     the model's softmax output
///     mistakes/index  I32 [K]        the K most confident mistakes, most confident first
///     mistakes/images F32 [K, ...]   their input images
///     inputs          F32 [N, F]     every test input, when inputs are small (points in
///                                    the plane), so figures can draw the test set
///
/// Class names are in the file's metadata (`class_names`, joined by newlines).
public struct EvaluationRecord: Equatable, Sendable {
    public static let fileName = "evaluation.safetensors"

    public var classNames: [String]
    public var labels: [Int]
    public var probabilities: Tensor
    public var mistakeIndices: [Int]
    public var mistakeImages: Tensor
    /// The test inputs themselves, kept only for small inputs (nil for images).
    public var inputs: Tensor?

    public init(classNames: [String], labels: [Int], probabilities: Tensor, mistakeIndices: [Int], mistakeImages: Tensor,
                inputs: Tensor? = nil) {
        self.classNames = classNames
        self.labels = labels
        self.probabilities = probabilities
        self.mistakeIndices = mistakeIndices
        self.mistakeImages = mistakeImages
        self.inputs = inputs
    }

    /// The predicted class of each example: the most probable one.
    public var predictions: [Int] {
        let c = probabilities.shape.last ?? 1
        return labels.indices.map { i in
            (0..<c).max { probabilities.scalars[i * c + $0] < probabilities.scalars[i * c + $1] } ?? 0
        }
    }

    /// counts[true][predicted].
    public var confusionCounts: [[Int]] {
        var counts = Array(repeating: Array(repeating: 0, count: classNames.count), count: classNames.count)
        for (t, p) in zip(labels, predictions) where t < classNames.count && p < classNames.count { counts[t][p] += 1 }
        return counts
    }

    public func write(toTrace directory: URL) throws {
        var writer = SafetensorsWriter(metadata: ["class_names": classNames.joined(separator: "\n")])
        try writer.add("labels", shape: [labels.count], payload: .i32(labels.map { Int32($0) }))
        try writer.add("probabilities", probabilities)
        try writer.add("mistakes/index", shape: [mistakeIndices.count], payload: .i32(mistakeIndices.map { Int32($0) }))
        try writer.add("mistakes/images", mistakeImages)
        if let inputs { try writer.add("inputs", inputs) }
        try writer.write(to: directory.appendingPathComponent(Self.fileName))
    }

    /// The record of the trace in `directory`, or nil when the run stored none.
    public static func read(fromTrace directory: URL) throws -> EvaluationRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafetensorsFile(url: url)
        func ints(_ name: String) throws -> [Int] {
            guard case let .i32(v) = try file.payload(name) else {
                throw TraceError.unreadable(file: url.path, reason: "'\(name)' is not I32")
            }
            return v.map(Int.init)
        }
        return EvaluationRecord(
            classNames: (file.metadata["class_names"] ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            labels: try ints("labels"), probabilities: try file.tensor("probabilities"),
            mistakeIndices: try ints("mistakes/index"), mistakeImages: try file.tensor("mistakes/images"),
            inputs: file.entries["inputs"] == nil ? nil : try file.tensor("inputs"))
    }
}
