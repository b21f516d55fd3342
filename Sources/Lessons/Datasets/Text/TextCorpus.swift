import Foundation

/// A text read whole from a UTF-8 file, checked and normalised: the bundled
/// WordNet glosses (`lessons/data/text/wordnet-glosses.txt`, see the README
/// there) or a user's file (`--text FILE`).
///
/// Reading refuses, with a `TextCorpusError` that names the file, a file that
/// is missing, empty, only whitespace, binary (a NUL byte, or many control
/// characters), not valid UTF-8 (with the offset of the first bad byte), or
/// shorter than one sequence. Line endings become `\n` and a leading byte
/// order mark is dropped.
///
/// ```swift
/// let corpus = try TextCorpus.bundled(sequenceLength: 100)
/// let vocabulary = try Vocabulary(training: corpus.text, kind: .character)
/// ```
public struct TextCorpus: Equatable, Sendable {
    public static let bundledFolderName = "text"
    public static let bundledFileName = "wordnet-glosses.txt"
    /// Larger files are refused before they are read (a corpus is held in memory whole).
    public static let defaultByteLimit = 64 << 20

    /// The file the text came from.
    public let url: URL
    /// The whole text, with `\n` line endings.
    public let text: String

    /// Reads `url`. With a `sequenceLength`, a text of fewer than `sequenceLength + 1`
    /// characters (inputs plus the next character as the last target) is `tooShort`.
    public init(contentsOf url: URL, sequenceLength: Int? = nil, byteLimit: Int = defaultByteLimit) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw TextCorpusError.missingFile(url)
        }
        guard !isDirectory.boolValue else { throw TextCorpusError.unreadable(url, reason: "it is a folder") }
        if let size = try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize, size > byteLimit {
            throw TextCorpusError.tooLarge(url, bytes: size, limit: byteLimit)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TextCorpusError.unreadable(url, reason: FileProblem.reason(of: error))
        }
        guard data.count <= byteLimit else { throw TextCorpusError.tooLarge(url, bytes: data.count, limit: byteLimit) }
        self.url = url
        self.text = try TextDecoding.text(from: [UInt8](data), file: url)
        if let sequenceLength {
            try requireTokens(text.count, of: .character, in: .whole, sequenceLength: sequenceLength)
        }
    }

    /// The bundled corpus's file, in `lessons/data/text/`, found as `BundledData` finds `lessons/data/`.
    public static func bundledURL(
        searchingFrom starts: [URL] = BundledData.defaultSearchStarts,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        ceiling: URL? = nil
    ) throws -> URL {
        try BundledData.folder(searchingFrom: starts, environment: environment, ceiling: ceiling)
            .appendingPathComponent(bundledFolderName, isDirectory: true)
            .appendingPathComponent(bundledFileName)
    }

    /// The bundled WordNet glosses.
    public static func bundled(sequenceLength: Int? = nil) throws -> TextCorpus {
        try TextCorpus(contentsOf: bundledURL(), sequenceLength: sequenceLength)
    }

    /// The lines of the text, without their `\n` (a final line break ends the last line, it does not start another).
    public var lines: [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    /// Throws `TextCorpusError.tooShort`, naming this corpus's file, unless `count`
    /// tokens of `kind` in `part` make at least one sequence of `sequenceLength`
    /// (`sequenceLength + 1` tokens: the inputs and the token after them).
    public func requireTokens(_ count: Int, of kind: TokenizerKind, in part: TextPart, sequenceLength: Int) throws {
        guard count >= sequenceLength + 1 else {
            throw TextCorpusError.tooShort(url, part: part, tokens: count, kind: kind, sequenceLength: sequenceLength)
        }
    }
}
