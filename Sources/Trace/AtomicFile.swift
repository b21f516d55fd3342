import Foundation

/// Writes a file so that readers see either the old contents or the new, never
/// a part: the bytes go to `NAME.tmp` in the same folder, which is then renamed
/// over `NAME` (rename(2) is atomic within a file system). A process killed
/// mid-write leaves at most a stray `.tmp` file, which readers ignore.
enum AtomicFile {
    static let temporarySuffix = ".tmp"

    static func write(_ data: Data, to url: URL) throws {
        let temporary = url.appendingPathExtension(String(temporarySuffix.dropFirst()))
        do {
            try data.write(to: temporary)
        } catch {
            throw TraceError.writeFailed(file: temporary.path, reason: error.localizedDescription)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw TraceError.writeFailed(file: url.path, reason: "rename failed: \(reason)")
        }
    }
}
