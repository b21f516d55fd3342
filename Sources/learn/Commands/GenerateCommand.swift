import ArgumentParser
import Foundation
import Lessons
import Render

/// `learn generate RUN_DIR --prompt TEXT`: text written by a trained text model;
/// `learn generate RUN_DIR --count N --out FILE.png`: samples of a trained GAN's generator.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a prompt with a trained text model, or draw samples from a trained GAN.",
        discussion: """
        RUN_DIR is a text lesson's run folder (e.g. output/lstm-text, or a variant's \
        folder output/lstm-text/variants/gru) with --prompt, or a GAN lesson's run \
        folder (e.g. output/gan-2d) with --count and --out: points are drawn over the \
        trained discriminator's field beside the real data, images in a grid. The same \
        seed gives the same text or samples.

        A text model reads at most its context (the sequence length it was trained on, \
        64 characters in lstm-text and transformer-text). A shorter prompt is read as it \
        is, at positions 0, 1, 2, ... (no padding, so a Transformer's learned positions \
        mean what they meant in training); a longer prompt, and the text as it grows, \
        is read through its last `context` characters, a window that slides along.

        Examples:
          learn generate output/lstm-text --prompt "a small dog "
          learn generate output/lstm-text --prompt "the " --length 400 \\
              --temperature 0.5
          learn generate output/lstm-text --prompt "the " --top-k 5 --seed 7
          learn generate output/transformer-text --prompt "a piece of " \\
              --temperature 0.8
          learn generate output/gan-2d --count 500 --out samples.png
          learn generate output/gan-2d/variants/collapse --count 500 --seed 3 \\
              --out collapsed.png
          learn generate output/gan-mnist --count 100 --seed 2 --out digits.png
        """)

    static let maximumLength = 100_000
    static let maximumCount = 10_000

    @Argument(help: "The run folder of a text lesson or of a GAN lesson.") var runFolder: String
    @Option(help: "The text to continue (text models).") var prompt: String?
    @Option(help: "Tokens to write.") var length = 200
    @Option(help: "Sampling temperature: below 1 safer, above 1 more varied.") var temperature = 1.0
    @Option(name: .customLong("top-k"), help: "Draw only among the K most probable tokens.") var topK: Int?
    @Option(help: "Samples to draw from a GAN's generator (images: a square grid of them).") var count: Int?
    @Option(help: "The PNG file the GAN's samples are drawn into.") var out: String?
    @Option(help: "Seed of the sampling.") var seed: UInt64 = 1

    func validate() throws {
        if count != nil || out != nil {
            guard prompt == nil else { throw ValidationError("--prompt is for a text model; --count and --out for a GAN") }
            guard let count, let out else { throw ValidationError("a GAN's samples need both --count N and --out FILE.png") }
            guard (1...Self.maximumCount).contains(count) else {
                throw ValidationError("--count must be between 1 and \(Self.maximumCount)")
            }
            guard out.lowercased().hasSuffix(".png") else { throw ValidationError("--out must name a .png file") }
            return
        }
        guard prompt != nil else {
            throw ValidationError("give --prompt TEXT (a text model) or --count N --out FILE.png (a GAN)")
        }
        guard (1...Self.maximumLength).contains(length) else {
            throw ValidationError("--length must be between 1 and \(Self.maximumLength)")
        }
        guard temperature > 0, temperature <= 100 else { throw ValidationError("--temperature must be in (0, 100]") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
    }

    func run() throws {
        if let count, let out {
            let sampler = try GANSampler(runFolder: URL(fileURLWithPath: runFolder))
            let png = try sampler.figure(count: count, seed: seed).pngData()
            do {
                try png.write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw CLIError("cannot write \(out): \(error.localizedDescription)")
            }
            print("wrote \(count) samples to \(out)")
            return
        }
        let writer = try TextGenerator(runFolder: URL(fileURLWithPath: runFolder))
        let text = try writer.generate(prompt: prompt ?? "", length: length, temperature: temperature, topK: topK, seed: seed)
        print((prompt ?? "") + text)
    }
}
