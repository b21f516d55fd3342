import Foundation
import XCTest

/// What a shared (untrusted, half-written, or oddly run) lesson folder must not break:
/// the listing, the thread count, and the file errors of every command.
final class SharedLessonHardeningTests: XCTestCase {
    /// The repository's lessons plus one whose lesson.yaml is malformed.
    private func lessonsWithABrokenOne() throws -> URL {
        let root = try CLIRunner.temporaryFolder("lessons")
        let repository = CLIRunner.repository.appendingPathComponent("lessons")
        for name in try FileManager.default.contentsOfDirectory(atPath: repository.path) {
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent(name),
                                                       withDestinationURL: repository.appendingPathComponent(name))
        }
        let broken = root.appendingPathComponent("half-written")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try "title: T\nsummary: [oops\n".write(to: broken.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    func testListShowsEveryLessonAndMarksTheBrokenOneWithItsError() throws {
        let lessons = try lessonsWithABrokenOne()
        let r = try CLIRunner.run(["list"], environment: ["LEARN_LESSONS_DIR": lessons.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssert(lines.contains { $0.hasPrefix("cnn-mnist ") && $0.contains("Convolutional") }, r.stdout)
        XCTAssert(lines.contains { $0.hasPrefix("backprop-by-hand ") }, r.stdout)
        let broken = try XCTUnwrap(lines.first { $0.hasPrefix("half-written ") }, r.stdout)
        XCTAssert(broken.contains("broken") && broken.contains(lessons.appendingPathComponent("half-written/lesson.yaml").path + ":3: malformed YAML"), broken)
        XCTAssert(r.stderr.contains("warning: 1 lesson could not be read"), r.stderr)
    }

    func testAGoodLessonBesideABrokenOneStillRuns() throws {
        let lessons = try lessonsWithABrokenOne()
        let out = try CLIRunner.temporaryFolder("out")
        let r = try CLIRunner.run(["lesson", "backprop-by-hand", "--quick", "--no-render", "--quiet", "--out", out.path],
                                  environment: ["LEARN_LESSONS_DIR": lessons.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent("backprop-by-hand/summary.json").path))
    }

    func testThreadsAboveTheCoreCountAreClampedWithAWarning() throws {
        let out = try CLIRunner.temporaryFolder("threads")
        let r = try CLIRunner.run(["lesson", "backprop-by-hand", "--quick", "--no-render", "--quiet", "--threads", "100000",
                                   "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        XCTAssert(r.stderr.contains("warning: --threads 100000 is more than the \(cores) core"), r.stderr)
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: out.appendingPathComponent("backprop-by-hand/summary.json"))) as? [String: Any]
        XCTAssertEqual(summary?["threads"] as? Int, cores)
        let zero = try CLIRunner.run(["lesson", "backprop-by-hand", "--threads", "0"])
        XCTAssertNotEqual(zero.status, 0)
        XCTAssert(zero.stderr.contains("--threads must be at least 1"), zero.stderr)
    }

    func testTraceExportIntoAFolderThatCannotBeWrittenNamesItInOneSentence() throws {
        let out = try CLIRunner.temporaryFolder("export")
        XCTAssertEqual(try CLIRunner.run(["lesson", "backprop-by-hand", "--quick", "--no-render", "--quiet",
                                          "--out", out.path]).status, 0)
        let trace = out.appendingPathComponent("backprop-by-hand/trace").path
        let blocker = out.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: blocker)
        let target = blocker.appendingPathComponent("npy").path
        let r = try CLIRunner.run(["trace", "export", trace, "dense1.weight", "--out", target])
        assertUserError(r, "cannot write to output folder \(target): Not a directory (choose another with --out DIR)")
        XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), r.stderr)
        // A bad name anywhere in the list writes nothing, even for the good names before it.
        let fresh = out.appendingPathComponent("fresh")
        assertUserError(try CLIRunner.run(["trace", "export", trace, "dense1.weight", "dense9.weight", "--out", fresh.path]),
                        "the trace has no tensor 'dense9.weight'")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh.path))
        let good = try CLIRunner.run(["trace", "export", trace, "dense1.weight", "--out", fresh.path])
        XCTAssertEqual(good.status, 0, good.stderr)
    }

    func testBenchLayerProfilePrintsJSON() throws {
        let r = try CLIRunner.run(["bench", "--layers", "--json", "--rounds", "1", "--steps", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.compactMap { $0["name"] as? String },
                       ["conv1", "pool1", "conv2", "pool2", "conv3", "flatten1", "dense1", "dense2"])
        XCTAssertGreaterThan(object["total_ms"] as? Double ?? 0, 0)
    }
}
