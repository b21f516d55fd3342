import Foundation

/// A stretch of held-out text as token ids, kept beside a text model's trace
/// (`text-sample.safetensors`, one I32 tensor `ids`) with its `vocabulary.json`, so
/// that figures can run the trained model over real text (which cell tracks quotes?)
/// from the trace alone, whatever happens later to the corpus file.
public struct TextSampleRecord: Equatable, Sendable {
    public static let fileName = "text-sample.safetensors"
    public var ids: [Int]

    public init(ids: [Int]) { self.ids = ids }

    public func write(toTrace directory: URL) throws {
        var writer = SafetensorsWriter(metadata: ["what": "held-out token ids, in text order"])
        try writer.add("ids", shape: [ids.count], payload: .i32(ids.map { Int32($0) }))
        try writer.write(to: directory.appendingPathComponent(Self.fileName))
    }

    /// The record of the trace in `directory`, or nil when the run kept none.
    public static func read(fromTrace directory: URL) throws -> TextSampleRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard case let .i32(ids) = try SafetensorsFile(url: url).payload("ids") else {
            throw TraceError.unreadable(file: url.path, reason: "'ids' is not I32")
        }
        return TextSampleRecord(ids: ids.map(Int.init))
    }
}
