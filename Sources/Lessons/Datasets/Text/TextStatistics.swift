import Foundation

/// How long a text run's validation part is, in its tokens and in characters,
/// kept beside the trace as `text-statistics.json` with the file the text came
/// from. A loss per token depends on what a token is; the ratio turns it into a
/// loss per character, which compares models that cut the same text differently:
///
///     bits per character = (mean loss per token in nats / ln 2) · tokens / characters
///
/// that is, the total validation cross-entropy in bits divided by the number of
/// characters the tokens spell.
public struct TextStatistics: Codable, Equatable, Sendable {
    public static let fileName = "text-statistics.json"

    public var tokenizer: TokenizerKind
    /// The path of the text file the run read.
    public var corpus: String
    public var validationTokens: Int
    /// Characters the validation tokens spell, joined as their tokenizer joins them.
    public var validationCharacters: Int

    public init(tokenizer: TokenizerKind, corpus: String, validationTokens: Int, validationCharacters: Int) {
        self.tokenizer = tokenizer
        self.corpus = corpus
        self.validationTokens = validationTokens
        self.validationCharacters = validationCharacters
    }

    public init(_ text: TokenizedCorpus) {
        self.init(tokenizer: text.vocabulary.kind, corpus: text.source.path, validationTokens: text.ids.validation.count,
                  validationCharacters: text.characterCounts[.validation] ?? 0)
    }

    /// Tokens per character of the validation text.
    public var tokensPerCharacter: Double {
        validationCharacters > 0 ? Double(validationTokens) / Double(validationCharacters) : .nan
    }

    /// A mean cross-entropy per token, in nats, as bits per character.
    public func bitsPerCharacter(lossPerToken: Double) -> Double {
        lossPerToken / log(2) * tokensPerCharacter
    }

    public func write(toTrace folder: URL) throws {
        try JSONFile.write(self, to: folder.appendingPathComponent(Self.fileName))
    }

    /// The statistics kept in the trace in `folder`, or nil when the run kept none.
    public static func read(fromTrace folder: URL) throws -> TextStatistics? {
        let url = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(TextStatistics.self, from: Data(contentsOf: url))
        } catch {
            throw FileProblem("cannot read", path: url.path, reason: FileProblem.reason(of: error))
        }
    }
}
