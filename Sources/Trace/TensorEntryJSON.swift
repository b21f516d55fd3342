/// One index entry as the manifest stores it: compact JSON with sorted keys, the
/// same text `JSONEncoder` (`.sortedKeys`, `.withoutEscapingSlashes`) writes.
///
/// Written by hand because the index grows by dozens of entries per step under
/// `record: all`, and `JSONEncoder` spent about 10 µs on each: a point of a small
/// network's training speed, on the training thread at every flush.
extension TensorEntry {
    var compactJSON: String {
        let quoted = SafetensorsWriter.quoted
        return "{\"crc32\":" + String(crc32) + ",\"dtype\":" + quoted(dtype.rawValue)
            + ",\"epoch\":" + String(epoch) + ",\"file\":" + quoted(file) + ",\"key\":" + quoted(key)
            + ",\"kind\":" + quoted(kind.rawValue) + ",\"name\":" + quoted(name)
            + ",\"shape\":[" + shape.map(String.init).joined(separator: ",") + "],\"step\":" + String(step) + "}"
    }
}
