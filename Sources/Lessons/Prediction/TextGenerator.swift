import Foundation
import NeuralNet
import Tensor
import Trace

/// A trained text model with its vocabulary: what it expects after a piece of text,
/// and text it writes one token at a time, each drawn from its prediction.
///
/// The model was built for windows of `context` tokens (its input shape). A shorter
/// text is fed as it is, at positions 0..<n, by rebuilding the model for n steps with
/// the same parameters: left padding would move every token of a short prompt to a
/// position it never had in training, which a model with learned positions reads as
/// different text. A longer text keeps its last `context` tokens, a window sliding
/// along as the text grows, as in training. Sampling divides the logits by the
/// temperature T before the softmax (T < 1 sharpens the distribution, T > 1 flattens
/// it) and, with top-k, draws only among the k most probable tokens; the same seed
/// gives the same text.
///
/// ```swift
/// let writer = try TextGenerator(runFolder: URL(fileURLWithPath: "output/lstm-text"))
/// print(try writer.generate(prompt: "a dog ", length: 200, temperature: 0.8, topK: nil, seed: 1))
/// ```
public struct TextGenerator {
    public let model: Sequential
    public let vocabulary: Vocabulary
    /// Tokens per window the model reads.
    public let context: Int

    public init(model: Sequential, vocabulary: Vocabulary) throws {
        guard model.inputShape.count == 1 else {
            throw GenerationError.notATextModel(reason: "its input is \(model.inputShape), not a sequence of token ids")
        }
        self.model = model
        self.vocabulary = vocabulary
        self.context = model.inputShape[0]
    }

    /// The trained model of a run folder (or of a trace folder inside it).
    public init(runFolder: URL) throws {
        let folder = FileManager.default.fileExists(atPath: runFolder.appendingPathComponent("trace/model.json").path)
            ? runFolder.appendingPathComponent("trace") : runFolder
        let exists = { (name: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) }
        guard exists(Vocabulary.fileName) || exists("trace/\(Vocabulary.fileName)") else {
            throw GenerationError.notATextModel(reason: "\(folder.path) holds no \(Vocabulary.fileName) (learn generate "
                                                    + "continues text with a model trained on text, such as lstm-text's)")
        }
        // A Word2Vec run keeps a vocabulary and embeddings but no model that predicts the next token.
        guard exists("model.json") else {
            throw GenerationError.notATextModel(reason: "\(runFolder.path) holds word vectors but no model that predicts "
                                                    + "the next token (model.json); a run's variants/NAME may hold one")
        }
        try self.init(model: try ModelArchitecture.trainedModel(in: folder).model, vocabulary: try Vocabulary.read(from: folder))
    }

    /// The model's output at every step of the window that ends with `ids` (its last
    /// `context` tokens, at positions 0..<n): `[steps, vocabulary]` logits.
    public func logits(after ids: [Int]) throws -> (logits: [[Float]], steps: Int) {
        defer { try? restoreContext() }
        return try windowLogits(after: ids)
    }

    private func windowLogits(after ids: [Int]) throws -> (logits: [[Float]], steps: Int) {
        let window = Array(ids.suffix(context))
        guard !window.isEmpty else { throw GenerationError.emptyPrompt }
        let y = try forward(window)
        let classes = vocabulary.count
        let rows = (0..<window.count).map { t in Array(y.scalars[(t * classes)..<((t + 1) * classes)]) }
        return (rows, window.count)
    }

    /// The model's output for one window of at most `context` tokens. A shorter window
    /// runs through the model rebuilt for its length (same parameters; layer shapes
    /// follow the input). The public entry points rebuild it for the full context when
    /// they are done, not after every window: while `generate` grows a short prompt,
    /// each length is built once instead of twice (a build draws fresh initial weights,
    /// an orthogonal QR for recurrent kernels, before the trained ones are loaded back).
    private func forward(_ window: [Int]) throws -> Tensor {
        let x = Tensor(shape: [1, window.count], scalars: window.map(Float.init))
        if model.inputShape != [window.count] { try rebuild(steps: window.count) }
        return try model.forward(x, context: .inference)
    }

    private func restoreContext() throws {
        if model.inputShape != [context] { try rebuild(steps: context) }
    }

    private func rebuild(steps: Int) throws {
        let parameters = model.stateDict()
        _ = try model.build(inputShape: [steps], seed: 0)
        try model.loadStateDict(parameters)
    }

    /// p(next token | ids) at temperature T: softmax(logits / T).
    public func nextTokenProbabilities(after ids: [Int], temperature: Double = 1) throws -> [Float] {
        defer { try? restoreContext() }
        return try nextTokenProbabilitiesKeepingWindow(after: ids, temperature: temperature)
    }

    private func nextTokenProbabilitiesKeepingWindow(after ids: [Int], temperature: Double) throws -> [Float] {
        guard let last = try windowLogits(after: ids).logits.last else { return [] }
        return Self.softmax(last, temperature: temperature)
    }

    /// `length` tokens after `prompt`, each drawn from the model's prediction; the
    /// continuation alone, decoded.
    public func generate(prompt: String, length: Int, temperature: Double = 1, topK: Int? = nil,
                         seed: UInt64 = 1) throws -> String {
        try vocabulary.requireKnown(prompt)
        var ids = vocabulary.encode(prompt)
        guard !ids.isEmpty else { throw GenerationError.emptyPrompt }
        defer { try? restoreContext() }
        var rng = RandomStream(seed: seed, name: "generate")
        var written: [Int] = []
        for _ in 0..<length {
            let p = try nextTokenProbabilitiesKeepingWindow(after: ids, temperature: temperature)
            let next = Self.sample(p, topK: topK, uniform: Double(rng.nextUniform()))
            ids.append(next)
            written.append(next)
        }
        return vocabulary.decode(written)
    }

    /// softmax(z / T), in Double for the exponentials.
    static func softmax(_ z: [Float], temperature: Double) -> [Float] {
        let scaled = z.map { Double($0) / temperature }
        let top = scaled.max() ?? 0
        let e = scaled.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { Float($0 / total) }
    }

    /// The token whose cumulative probability first exceeds `uniform` · total, among the
    /// `topK` most probable (ties broken by id) or all; `<pad>` and `<unk>` are never written.
    static func sample(_ p: [Float], topK: Int?, uniform: Double) -> Int {
        var candidates = p.indices.filter { $0 >= Vocabulary.reservedTokens.count }
            .sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
        if let topK { candidates = Array(candidates.prefix(max(1, topK))) }
        let total = candidates.reduce(0.0) { $0 + Double(p[$1]) }
        var running = 0.0
        for id in candidates {
            running += Double(p[id])
            if running >= uniform * total { return id }
        }
        return candidates.last ?? Vocabulary.unknownID
    }
}

/// Why text could not be generated.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case notATextModel(reason: String)
    /// `learn generate --count` on a run that is not a GAN.
    case notAGAN(reason: String)
    case emptyPrompt
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .notATextModel(reason): return "not a text model: \(reason)"
        case let .notAGAN(reason): return "not a GAN: \(reason)"
        case .emptyPrompt: return "the prompt is empty: give the first characters of the text to continue"
        case let .invalidOption(message): return message
        }
    }
}
