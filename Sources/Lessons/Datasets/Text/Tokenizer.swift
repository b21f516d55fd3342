/// Cuts a text into tokens and joins tokens back into text. The kinds are
/// `CharacterTokenizer`, `WordTokenizer` and `BPETokenizer`; a `Vocabulary`
/// turns their tokens into ids.
public protocol Tokenizer: Sendable {
    /// The tokens of `text`, in order.
    func tokens(in text: String) -> [String]
    /// The text that `tokens` spell.
    func join(_ tokens: [String]) -> String
}

/// Which tokenizer a model reads its text with; saved in its vocabulary file.
/// Characters and words are cut by fixed rules; byte-pair encoding (`bpe`) by
/// merges learned from the training text, which the vocabulary keeps.
public enum TokenizerKind: String, CaseIterable, Codable, Sendable {
    case character
    case word
    case bpe

    /// Merges learned when a lesson asks for `tokenizer: bpe` without `merges:`.
    public static let defaultMerges = 256

    /// The tokenizer of a kind cut by fixed rules; nil for `bpe`, whose merges are learned
    /// (`BPETraining`) and kept by the vocabulary (`Vocabulary.tokenizer`).
    public var fixedTokenizer: (any Tokenizer)? {
        switch self {
        case .character: return CharacterTokenizer()
        case .word: return WordTokenizer()
        case .bpe: return nil
        }
    }

    /// What a count of tokens is called in messages: "characters", "words", "tokens".
    public var unitName: String {
        switch self {
        case .character: return "characters"
        case .word: return "words"
        case .bpe: return "BPE tokens"
        }
    }
}
