import Foundation

/// A file-system failure said as one plain sentence: what could not be done, to
/// which path, and why (the system's reason, e.g. "Not a directory"), instead of
/// Foundation's `Error Domain=NSCocoaErrorDomain Code=4 …`.
public struct FileProblem: Error, CustomStringConvertible, Equatable {
    /// `cannot write to output folder`, `cannot read`.
    public let action: String
    public let path: String
    public let reason: String
    public let hint: String?

    public init(_ action: String, path: String, reason: String, hint: String? = nil) {
        self.action = action
        self.path = path
        self.reason = reason
        self.hint = hint
    }

    /// The same for an error thrown by Foundation; nil for errors that are not about files.
    public init?(_ error: Error) {
        guard let cocoa = error as? CocoaError, cocoa.isFileError else { return nil }
        let writing = (512..<1024).contains(cocoa.code.rawValue)
        self.init(writing ? "cannot write" : "cannot read", path: cocoa.filePath ?? cocoa.url?.path ?? "a file",
                  reason: Self.reason(of: error))
    }

    public var description: String {
        "\(action) \(path): \(reason)" + (hint.map { " (\($0))" } ?? "")
    }

    /// The operating system's words for why `error` happened (`Permission denied`).
    public static func reason(of error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error,
           (underlying as NSError).domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32((underlying as NSError).code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }

    /// Creates `folder` (and its parents) for a command's `--out`, or throws a
    /// `FileProblem` naming it.
    public static func createOutputFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw FileProblem("cannot write to output folder", path: folder.path, reason: reason(of: error),
                              hint: "choose another with --out DIR")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw FileProblem("cannot write to output folder", path: folder.path, reason: "permission denied",
                              hint: "choose another with --out DIR")
        }
    }
}
