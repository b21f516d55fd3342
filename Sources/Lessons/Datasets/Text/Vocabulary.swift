/// The tokens a model knows, each with an id: id 0 is the padding token
/// `<pad>`, id 1 the unknown token `<unk>`, then the tokens of the training
/// text by descending count, ties broken by the token's UTF-8 bytes (so by
/// Unicode code point, as Python's `sorted` orders strings).
///
/// Built from the training part of a text only, so that validation and test
/// measure what a model does with text it has not seen; a token met only
/// there encodes as `<unk>`.
///
/// ```swift
/// let vocabulary = try Vocabulary(training: "abca", kind: .character)
/// vocabulary.tokens            // ["<pad>", "<unk>", "a", "b", "c"]
/// vocabulary.encode("cab!")    // [4, 2, 3, 1]
/// vocabulary.decode([4, 2, 3]) // "cab"
/// ```
///
/// It is saved with a trained model as `vocabulary.json` (see `Vocabulary+File.swift`).
public struct Vocabulary: Equatable, Sendable {
    public static let paddingToken = "<pad>"
    public static let unknownToken = "<unk>"
    public static let paddingID = 0
    public static let unknownID = 1
    public static let reservedTokens = [paddingToken, unknownToken]

    /// The tokenizer that cuts text into this vocabulary's tokens.
    public let kind: TokenizerKind
    /// The token of each id: `tokens[0] == "<pad>"`, `tokens[1] == "<unk>"`.
    public let tokens: [String]
    /// How often each token occurs in the training text (0 for the reserved tokens).
    public let counts: [Int]
    /// For `bpe`, the tokenizer with the learned merges.
    private let bpe: BPETokenizer?
    private let idOfToken: [String: Int]

    /// The vocabulary of `text` cut by `kind`'s tokenizer; for `bpe`, with `merges`
    /// merges learned from `text` first (see `init(bpe:training:)`).
    ///
    /// - Parameters:
    ///   - maximumSize: at most this many ids, the two reserved ones included
    ///     (the most frequent tokens are kept); nil for no cap.
    ///   - minimumCount: tokens seen fewer times are left out (they become `<unk>`).
    public init(training text: String, kind: TokenizerKind, merges: Int = TokenizerKind.defaultMerges,
                maximumSize: Int? = nil, minimumCount: Int = 1) throws {
        guard let tokenizer = kind.fixedTokenizer else {
            self.init(bpe: BPETraining(text: text, merges: merges), training: text)
            return
        }
        try self.init(counting: tokenizer.tokens(in: text), kind: kind,
                      maximumSize: maximumSize, minimumCount: minimumCount)
    }

    /// A byte-pair-encoding vocabulary: every character of the training text and every
    /// merged token has an id, even one that the final merges absorbed everywhere in the
    /// training text (count 0), so that any text of those characters encodes without
    /// `<unk>`. Ids follow the count in `text` cut by the merges, as for the other kinds.
    public init(bpe training: BPETraining, training text: String) {
        let tokenizer = training.tokenizer
        var counted: [String: Int] = [:]
        for token in tokenizer.tokens(in: text) where !Self.reservedTokens.contains(token) {
            counted[token, default: 0] += 1
        }
        for token in training.alphabet + training.merges.map(\.token) where !Self.reservedTokens.contains(token) {
            counted[token, default: 0] += 0
        }
        let ranked = Self.ranked(counted)
        self.init(validated: .bpe, tokens: Self.reservedTokens + ranked.map { $0.key },
                  counts: Array(repeating: 0, count: Self.reservedTokens.count) + ranked.map { $0.value },
                  merges: training.merges)
    }

    /// The vocabulary of a token stream already cut by `kind`'s tokenizer.
    /// A token spelled like a reserved token is not counted (it already has its id).
    public init(counting stream: [String], kind: TokenizerKind, maximumSize: Int? = nil, minimumCount: Int = 1) throws {
        guard minimumCount >= 1, (maximumSize ?? Self.reservedTokens.count) >= Self.reservedTokens.count else {
            throw VocabularyError.invalidLimits(maximumSize: maximumSize, minimumCount: minimumCount)
        }
        var counted: [String: Int] = [:]
        for token in stream where !Self.reservedTokens.contains(token) {
            counted[token, default: 0] += 1
        }
        var ranked = Self.ranked(counted.filter { $0.value >= minimumCount })
        if let maximumSize {
            ranked = Array(ranked.prefix(maximumSize - Self.reservedTokens.count))
        }
        self.init(validated: kind, tokens: Self.reservedTokens + ranked.map { $0.key },
                  counts: Array(repeating: 0, count: Self.reservedTokens.count) + ranked.map { $0.value })
    }

    /// Descending count, ties by UTF-8 bytes.
    private static func ranked(_ counted: [String: Int]) -> [(key: String, value: Int)] {
        counted.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }
    }

    /// Tokens already checked: reserved first, no duplicates, one count each; merges only for `bpe`.
    init(validated kind: TokenizerKind, tokens: [String], counts: [Int], merges: [BPEMerge] = []) {
        self.kind = kind
        self.tokens = tokens
        self.counts = counts
        self.bpe = kind == .bpe ? BPETokenizer(merges: merges) : nil
        self.idOfToken = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
    }

    /// The byte-pair-encoding merges, in the order they were learned (empty for other kinds).
    public var merges: [BPEMerge] { bpe?.merges ?? [] }

    /// The tokenizer that cuts text into this vocabulary's tokens.
    public var tokenizer: any Tokenizer { bpe ?? kind.fixedTokenizer! }

    /// The number of ids, the reserved two included.
    public var count: Int { tokens.count }

    /// The id of `token`, or `unknownID`.
    public func id(of token: String) -> Int {
        idOfToken[token] ?? Self.unknownID
    }

    /// The token of `id`; `<unk>` for an id outside the vocabulary.
    public func token(of id: Int) -> String {
        tokens.indices.contains(id) ? tokens[id] : Self.unknownToken
    }

    /// The ids of tokens already cut by this vocabulary's tokenizer.
    public func ids(of stream: [String]) -> [Int] {
        stream.map(id(of:))
    }

    /// The ids of `text`'s tokens; tokens outside the vocabulary become `unknownID`.
    public func encode(_ text: String) -> [Int] {
        ids(of: tokenizer.tokens(in: text))
    }

    /// The text of `ids`, joined by the tokenizer's rules (characters as they are,
    /// words with spaces except before punctuation). Padding is not text and is
    /// left out; `<unk>`, and any id outside the vocabulary, is written `<unk>`.
    public func decode(_ ids: [Int]) -> String {
        tokenizer.join(ids.filter { $0 != Self.paddingID }.map(token(of:)))
    }

    /// The distinct tokens of `text` that this vocabulary lacks, in the order they
    /// first appear (for a prompt: the characters a character model cannot read).
    public func unknownTokens(in text: String) -> [String] {
        var seen: Set<String> = []
        return tokenizer.tokens(in: text).filter { idOfToken[$0] == nil && seen.insert($0).inserted }
    }

    /// Throws `VocabularyError.outsideVocabulary` listing the tokens of `prompt`
    /// that this vocabulary lacks; a model could only read them as `<unk>`.
    public func requireKnown(_ prompt: String) throws {
        let unknown = unknownTokens(in: prompt)
        guard unknown.isEmpty else { throw VocabularyError.outsideVocabulary(unknown, kind: kind) }
    }

    /// Each id's token as a figure can print it: a space as `␣`, a line break as
    /// `⏎`, a tab as `⇥`, another invisible character as `U+XXXX`; all else as it is.
    public var labels: [String] { tokens.map(Self.label) }

    public static func label(_ token: String) -> String {
        switch token {
        case " ": return "␣"
        case "\n": return "⏎"
        case "\t": return "⇥"
        default:
            let invisible = token.unicodeScalars.allSatisfy {
                $0.properties.isWhitespace || $0.properties.generalCategory == .control
                    || $0.properties.generalCategory == .format
            }
            guard invisible else { return token }
            return token.unicodeScalars.map { "U+" + hex4($0.value) }.joined(separator: " ")
        }
    }
}

private func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
