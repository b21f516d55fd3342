import Foundation

/// A lesson's output folder, built under a temporary name and moved into place
/// only when complete, so an interrupted or failed run never leaves a
/// half-written folder where a good one was.
public struct OutputFolder {
    /// `output/NAME`, where the finished run ends up.
    public let final: URL
    /// `output/.NAME.partial`, where the run is written.
    public let staging: URL

    /// Checks that `root` can be written (creating it if needed) and prepares an
    /// empty staging folder for lesson `name`.
    public init(root: URL, name: String) throws {
        final = root.appendingPathComponent(name, isDirectory: true)
        staging = root.appendingPathComponent(".\(name).partial", isDirectory: true)
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
            if fm.fileExists(atPath: staging.path) { try fm.removeItem(at: staging) }
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        } catch {
            throw LessonRunError.unwritableOutput(root.path, reason: (error as NSError).localizedFailureReason
                                                    ?? (error as NSError).localizedDescription)
        }
        guard fm.isWritableFile(atPath: staging.path) else {
            throw LessonRunError.unwritableOutput(root.path, reason: "permission denied")
        }
    }

    /// Replaces `final` with the staging folder (the old run is removed only after
    /// the new one is in place under its name).
    public func commit() throws {
        let fm = FileManager.default
        let old = final.deletingLastPathComponent().appendingPathComponent(".\(final.lastPathComponent).old")
        if fm.fileExists(atPath: old.path) { try fm.removeItem(at: old) }
        if fm.fileExists(atPath: final.path) { try fm.moveItem(at: final, to: old) }
        try fm.moveItem(at: staging, to: final)
        if fm.fileExists(atPath: old.path) { try fm.removeItem(at: old) }
    }

    /// Removes the staging folder after a failure that leaves nothing worth keeping.
    public func discard() {
        try? FileManager.default.removeItem(at: staging)
    }
}

/// A lesson run that could not complete.
public enum LessonRunError: Error, CustomStringConvertible, Equatable {
    case unwritableOutput(String, reason: String)
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .unwritableOutput(path, reason):
            return "cannot write to output folder \(path): \(reason) (choose another with --out DIR)"
        case let .invalidOption(message):
            return message
        }
    }
}
