/// The sequence data a lesson can name (`dataset:`): real text cut into tokens, or
/// sequences drawn from formulas. Each becomes `SequenceData` (every step labelled,
/// or every step given a target value) split into training, validation and test.
public enum SequenceDataset: String, CaseIterable, Sendable {
    /// The bundled WordNet glosses (`lessons/data/text`), or `--text FILE`: predict the
    /// next token at every step.
    case text
    /// Windows of noisy sine waves, and of sums of two: predict the next value at every step.
    case sineWaves = "sine-waves"
    /// Random symbols whose first one is the answer at the last step (`FirstTokenRecall`).
    case firstToken = "first-token"
    /// Random symbols to be read back in reverse order, one answer per step (`ReverseSequence`).
    case reverse
}

/// How a lesson cuts its sequences (the `data` keys beside `dataset:` for sequence data).
///
/// ```yaml
/// data: {dataset: text, tokenizer: character, sequence_length: 64, stride: 32}
/// ```
public struct SequenceSpec: Sendable, Equatable {
    public var tokenizer: TokenizerKind
    /// Steps per training sequence.
    public var length: Int
    /// Steps between the starts of two training sequences (validation and test
    /// sequences never overlap).
    public var stride: Int
    public var maximumVocabulary: Int?
    public var minimumCount: Int
    /// Byte-pair merges learned from the training text (`tokenizer: bpe`).
    public var merges: Int

    public init(tokenizer: TokenizerKind = .character, length: Int = 64, stride: Int? = nil,
                maximumVocabulary: Int? = nil, minimumCount: Int = 1, merges: Int = TokenizerKind.defaultMerges) {
        self.tokenizer = tokenizer
        self.merges = merges
        self.length = length
        self.stride = stride ?? length
        self.maximumVocabulary = maximumVocabulary
        self.minimumCount = minimumCount
    }
}
