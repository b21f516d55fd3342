import CZlib
import Foundation

/// A file opened for reading through zlib's `gz*` functions: gzip data,
/// recognised by its `1f 8b` magic rather than by the file name, is inflated on
/// the fly; any other file is passed through unchanged. Callers ask for an exact
/// number of bytes, so memory never grows beyond what they decided to allow, and
/// a damaged stream surfaces as `IDXError.corruptGzip` with zlib's reason.
final class GzipFile {
    let url: URL
    private let handle: gzFile

    init(_ url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw IDXError.missingFile(url)
        }
        guard !isFolder.boolValue else { throw IDXError.unreadable(url, reason: "it is a folder") }
        guard let handle = gzopen(url.path, "rb") else {
            throw IDXError.unreadable(url, reason: String(cString: strerror(errno)))
        }
        gzbuffer(handle, 1 << 17)
        self.url = url
        self.handle = handle
    }

    deinit { gzclose(handle) }

    /// Whether the file is gzip data (known once something has been read).
    var isCompressed: Bool { gzdirect(handle) == 0 }

    /// The next `count` bytes, or fewer if the file ends first.
    func read(upTo count: Int) throws -> [UInt8] {
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            filled = 0
            guard let base = buffer.baseAddress else { return }
            while filled < count {
                let chunk = UInt32(min(count - filled, 1 << 30))
                let n = gzread(handle, base + filled, chunk)
                if n <= 0 { break }
                filled += Int(n)
            }
        }
        if bytes.count < count { try checkStream() }
        return bytes
    }

    /// True when no byte remains. Reading past the last byte is also what makes
    /// zlib compare the gzip trailer's CRC-32 with the inflated data.
    func isAtEnd() throws -> Bool {
        try read(upTo: 1).isEmpty
    }

    /// Turns zlib's error state into an `IDXError`; `Z_BUF_ERROR` after a short
    /// read means the compressed stream stopped in the middle.
    private func checkStream() throws {
        var code: Int32 = Z_OK
        // gzerror prefixes its message with the path, which IDXError already shows.
        let message = String(String(cString: gzerror(handle, &code)).trimmingPrefix(url.path + ": "))
        switch code {
        case Z_OK:
            return
        case Z_BUF_ERROR:
            throw IDXError.corruptGzip(url, reason: "unexpected end of file, the gzip stream is cut short")
        case Z_ERRNO:
            throw IDXError.unreadable(url, reason: message)
        default:
            throw IDXError.corruptGzip(url, reason: message)
        }
    }
}
