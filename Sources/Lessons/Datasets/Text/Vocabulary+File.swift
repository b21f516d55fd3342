import Foundation

/// The vocabulary file, `vocabulary.json`, saved beside a text model's
/// `model.json`. A JSON object (UTF-8, keys sorted, pretty-printed):
///
/// ```json
/// {
///   "counts" : [0, 0, 60981, 38112],
///   "format" : "learn-vocabulary",
///   "tokenizer" : "character",
///   "tokens" : ["<pad>", "<unk>", " ", "e"],
///   "version" : 1
/// }
/// ```
///
/// - `format`: always `"learn-vocabulary"`; `version`: 1.
/// - `tokenizer`: `"character"` or `"word"` (`TokenizerKind`), which says how
///   text is cut into tokens and joined back.
/// - `tokens`: the token of each id, id = index: `"<pad>"`, `"<unk>"`, then the
///   training text's tokens by descending count. Strings are JSON strings, so a
///   line break is `"\n"`. A character vocabulary's tokens are single characters.
/// - `counts`: how often each token occurred in the training text, one per token
///   (0 for the two reserved tokens).
///
/// - `merges` (`bpe` only): the byte-pair merges in the order they were learned,
///   each a pair `["l", "o"]` whose tokens join into `"lo"`; every merged token is
///   among `tokens`.
///
/// Python reads it with `json.load`; `tokens[i]` is the token of id i.
extension Vocabulary: Codable {
    public static let fileName = "vocabulary.json"
    public static let formatName = "learn-vocabulary"
    public static let formatVersion = 1

    private enum CodingKeys: String, CodingKey {
        case format, version, tokenizer, tokens, counts, merges
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.formatName, forKey: .format)
        try container.encode(Self.formatVersion, forKey: .version)
        try container.encode(kind, forKey: .tokenizer)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(counts, forKey: .counts)
        if kind == .bpe { try container.encode(merges.map { [$0.left, $0.right] }, forKey: .merges) }
    }

    /// Reads and checks a vocabulary: the format and version, the reserved tokens
    /// first, no token twice, one count per token. A file that fails a check
    /// throws `DecodingError.dataCorrupted` saying which.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func corrupted(_ reason: String) -> DecodingError {
            .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath, debugDescription: reason))
        }
        let format = try container.decode(String.self, forKey: .format)
        guard format == Self.formatName else { throw corrupted("format is \"\(format)\", not \"\(Self.formatName)\"") }
        let version = try container.decode(Int.self, forKey: .version)
        guard version == Self.formatVersion else {
            throw corrupted("format version \(version); this learn reads version \(Self.formatVersion)")
        }
        let kind = try container.decode(TokenizerKind.self, forKey: .tokenizer)
        let tokens = try container.decode([String].self, forKey: .tokens)
        let counts = try container.decode([Int].self, forKey: .counts)
        guard tokens.starts(with: Self.reservedTokens) else {
            throw corrupted("the first tokens must be \(Self.reservedTokens), found \(Array(tokens.prefix(2)))")
        }
        guard counts.count == tokens.count, counts.allSatisfy({ $0 >= 0 }) else {
            throw corrupted("\(tokens.count) tokens need as many counts of 0 or more, found \(counts.count) counts")
        }
        var seen: Set<String> = []
        for (id, token) in tokens.enumerated() {
            guard seen.insert(token).inserted else { throw corrupted("token \"\(token)\" appears twice (id \(id))") }
            guard !token.isEmpty else { throw corrupted("token \(id) is empty") }
            if kind == .character && id >= Self.reservedTokens.count && token.count != 1 {
                throw corrupted("token \(id), \"\(token)\", is not one character, as a character vocabulary's are")
            }
        }
        var merges: [BPEMerge] = []
        if kind == .bpe {
            let pairs = try container.decode([[String]].self, forKey: .merges)
            for (rank, pair) in pairs.enumerated() {
                guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty, seen.contains(pair[0] + pair[1]) else {
                    throw corrupted("merge \(rank), \(pair), is not two tokens whose join is in the vocabulary")
                }
                merges.append(BPEMerge(pair[0], pair[1]))
            }
        }
        self.init(validated: kind, tokens: tokens, counts: counts, merges: merges)
    }

    /// Writes `vocabulary.json` into `folder`, replacing the file at once (never half-written).
    public func write(to folder: URL) throws {
        try JSONFile.write(self, to: folder.appendingPathComponent(Self.fileName))
    }

    /// The vocabulary saved in `folder` (its `vocabulary.json`).
    public static func read(from folder: URL) throws -> Vocabulary {
        try read(file: folder.appendingPathComponent(fileName))
    }

    /// The vocabulary in `file`, or a `VocabularyError` naming the file and what is wrong.
    public static func read(file url: URL) throws -> Vocabulary {
        guard FileManager.default.fileExists(atPath: url.path) else { throw VocabularyError.missingFile(url) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VocabularyError.unreadable(url, reason: FileProblem.reason(of: error))
        }
        do {
            return try JSONDecoder().decode(Vocabulary.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw VocabularyError.malformed(url, reason: context.debugDescription)
        } catch let DecodingError.keyNotFound(key, _) {
            throw VocabularyError.malformed(url, reason: "no \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw VocabularyError.malformed(url, reason: "\"\(key)\" has the wrong type")
        } catch {
            throw VocabularyError.malformed(url, reason: "\(error)")
        }
    }
}
