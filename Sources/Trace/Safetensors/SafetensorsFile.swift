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

    /// What reading and validating a file's header found, to open the same file again
    /// without parsing its header twice (`init(url:layout:)`): a trace's statistics chunk is
    /// opened once for every series a figure draws, and its JSON header was most of a
    /// figure's time.
    public struct Layout: Sendable {
        public let entries: [String: SafetensorsEntry]
        public let metadata: [String: String]
        let dataStart: UInt64
        let fileSize: Int
    }

    public let url: URL
    /// Tensors by name.
    public var entries: [String: SafetensorsEntry] { layout.entries }
    /// The `__metadata__` string pairs (empty if absent).
    public var metadata: [String: String] { layout.metadata }
    /// The header as read and validated, for `init(url:layout:)`.
    public let layout: Layout
    private let handle: FileHandle
    private var dataStart: UInt64 { layout.dataStart }

    /// Opens a file whose header `layout` was read before (by an instance for the same
    /// file); the file must still have the size it had then.
    public init(url: URL, layout: Layout) throws {
        self.url = url
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw SafetensorsError.unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
        self.layout = layout
        let size = (try? handle.seekToEnd()).map(Int.init)
        guard size == layout.fileSize else {
            try? handle.close()
            throw SafetensorsError.unreadable(file: url.path, reason: "its size changed since it was opened")
        }
    }

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
            layout = Layout(entries: header.entries, metadata: header.metadata, dataStart: 8 + length, fileSize: fileSize)
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
