import Foundation
import Tensor

/// The examples a run trained on, kept beside its trace in `training-set.safetensors`
/// when they are small (points in the plane, the x values of a regression), so figures
/// can draw the data under a decision boundary or a fitted curve from files like every
/// other figure:
///
///     inputs    F32 [N, ...]     the training inputs, in the order the run stored them
///     targets   F32 [N, outputs] what each should produce (regression), or
///     labels    I32 [N]          its class (classification)
public struct TrainingSetRecord: Equatable, Sendable {
    public static let fileName = "training-set.safetensors"

    public var inputs: Tensor
    /// Classes of a classification set; nil for regression.
    public var labels: [Int]?
    /// Targets of a regression set; nil for classification.
    public var targets: Tensor?

    public init(inputs: Tensor, labels: [Int]?, targets: Tensor?) {
        self.inputs = inputs
        self.labels = labels
        self.targets = targets
    }

    public func write(toTrace directory: URL) throws {
        var writer = SafetensorsWriter()
        try writer.add("inputs", inputs)
        if let targets { try writer.add("targets", targets) }
        if let labels { try writer.add("labels", shape: [labels.count], payload: .i32(labels.map { Int32($0) })) }
        try writer.write(to: directory.appendingPathComponent(Self.fileName))
    }

    /// The record of the trace in `directory`, or nil when the run stored none.
    public static func read(fromTrace directory: URL) throws -> TrainingSetRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafetensorsFile(url: url)
        var labels: [Int]?
        if file.entries["labels"] != nil {
            guard case let .i32(values) = try file.payload("labels") else {
                throw TraceError.unreadable(file: url.path, reason: "'labels' is not I32")
            }
            labels = values.map(Int.init)
        }
        return TrainingSetRecord(inputs: try file.tensor("inputs"), labels: labels,
                                 targets: file.entries["targets"] == nil ? nil : try file.tensor("targets"))
    }
}
