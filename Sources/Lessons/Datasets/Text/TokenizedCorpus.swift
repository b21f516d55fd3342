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

    /// - Parameters:
    ///   - sequenceLength: each part with a non-zero fraction must hold one sequence
    ///     of this length (`sequenceLength + 1` tokens), or `TextCorpusError.tooShort`
    ///     names the file and the part.
    ///   - maximumVocabularySize, minimumCount: the vocabulary's limits (see `Vocabulary`).
    public init(_ corpus: TextCorpus, kind: TokenizerKind, fractions: SplitFractions = .standard,
                sequenceLength: Int, maximumVocabularySize: Int? = nil, minimumCount: Int = 1) throws {
        let stream = kind.tokenizer.tokens(in: corpus.text)
        try corpus.requireTokens(stream.count, of: kind, in: .whole, sequenceLength: sequenceLength)
        let tokens = TextSplit(stream, fractions: fractions)
        for (part, fraction) in [(TextPart.training, fractions.training), (.validation, fractions.validation),
                                 (.test, fractions.test)] where fraction > 0 {
            try corpus.requireTokens(tokens[part].count, of: kind, in: part, sequenceLength: sequenceLength)
        }
        let vocabulary = try Vocabulary(counting: tokens.training, kind: kind,
                                        maximumSize: maximumVocabularySize, minimumCount: minimumCount)
        self.source = corpus.url
        self.vocabulary = vocabulary
        self.ids = tokens.map(vocabulary.ids(of:))
    }
}
