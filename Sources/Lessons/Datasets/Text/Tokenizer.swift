/// Cuts a text into tokens and joins tokens back into text. The two kinds are
/// `CharacterTokenizer` and `WordTokenizer`; a `Vocabulary` turns their tokens
/// into ids.
public protocol Tokenizer: Sendable {
    /// The tokens of `text`, in order.
    func tokens(in text: String) -> [String]
    /// The text that `tokens` spell.
    func join(_ tokens: [String]) -> String
}

/// Which tokenizer a model reads its text with; saved in its vocabulary file.
public enum TokenizerKind: String, CaseIterable, Codable, Sendable {
    case character
    case word

    public var tokenizer: any Tokenizer {
        switch self {
        case .character: return CharacterTokenizer()
        case .word: return WordTokenizer()
        }
    }

    /// What a count of tokens is called in messages: "characters", "words".
    public var unitName: String {
        switch self {
        case .character: return "characters"
        case .word: return "words"
        }
    }
}
