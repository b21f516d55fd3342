import Foundation

/// A small JSON file a run keeps beside its trace (`vocabulary.json`,
/// `text-statistics.json`): pretty-printed with sorted keys and plain slashes, so that
/// it reads and diffs well, written at once (never half-written); a failure is a
/// `FileProblem` naming the path.
enum JSONFile {
    static func write<Value: Encodable>(_ value: Value, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try encoder.encode(value).write(to: url, options: .atomic)
        } catch {
            throw FileProblem("cannot write", path: url.path, reason: FileProblem.reason(of: error))
        }
    }
}
