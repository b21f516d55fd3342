import Foundation
import XCTest

/// `learn generate` and `learn lesson --text` as a user runs them: text from a trained
/// character model, and one `error:` line for every kind of bad input.
final class GenerateCommandTests: XCTestCase {
    private static var trained: URL?

    /// A quick lstm-text run, trained once for these tests.
    private func run() throws -> URL {
        if let folder = Self.trained { return folder }
        let out = try CLIRunner.temporaryFolder("text")
        let r = try CLIRunner.run(["lesson", "lstm-text", "--quick", "--no-render", "--quiet", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        Self.trained = out.appendingPathComponent("lstm-text")
        return Self.trained!
    }

    func testGenerateContinuesThePromptTheSameWayForTheSameSeed() throws {
        let folder = try run().path
        let a = try CLIRunner.run(["generate", folder, "--prompt", "the ", "--length", "40", "--seed", "5"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertTrue(a.stdout.hasPrefix("the "), a.stdout)
        XCTAssertEqual(a.stdout.count, 4 + 40 + 1, "prompt, 40 characters, newline")
        let b = try CLIRunner.run(["generate", folder, "--prompt", "the ", "--length", "40", "--seed", "5"])
        XCTAssertEqual(a.stdout, b.stdout)
        let gru = try CLIRunner.run(["generate", folder + "/variants/gru", "--prompt", "a", "--length", "10",
                                     "--temperature", "0.5", "--top-k", "3"])
        XCTAssertEqual(gru.status, 0, gru.stderr)
    }

    func testBadGenerateInputsGiveOneErrorLine() throws {
        let folder = try run().path
        assertUserError(try CLIRunner.run(["generate", folder, "--prompt", "naïve ¶"]),
                        "the prompt has characters the model never saw in training", "'ï'", "'¶'")
        XCTAssertNotEqual(try CLIRunner.run(["generate", folder, "--prompt", "a", "--length", "0"]).status, 0)
        XCTAssertNotEqual(try CLIRunner.run(["generate", folder, "--prompt", "a", "--length", "100000000"]).status, 0)
        XCTAssertNotEqual(try CLIRunner.run(["generate", folder, "--prompt", "a", "--temperature", "0"]).status, 0)
        assertUserError(try CLIRunner.run(["generate", folder, "--prompt", ""]), "the prompt is empty")
        let notText = try CLIRunner.temporaryFolder("not-text")
        assertUserError(try CLIRunner.run(["generate", notText.path, "--prompt", "a"]), "not a text model")
    }

    func testTextThatCannotBeUsedIsNamed() throws {
        let folder = try CLIRunner.temporaryFolder("texts")
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let out = try CLIRunner.temporaryFolder("text-out")
        func lesson(_ text: String) throws -> CLIRunner.Result {
            try CLIRunner.run(["lesson", "lstm-text", "--quick", "--no-render", "--out", out.path, "--text", text])
        }
        assertUserError(try lesson(try file("empty.txt", [])), "empty.txt")
        assertUserError(try lesson(try file("binary.txt", [0x41, 0x00, 0x42, 0x43])), "binary.txt")
        assertUserError(try lesson(try file("latin1.txt", Array("caf".utf8) + [0xE9, 0x0A])), "latin1.txt", "UTF-8")
        assertUserError(try lesson(try file("short.txt", Array("a short text\n".utf8))), "short.txt")
        assertUserError(try lesson(folder.appendingPathComponent("missing.txt").path), "missing.txt")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("lstm-text").path),
                       "nothing half-written")
    }

    /// An image GAN (gan-mnist, quick): a PNG grid of its samples, the same bytes for the
    /// same seed; an unwritable --out is one error line.
    func testGenerateDrawsAnImageGANsSamplesAsAPNGGrid() throws {
        let out = try CLIRunner.temporaryFolder("gan-mnist")
        let r = try CLIRunner.run(["lesson", "gan-mnist", "--quick", "--no-render", "--quiet", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let folder = out.appendingPathComponent("gan-mnist").path
        let a = out.appendingPathComponent("a.png"), b = out.appendingPathComponent("b.png")
        for file in [a, b] {
            let g = try CLIRunner.run(["generate", folder, "--count", "16", "--seed", "3", "--out", file.path])
            XCTAssertEqual(g.status, 0, g.stderr)
            XCTAssertTrue(g.stdout.contains("wrote 16 samples"), g.stdout)
        }
        let png = try Data(contentsOf: a)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        XCTAssertEqual(png, try Data(contentsOf: b), "same seed, same picture")
        assertUserError(try CLIRunner.run(["generate", folder, "--count", "4", "--out", out.path + "/missing/x.png"]),
                        "cannot write")
    }
}

/// `learn generate` on the Transformer of `transformer-text`, and the lesson file's
/// attention sizes that cannot work, each refused in one `error:` line.
final class TransformerGenerateCommandTests: XCTestCase {
    func testTransformerWritesTheSameTextForASeedFromShortAndLongPrompts() throws {
        let out = try CLIRunner.temporaryFolder("transformer")
        let r = try CLIRunner.run(["lesson", "transformer-text", "--quick", "--epochs", "1", "--no-render", "--quiet",
                                   "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let folder = out.appendingPathComponent("transformer-text").path
        let a = try CLIRunner.run(["generate", folder, "--prompt", "a ", "--length", "90", "--seed", "2"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(a.stdout.count, 2 + 90 + 1, "prompt, 90 characters (past the context of 64), newline")
        XCTAssertEqual(a.stdout, try CLIRunner.run(["generate", folder, "--prompt", "a ", "--length", "90", "--seed", "2"]).stdout)
        let long = String(repeating: "a piece of cloth ", count: 6)
        let b = try CLIRunner.run(["generate", folder, "--prompt", long, "--length", "5"])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertTrue(b.stdout.hasPrefix(long), "a prompt longer than the context is read through its last 64 characters")
    }

    /// A copy of the lessons folder whose transformer-text lesson.yaml has `edit` applied.
    private func lessons(_ edit: (String) -> String) throws -> URL {
        let repository = CLIRunner.repository.appendingPathComponent("lessons")
        let yaml = try String(contentsOf: repository.appendingPathComponent("transformer-text/lesson.yaml"), encoding: .utf8)
        // lessonsFolder writes the narrative files the lesson names.
        return try CLIRunner.lessonsFolder(name: "transformer-text", yaml: edit(yaml))
    }

    func testImpossibleAttentionSizesNameTheLayerAndShapes() throws {
        func run(_ edit: @escaping (String) -> String) throws -> CLIRunner.Result {
            let out = try CLIRunner.temporaryFolder("bad-transformer")
            let r = try CLIRunner.run(["lesson", "transformer-text", "--quick", "--no-render", "--out", out.path],
                                      environment: ["LEARN_LESSONS_DIR": try lessons(edit).path])
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("transformer-text").path),
                           "nothing half-written")
            return r
        }
        assertUserError(try run { $0.replacingOccurrences(of: "sequence_length: 64", with: "sequence_length: 80") },
                        "positional_encoding1", "[80, 64]", "longer than the context of 64")
        assertUserError(try run { $0.replacingOccurrences(of: "{type: TransformerBlock, heads: 4, feed_forward: 256, causal: true}\n    - {type: LayerNorm}",
                                                          with: "{type: TransformerBlock, heads: 3, feed_forward: 256, causal: true}\n    - {type: LayerNorm}") },
                        "transformer2", "[64, 64]", "3 heads do not divide d_model 64")
        assertUserError(try run { $0.replacingOccurrences(of: "heads: 4, feed_forward: 256, causal: true}\n    - {type: LayerNorm}",
                                                          with: "heads: 4, key_size: 0, feed_forward: 256, causal: true}\n    - {type: LayerNorm}") },
                        "transformer2", "[64, 64]", "key_size must be at least 1, got 0")
    }
}
