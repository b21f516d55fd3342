import Foundation
import XCTest

/// Runs `check_gallery.sh` (headless Chromium) on an output folder under two limits, so a
/// page the browser never finishes fails the test instead of hanging the suite: the
/// script gives the browser `pageSeconds` per page (`CHECK_GALLERY_TIMEOUT`), and the
/// test stops the script itself if it is still running after `deadline` seconds.
struct GalleryBrowserCheck {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("check_gallery.sh")

    /// What the script printed, and its exit status; nil when it was stopped at the deadline.
    var status: Int32?
    var output: String
    var seconds: TimeInterval

    static func run(outputRoot: URL, pageSeconds: Int = 60, deadline: TimeInterval = 300) throws -> GalleryBrowserCheck {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path, outputRoot.path]
        process.environment = ProcessInfo.processInfo.environment.merging(["CHECK_GALLERY_TIMEOUT": "\(pageSeconds)"]) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let output = OutputCollector(pipe.fileHandleForReading)
        let start = Date()
        try process.run()
        let stopped = exited.wait(timeout: .now() + deadline) == .timedOut
        if stopped {
            stop(process, exited)
        }
        // A browser helper that outlived the script could hold the pipe open: read what came.
        return GalleryBrowserCheck(status: stopped ? nil : process.terminationStatus, output: output.text(waitingAtMost: 5),
                                   seconds: Date().timeIntervalSince(start))
    }

    /// Ends the script and everything it started. Foundation starts it as the leader of
    /// its own process group, which the browser joins; signalling only the script would
    /// leave the browser running, and Foundation only reports the script's exit once
    /// every process holding its status socket (the browser too) has ended.
    private static func stop(_ process: Process, _ exited: DispatchSemaphore) {
        let pid = process.processIdentifier
        let group = getpgid(pid) == pid ? -pid : pid  // never our own group
        kill(group, SIGTERM)
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(group, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }
}

/// Reads a pipe to its end on a background thread.
private final class OutputCollector: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            let all = handle.readDataToEndOfFile()
            lock.lock()
            data = all
            lock.unlock()
            done.signal()
        }
    }

    func text(waitingAtMost seconds: TimeInterval) -> String {
        _ = done.wait(timeout: .now() + seconds)
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
