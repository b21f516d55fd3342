import Foundation

/// Encodes a growing manifest in time proportional to what changed since the last
/// flush. The tensor index is the part that grows (a `record: all` run of a small
/// net adds dozens of entries per step, and the manifest is rewritten at every
/// epoch's end), so each entry is encoded once (`TensorEntry.compactJSON`), kept,
/// and spliced into the otherwise freshly encoded manifest as one line per tensor. Re-encoding the
/// whole index at each flush made tracing cost 80 % of a small lesson's run.
struct ManifestEncoder {
    private var encodedEntries = Data()
    private var encodedCount = 0

    private static var prettyEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The manifest as pretty-printed JSON whose `tensors` array holds one compact
    /// entry per line; `JSONDecoder` reads it like any other encoding of the value.
    mutating func encode(_ manifest: TraceManifest) throws -> Data {
        for entry in manifest.tensors[encodedCount...] {
            encodedEntries.append(Data((encodedCount == 0 ? "\n    " : ",\n    ").utf8))
            encodedEntries.append(Data(entry.compactJSON.utf8))
            encodedCount += 1
        }
        var rest = manifest
        rest.tensors = []
        let data = try Self.prettyEncoder.encode(rest)
        // `tensors` sorts last among the manifest's keys, and a key's quotes are never
        // escaped, so the last `"tensors" : [` opens the (empty) index array.
        guard encodedCount > 0, let key = data.range(of: Data("\"tensors\" : [".utf8), options: .backwards),
              let close = data[key.upperBound...].firstIndex(of: UInt8(ascii: "]")) else { return data }
        var out = Data(data[..<key.upperBound])
        out.append(encodedEntries)
        out.append(Data("\n  ".utf8))
        out.append(data[close...])
        return out
    }
}
