import Foundation
import XCTest

/// Runs the built `learn` executable as a user would, and captures what it says.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The repository (for `lessons/`) and the `learn` binary next to the test bundle.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("learn")
    }

    static func run(_ arguments: [String], environment: [String: String] = [:],
                    in directory: URL = repository) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The folder that holds this test run's temporary folders, removed when the run exits:
    /// lessons' outputs, traces and copied data (~150 MB a run) would otherwise pile up in
    /// the system's temporary directory, run after run.
    private static let runFolder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("learn-cli-\(UUID().uuidString)")
        atexit { try? FileManager.default.removeItem(at: CLIRunner.runFolder) }
        return url
    }()

    /// A fresh temporary folder (inside `runFolder`).
    static func temporaryFolder(_ name: String) throws -> URL {
        let url = runFolder.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A lessons folder holding one lesson `name` with `yaml`, and the bundled data.
    static func lessonsFolder(name: String, yaml: String) throws -> URL {
        let root = try temporaryFolder("lessons")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        try yaml.write(to: root.appendingPathComponent(name).appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
        // The runner reads the narrative before it trains; the Markdown files that bundled
        // lessons name, so that a copied lesson.yaml finds them.
        for text in ["introduction.md", "reading-the-figures.md", "exercises.md"] {
            try "## \(text)\n\nText.\n".write(to: root.appendingPathComponent(name).appendingPathComponent(text),
                                            atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("data"),
                                                   withDestinationURL: repository.appendingPathComponent("lessons/data"))
        return root
    }
}

/// Asserts one `error:` line on stderr containing `fragments`, a non-zero exit and no crash dump.
func assertUserError(_ r: CLIRunner.Result, _ fragments: String..., file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNotEqual(r.status, 0, "exit status", file: file, line: line)
    let lines = r.stderr.split(separator: "\n")
    XCTAssertEqual(lines.filter { $0.hasPrefix("error: ") }.count, 1, r.stderr, file: file, line: line)
    for fragment in fragments { XCTAssert(r.stderr.contains(fragment), "«\(fragment)» not in: \(r.stderr)", file: file, line: line) }
    XCTAssertFalse(r.stderr.contains("Fatal error") || r.stderr.contains("Stack dump"), r.stderr, file: file, line: line)
}
