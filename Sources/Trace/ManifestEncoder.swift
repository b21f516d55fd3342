import Foundation

/// Encodes a growing manifest in time proportional to what changed since the last
/// flush. Two parts grow: the tensor index (a `record: all` run of a small net adds
/// dozens of entries per step) and the statistics chunks (one per flush, each naming
/// every series with three CRCs: 330 KB of the 5-epoch cnn-mnist manifest). Each entry
/// is encoded once, kept, and spliced into the otherwise freshly encoded manifest, one
/// line per tensor or chunk. Re-encoding the whole index at each flush made tracing
/// cost 80 % of a small lesson's run; re-encoding every chunk at each of a long run's
/// flushes on the training thread grew with the square of the run's length.
struct ManifestEncoder {
    private var tensors = EncodedArray(indent: "    ")
    private var chunks = EncodedArray(indent: "      ")

    private static var prettyEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static var compactEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Index entries encoded elsewhere (`TensorEntry.compactJSON`, on the writer's file queue),
    /// in the order they join the manifest's `tensors`: `encode` encodes none of them again.
    mutating func appendEncodedTensors(_ json: [Data]) {
        for entry in json { tensors.append(entry) }
    }

    /// The manifest as pretty-printed JSON whose `tensors` array holds one compact
    /// entry per line, and `statistics.chunks` one compact chunk per line;
    /// `JSONDecoder` reads it like any other encoding of the value.
    mutating func encode(_ manifest: TraceManifest) throws -> Data {
        tensors.keepAtMost(manifest.tensors.count)
        for entry in manifest.tensors[tensors.count...] { tensors.append(Data(entry.compactJSON.utf8)) }
        chunks.keepAtMost(manifest.statistics.chunks.count)
        for chunk in manifest.statistics.chunks[chunks.count...] { chunks.append(try Self.compactEncoder.encode(chunk)) }
        var rest = manifest
        rest.tensors = []
        rest.statistics.chunks = []
        var data = try Self.prettyEncoder.encode(rest)
        // `statistics` is the only top-level object with a `chunks` key, and only a
        // top-level object's keys are indented by four spaces.
        data = chunks.splice(into: data, after: "\n    \"chunks\" : [", closing: "\n    ")
        // `tensors` sorts last among the manifest's keys, and a key's quotes are never
        // escaped, so the last `"tensors" : [` opens the (empty) index array.
        return tensors.splice(into: data, after: "\"tensors\" : [", closing: "\n  ", backwards: true)
    }
}

/// One growing array of the manifest: its entries' JSON, each encoded once, one per
/// line, as the text that goes between the array's brackets.
private struct EncodedArray {
    let indent: String
    private(set) var text = Data()
    private(set) var count = 0

    mutating func append(_ json: Data) {
        text.append(Data(((count == 0 ? "\n" : ",\n") + indent).utf8))
        text.append(json)
        count += 1
    }

    /// A manifest that lost entries (none does today) starts the kept text afresh.
    mutating func keepAtMost(_ entries: Int) {
        if entries < count { (text, count) = (Data(), 0) }
    }

    /// `data` with these entries put inside the empty array that `key` opens.
    func splice(into data: Data, after key: String, closing: String, backwards: Bool = false) -> Data {
        guard count > 0, let open = data.range(of: Data(key.utf8), options: backwards ? .backwards : []),
              let close = data[open.upperBound...].firstIndex(of: UInt8(ascii: "]")) else { return data }
        var out = Data(data[..<open.upperBound])
        out.append(text)
        out.append(Data(closing.utf8))
        out.append(data[close...])
        return out
    }
}
