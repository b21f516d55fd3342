import Foundation

/// The three tokenizers measured on one text, for the `tokenizers` lesson's
/// figures: the text is split by characters (80 % training, 10 % validation, as
/// `TokenizedCorpus` splits it for byte-pair encoding), every vocabulary is built
/// from the training part, and the validation part is cut by each.
///
/// - tokens per word: tokens of the validation text / its words (runs of letters
///   and digits, as `WordTokenizer` finds them);
/// - tokens per 100 characters: the sequence length a model reads for 100
///   characters of text;
/// - unknown-word rate: the share of validation words that a word vocabulary of a
///   given size lacks (they become `<unk>`).
struct TokenizerStudy {
    struct Point {
        var vocabularySize: Int
        var tokensPerWord: Double
        var tokensPer100Characters: Double
    }

    let validationText: String
    let validationWords: Int
    /// The merges learned from the training part, as many as the largest count asked for.
    let bpe: BPETraining
    let characters: Point
    /// One point per merge count.
    let bpePoints: [(merges: Int, point: Point)]
    /// One point per word-vocabulary size, with the unknown-word rate (0…1).
    let wordPoints: [(point: Point, unknownRate: Double)]

    init(text: String, mergeCounts: [Int], wordSizes: [Int]) {
        let split = TextSplit(Array(text), fractions: .standard)
        let training = String(split.training)
        let validation = String(split.validation)
        validationText = validation
        let words = WordTokenizer().tokens(in: validation)
        let isWord = words.map { $0.contains { $0.isLetter || $0.isNumber } }
        let wordCount = max(1, isWord.filter { $0 }.count)
        validationWords = wordCount
        let characterCount = Double(max(1, validation.count))
        func point(size: Int, tokens: Int) -> Point {
            Point(vocabularySize: size, tokensPerWord: Double(tokens) / Double(wordCount),
                  tokensPer100Characters: 100 * Double(tokens) / characterCount)
        }
        let bpe = BPETraining(text: training, merges: mergeCounts.max() ?? 0)
        self.bpe = bpe
        let reserved = Vocabulary.reservedTokens.count
        characters = point(size: reserved + bpe.alphabet.count, tokens: validation.count)
        let tokenizer = bpe.tokenizer
        bpePoints = mergeCounts.sorted().map { k in
            let made = Set(bpe.merges.prefix(k).map(\.token)).subtracting(bpe.alphabet)
            return (k, point(size: reserved + bpe.alphabet.count + made.count,
                             tokens: tokenizer.prefix(k).tokens(in: validation).count))
        }
        // Ids rank words by training count, so a vocabulary capped at s ids knows exactly the ids below s.
        let full = try? Vocabulary(counting: WordTokenizer().tokens(in: training), kind: .word)
        let ids = zip(words, isWord).filter(\.1).map { full?.id(of: $0.0) ?? Vocabulary.unknownID }
        let sizes = (wordSizes.filter { $0 < (full?.count ?? 0) } + [full?.count ?? 0]).sorted()
        wordPoints = sizes.map { size in
            let unknown = ids.filter { $0 == Vocabulary.unknownID || $0 >= size }.count
            return (point(size: size, tokens: words.count), Double(unknown) / Double(ids.count))
        }
    }

    /// The study of the text a run read (its `text-statistics.json` names the file),
    /// computed once per text and set of sizes.
    static func of(_ statistics: TextStatistics, mergeCounts: [Int], wordSizes: [Int]) throws -> TokenizerStudy {
        let key = "\(statistics.corpus)|\(mergeCounts)|\(wordSizes)"
        if let study = cache.get(key) { return study }
        let corpus: TextCorpus
        do {
            corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: statistics.corpus))
        } catch {
            throw FigureUnavailable("cannot read the run's text: \(error)")
        }
        let study = TokenizerStudy(text: corpus.text, mergeCounts: mergeCounts, wordSizes: wordSizes)
        cache.set(key, study)
        return study
    }

    private static let cache = StudyCache()
}

/// Figures of one lesson share a study instead of training the merges once each.
private final class StudyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var studies: [String: TokenizerStudy] = [:]
    func get(_ key: String) -> TokenizerStudy? { lock.withLock { studies[key] } }
    func set(_ key: String, _ study: TokenizerStudy) { lock.withLock { studies[key] = study } }
}
