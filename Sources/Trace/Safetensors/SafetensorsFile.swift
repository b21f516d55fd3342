import Foundation
import Tensor

/// Where one tensor lives in a safetensors file.
public struct SafetensorsEntry: Equatable, Sendable {
    public var name: String
    public var dtype: SafetensorsDType
    public var shape: [Int]
    /// Byte range relative to the start of the data section.
    public var dataOffsets: Range<Int>
}

/// An open safetensors file whose header has been read and validated; tensors are
/// read one at a time by seeking, so a large file is never loaded whole.
///
/// The header is untrusted input: its length is capped (`headerLimit`) and must
/// fit in the file; every tensor needs a known dtype, a non-negative shape, and
/// offsets that lie in the data section, match dtype × shape, and tile the data
/// section exactly (no overlap, no gap, no trailing bytes — so a truncated file
/// fails here). Any violation is a `SafetensorsError` naming the file.
public final class SafetensorsFile {
    /// Largest header accepted (the reference implementation uses the same 100 MB).
    public static let headerLimit = 100_000_000

    public let url: URL
    /// Tensors by name.
    public let entries: [String: SafetensorsEntry]
    /// The `__metadata__` string pairs (empty if absent).
    public let metadata: [String: String]
    private let handle: FileHandle
    private let dataStart: UInt64

    public init(url: URL) throws {
        self.url = url
        let file = url.path
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw SafetensorsError.unreadable(file: file, reason: "\(error.localizedDescription)")
        }
        do {
            let fileSize = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
            guard fileSize >= 8, let prefix = try handle.read(upToCount: 8), prefix.count == 8 else {
                throw SafetensorsError.tooShort(file: file, size: fileSize)
            }
            let length = prefix.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            guard length <= UInt64(Self.headerLimit) else {
                throw SafetensorsError.headerTooLarge(file: file, length: length, limit: Self.headerLimit)
            }
            guard 8 + Int(length) <= fileSize else {
                throw SafetensorsError.headerBeyondFile(file: file, length: length, fileSize: fileSize)
            }
            let json = try handle.read(upToCount: Int(length)) ?? Data()
            guard json.count == Int(length) else {
                throw SafetensorsError.headerBeyondFile(file: file, length: length, fileSize: fileSize)
            }
            let header = try SafetensorsHeader(json: json, file: file, dataSize: fileSize - 8 - Int(length))
            entries = header.entries
            metadata = header.metadata
            dataStart = 8 + length
        } catch {
            try? handle.close()
            throw error
        }
    }

    deinit { try? handle.close() }

    /// The raw bytes of tensor `name`, read by seeking to its offsets.
    public func bytes(of name: String) throws -> Data {
        let entry = try entry(name)
        do {
            try handle.seek(toOffset: dataStart + UInt64(entry.dataOffsets.lowerBound))
            let data = try handle.read(upToCount: entry.dataOffsets.count) ?? Data()
            guard data.count == entry.dataOffsets.count else {
                throw SafetensorsError.truncated(file: url.path, tensor: name)
            }
            return data
        } catch let error as SafetensorsError {
            throw error
        } catch {
            throw SafetensorsError.unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
    }

    /// Tensor `name` decoded in its own dtype.
    public func payload(_ name: String) throws -> SafetensorsPayload {
        SafetensorsPayload(dtype: try entry(name).dtype, bytes: try bytes(of: name))
    }

    /// Tensor `name`, which must be `F32`.
    public func tensor(_ name: String) throws -> Tensor {
        let entry = try entry(name)
        guard case let .f32(scalars) = try payload(name) else {
            throw SafetensorsError.wrongDType(file: url.path, tensor: name, expected: .f32, actual: entry.dtype)
        }
        return Tensor(shape: entry.shape, scalars: scalars)
    }

    /// The entry of tensor `name`.
    public func entry(_ name: String) throws -> SafetensorsEntry {
        guard let entry = entries[name] else {
            throw SafetensorsError.missingTensor(file: url.path, tensor: name)
        }
        return entry
    }
}
