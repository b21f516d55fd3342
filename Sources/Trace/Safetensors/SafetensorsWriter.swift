import Foundation
import Tensor

/// Builds a safetensors file: an 8-byte little-endian header length N, N bytes
/// of JSON header (`{"name": {"dtype", "shape", "data_offsets"}, "__metadata__":
/// {...}}`, padded with spaces to a multiple of 8), then the tensors' raw bytes.
/// Tensors are laid out in name order, so the same tensors give the same bytes.
///
/// ```swift
/// var file = SafetensorsWriter(metadata: ["step": "12"])
/// try file.add("weight/conv1.weight", tensor)
/// try file.encoded().write(to: url)
/// ```
/// Python reads the result with `safetensors.numpy.load_file(path)`.
public struct SafetensorsWriter {
    /// Free-form string pairs stored under `__metadata__`.
    public var metadata: [String: String]
    private var tensors: [String: (shape: [Int], payload: SafetensorsPayload)] = [:]

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds a `Float` tensor as `F32`.
    public mutating func add(_ name: String, _ tensor: Tensor) throws {
        try add(name, shape: tensor.shape, payload: .f32(tensor.scalars))
    }

    /// Adds elements of any supported dtype; `shape` must multiply to their count.
    public mutating func add(_ name: String, shape: [Int], payload: SafetensorsPayload) throws {
        guard tensors[name] == nil, name != "__metadata__" else {
            throw SafetensorsError.duplicateName(tensor: name)
        }
        precondition(shape.reduce(1, *) == payload.count,
                     "shape \(shape) does not hold \(payload.count) elements")
        tensors[name] = (shape, payload)
    }

    /// The complete file contents.
    public func encoded() -> Data {
        let (header, payloads) = layout()
        var file = header
        for payload in payloads { payload.withBytes { file.append(contentsOf: $0) } }
        return file
    }

    /// Writes the file to `url` through a temporary name (`AtomicFile`), each payload
    /// straight from its array (a step's full tensors are megabytes: no copy into one
    /// buffer first). Returns the file's size.
    @discardableResult
    public func write(to url: URL) throws -> Int {
        let (header, payloads) = layout()
        let size = payloads.reduce(header.count) { $0 + $1.count * $1.dtype.byteSize }
        try AtomicFile.write(to: url, size: size) { append in
            try header.withUnsafeBytes(append)
            for payload in payloads { try payload.withBytes(append) }
        }
        return size
    }

    /// The 8-byte header length and the JSON header (space-padded to a multiple of
    /// 8 bytes), and the payloads in the order of their offsets (sorted by name).
    private func layout() -> (header: Data, payloads: [SafetensorsPayload]) {
        let names = tensors.keys.sorted()
        // Written by hand: JSONSerialization took as long as writing a step's megabytes.
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { Self.quoted($0) + ":" + Self.quoted(metadata[$0]!) }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let (shape, payload) = tensors[name]!
            let size = payload.count * payload.dtype.byteSize
            fields.append(Self.quoted(name) + ":{\"dtype\":\"" + payload.dtype.rawValue + "\",\"shape\":["
                          + shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":["
                          + String(offset) + "," + String(offset + size) + "]}")
            offset += size
        }
        var json = Data(("{" + fields.joined(separator: ",") + "}").utf8)
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var prefix = Data(capacity: 8 + json.count)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { prefix.append(contentsOf: $0) }
        prefix.append(json)
        return (prefix, names.map { tensors[$0]!.payload })
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        // Most names need no escape: one check of the UTF-8 bytes instead of building
        // the string scalar by scalar (this ran for every tensor of every kept step).
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
