import Foundation
import Tensor

/// A long held-out series kept beside a sequence-regression model's trace
/// (`series-sample.safetensors`: F32 `values`, the noisy series the model reads, and
/// `clean`, the signal without noise), so that figures can feed the model its own
/// predictions far past one window and compare with the truth, from the trace alone.
public struct SeriesSampleRecord: Equatable, Sendable {
    public static let fileName = "series-sample.safetensors"
    public var values: [Float]
    public var clean: [Float]

    public init(values: [Float], clean: [Float]) {
        self.values = values
        self.clean = clean
    }

    public func write(toTrace directory: URL) throws {
        var writer = SafetensorsWriter(metadata: ["what": "a held-out series: noisy values and the clean signal"])
        try writer.add("values", Tensor(shape: [values.count], scalars: values))
        try writer.add("clean", Tensor(shape: [clean.count], scalars: clean))
        try writer.write(to: directory.appendingPathComponent(Self.fileName))
    }

    /// The record of the trace in `directory`, or nil when the run kept none.
    public static func read(fromTrace directory: URL) throws -> SeriesSampleRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try SafetensorsFile(url: url)
        return SeriesSampleRecord(values: try file.tensor("values").scalars, clean: try file.tensor("clean").scalars)
    }
}
