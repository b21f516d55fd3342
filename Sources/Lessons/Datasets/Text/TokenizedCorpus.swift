import Foundation

/// A corpus made ready for a sequence model: cut into tokens, split by
/// position into training, validation and test, a vocabulary built from the
/// training part alone, and each part as token ids.
///
/// ```swift
/// let corpus = try TextCorpus.bundled()
/// let data = try TokenizedCorpus(corpus, kind: .character, sequenceLength: 100)
/// let batches = try TokenWindows(stream: data.ids.training, length: 100, stride: 100)
/// ```
///
/// A token seen only in validation or test is `<unk>` there, as it would be in
/// text the model meets later.
public struct TokenizedCorpus: Sendable {
    /// The file the text came from.
    public let source: URL
    public let vocabulary: Vocabulary
    /// Each part's token ids, in text order.
    public let ids: TextSplit<Int>

    /// How many characters each part's tokens spell (joined as the tokenizer joins
    /// them): with the token count, what turns a loss per token into bits per character.
    public let characterCounts: [TextPart: Int]

    /// - Parameters:
    ///   - sequenceLength: each part with a non-zero fraction must hold one sequence
    ///     of this length (`sequenceLength + 1` tokens), or `TextCorpusError.tooShort`
    ///     names the file and the part.
    ///   - merges: for `bpe`, how many merges to learn from the training part.
    ///   - maximumVocabularySize, minimumCount: the vocabulary's limits (see `Vocabulary`).
    ///
    /// Characters and words are cut first and the token stream split by position;
    /// byte-pair encoding splits the characters first, so that its merges are learned
    /// from the training part alone, then cuts each part.
    public init(_ corpus: TextCorpus, kind: TokenizerKind, fractions: SplitFractions = .standard,
                sequenceLength: Int, merges: Int = TokenizerKind.defaultMerges,
                maximumVocabularySize: Int? = nil, minimumCount: Int = 1) throws {
        let tokens: TextSplit<String>
        let vocabulary: Vocabulary
        if let tokenizer = kind.fixedTokenizer {
            let stream = tokenizer.tokens(in: corpus.text)
            try corpus.requireTokens(stream.count, of: kind, in: .whole, sequenceLength: sequenceLength)
            tokens = TextSplit(stream, fractions: fractions)
            vocabulary = try Vocabulary(counting: tokens.training, kind: kind,
                                        maximumSize: maximumVocabularySize, minimumCount: minimumCount)
        } else {
            let text = TextSplit(Array(corpus.text), fractions: fractions).map { [String($0)] }
            vocabulary = Vocabulary(bpe: BPETraining(text: text.training[0], merges: merges), training: text.training[0])
            tokens = text.map { vocabulary.tokenizer.tokens(in: $0[0]) }
            try corpus.requireTokens(tokens[.whole].count, of: kind, in: .whole, sequenceLength: sequenceLength)
        }
        for (part, fraction) in [(TextPart.training, fractions.training), (.validation, fractions.validation),
                                 (.test, fractions.test)] where fraction > 0 {
            try corpus.requireTokens(tokens[part].count, of: kind, in: part, sequenceLength: sequenceLength)
        }
        self.source = corpus.url
        self.vocabulary = vocabulary
        self.ids = tokens.map(vocabulary.ids(of:))
        let tokenizer = vocabulary.tokenizer
        self.characterCounts = Dictionary(uniqueKeysWithValues: [TextPart.training, .validation, .test].map {
            ($0, tokenizer.join(tokens[$0]).count)
        })
    }
}
