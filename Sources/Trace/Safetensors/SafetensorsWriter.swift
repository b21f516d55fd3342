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
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        var offset = 0
        for name in names {
            let (shape, payload) = tensors[name]!
            let size = payload.count * payload.dtype.byteSize
            header[name] = ["dtype": payload.dtype.rawValue, "shape": shape,
                            "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try! JSONSerialization.data(withJSONObject: header,
                                               options: [.sortedKeys, .withoutEscapingSlashes])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))

        var file = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(json)
        for name in names {
            tensors[name]!.payload.withBytes { file.append(contentsOf: $0) }
        }
        return file
    }
}
