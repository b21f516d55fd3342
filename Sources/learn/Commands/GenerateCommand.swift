import ArgumentParser
import Foundation
import Lessons

/// `learn generate RUN_DIR --prompt TEXT`: text written by a trained text model.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a trained text model, one sampled character (or word) at a time.",
        discussion: """
        RUN_DIR is a text lesson's run folder (e.g. output/lstm-text, or a variant's
        folder output/lstm-text/variants/gru). The same seed gives the same text.

        Examples:
          learn generate output/lstm-text --prompt "a small dog "
          learn generate output/lstm-text --prompt "the " --length 400 --temperature 0.5
          learn generate output/lstm-text --prompt "the " --top-k 5 --seed 7
        """)

    static let maximumLength = 100_000

    @Argument(help: "The run folder of a text lesson.") var runFolder: String
    @Option(help: "The text to continue.") var prompt: String
    @Option(help: "Tokens to write.") var length = 200
    @Option(help: "Sampling temperature: below 1 safer, above 1 more varied.") var temperature = 1.0
    @Option(name: .customLong("top-k"), help: "Draw only among the K most probable tokens.") var topK: Int?
    @Option(help: "Seed of the sampling.") var seed: UInt64 = 1

    func validate() throws {
        guard (1...Self.maximumLength).contains(length) else {
            throw ValidationError("--length must be between 1 and \(Self.maximumLength)")
        }
        guard temperature > 0, temperature <= 100 else { throw ValidationError("--temperature must be in (0, 100]") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        let writer = try TextGenerator(runFolder: URL(fileURLWithPath: runFolder))
        let text = try writer.generate(prompt: prompt, length: length, temperature: temperature, topK: topK, seed: seed)
        print(prompt + text)
    }
}
