import Foundation
import Tensor

/// How long training took, step by step: the wall-clock seconds spent training by the
/// end of each step (validation passes between epochs left out), kept beside a trace
/// (`training-time.safetensors`, one F32 tensor `seconds`). Apart from the
/// trace itself, since a wall clock differs from run to run while the trace of a seed
/// does not; figures that set models against each other in time (loss against seconds)
/// read it.
public struct TrainingTimeRecord: Equatable, Sendable {
    public static let fileName = "training-time.safetensors"
    /// Seconds of training at the end of step 0, 1, 2, … (non-decreasing).
    public var seconds: [Double]

    public init(seconds: [Double]) { self.seconds = seconds }

    public func write(toTrace directory: URL) throws {
        var writer = SafetensorsWriter(metadata: ["what": "seconds of training at the end of each step, validation excluded"])
        try writer.add("seconds", Tensor(shape: [seconds.count], scalars: seconds.map(Float.init)))
        try writer.write(to: directory.appendingPathComponent(Self.fileName))
    }

    /// The record of the trace in `directory`, or nil when the run kept none.
    public static func read(fromTrace directory: URL) throws -> TrainingTimeRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return TrainingTimeRecord(seconds: try SafetensorsFile(url: url).tensor("seconds").scalars.map(Double.init))
    }
}
