/// One byte-pair-encoding merge: two tokens that stand side by side in the text
/// become one token, `left + right`.
public struct BPEMerge: Hashable, Sendable, Codable {
    public let left: String
    public let right: String

    public init(_ left: String, _ right: String) {
        self.left = left
        self.right = right
    }

    /// The token the merge makes.
    public var token: String { left + right }
}

/// Byte-pair encoding (Sennrich et al. 2016, as GPT-2 uses it) over characters:
/// the text is cut into chunks (`BPETokenizer.chunks`), each chunk starts as its
/// characters, and merges learned from the training text (`BPETraining`) join
/// neighbouring tokens, the earliest-learned merge first.
///
/// Encoding a chunk: among its neighbouring pairs, take the one whose merge was
/// learned first, join every occurrence of it from left to right, and repeat until
/// no neighbouring pair has a merge. This gives exactly the tokens that applying
/// the merges one after another, in order, gives (which is how training cut the
/// training text). A character never seen in training stays a one-character token
/// (the vocabulary makes it `<unk>`). Joining concatenates, so
/// `join(tokens(in: text)) == text` for every text.
///
/// ```swift
/// let bpe = BPETokenizer(merges: [BPEMerge("l", "o"), BPEMerge("lo", "w")])
/// bpe.tokens(in: "low slow")   // ["low", " ", "s", "low"]: " slow" starts as " ", "s", "l", "o", "w"
/// ```
public struct BPETokenizer: Tokenizer, Equatable {
    /// The merges, in the order they were learned (their rank).
    public let merges: [BPEMerge]
    private let rank: [BPEMerge: Int]

    /// Later duplicates of a merge are ignored (the first rank counts).
    public init(merges: [BPEMerge]) {
        self.merges = merges
        self.rank = Dictionary(merges.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tokenizer with only the first `count` merges.
    public func prefix(_ count: Int) -> BPETokenizer {
        BPETokenizer(merges: Array(merges.prefix(count)))
    }

    public func tokens(in text: String) -> [String] {
        var known: [Substring: [String]] = [:]
        var tokens: [String] = []
        for chunk in Self.chunks(of: text) {
            if let cut = known[chunk] {
                tokens += cut
            } else {
                let cut = encode(chunk: chunk)
                known[chunk] = cut
                tokens += cut
            }
        }
        return tokens
    }

    public func join(_ tokens: [String]) -> String {
        tokens.joined()
    }

    /// One chunk's tokens: repeatedly join the pair with the lowest rank.
    func encode(chunk: Substring) -> [String] {
        var symbols = chunk.map(String.init)
        while symbols.count > 1 {
            var best: (rank: Int, merge: BPEMerge)?
            for i in 0..<(symbols.count - 1) {
                let pair = BPEMerge(symbols[i], symbols[i + 1])
                if let r = rank[pair], r < (best?.rank ?? .max) { best = (r, pair) }
            }
            guard let merge = best?.merge else { break }
            symbols = Self.apply(merge, to: symbols)
        }
        return symbols
    }

    /// `symbols` with every occurrence of `merge`'s pair joined, left to right
    /// (in `a a a` the pair `a a` joins once, at the left: `aa a`).
    static func apply<S: Equatable>(_ pair: (S, S), to symbols: [S], joined: S) -> [S] {
        var out: [S] = []
        out.reserveCapacity(symbols.count)
        var i = 0
        while i < symbols.count {
            if i + 1 < symbols.count && symbols[i] == pair.0 && symbols[i + 1] == pair.1 {
                out.append(joined)
                i += 2
            } else {
                out.append(symbols[i])
                i += 1
            }
        }
        return out
    }

    static func apply(_ merge: BPEMerge, to symbols: [String]) -> [String] {
        apply((merge.left, merge.right), to: symbols, joined: merge.token)
    }

    /// The chunks merges stay inside: a run of letters and digits together with the
    /// one space before it (`" piece"`, so a word's start is part of its tokens), and
    /// every other character on its own (punctuation, a line break, a space not
    /// followed by a letter or digit). The chunks, concatenated, are the text.
    ///
    ///     chunks(of: "a piece of \"it\"")   // ["a", " piece", " of", " ", "\"", "it", "\""]
    public static func chunks(of text: String) -> [Substring] {
        var chunks: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        while index < text.endIndex {
            start = index
            let character = text[index]
            index = text.index(after: index)
            let opensWord = character == " " && index < text.endIndex && isWordCharacter(text[index])
            if isWordCharacter(character) || opensWord {
                while index < text.endIndex && isWordCharacter(text[index]) { index = text.index(after: index) }
            }
            chunks.append(text[start..<index])
        }
        return chunks
    }
}
