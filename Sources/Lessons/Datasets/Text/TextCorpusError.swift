import Foundation

/// Why a text file cannot serve as a corpus. Every case names the file and what
/// was found in it, so the command line can print one line that tells the user
/// which file to fix.
public enum TextCorpusError: Error, CustomStringConvertible, Equatable {
    case missingFile(URL)
    case unreadable(URL, reason: String)
    /// The file is larger than the reader allows (a corpus is read whole).
    case tooLarge(URL, bytes: Int, limit: Int)
    /// No bytes at all (or only a UTF-8 byte order mark).
    case empty(URL)
    /// Only spaces, tabs and line breaks.
    case whitespaceOnly(URL)
    /// Not a text file: see `BinaryEvidence` for what gave it away.
    case binary(URL, BinaryEvidence)
    /// The bytes at `offset` (counted from 0, on line `line`) do not start a valid UTF-8 sequence.
    case invalidUTF8(URL, offset: Int, line: Int, byte: UInt8)
    /// A text (or one part of its split) holds fewer tokens than one sequence
    /// needs: `sequenceLength` inputs plus the next token as the last target.
    case tooShort(URL, part: TextPart, tokens: Int, kind: TokenizerKind, sequenceLength: Int)

    /// What makes a file binary rather than text.
    public enum BinaryEvidence: Equatable, Sendable {
        /// A NUL byte, which no text file contains, at this byte offset.
        case nulByte(offset: Int)
        /// `count` of the file's `total` characters are control characters other than tab,
        /// line feed, carriage return and form feed, more than `TextDecoding.controlCharacterLimit` allows.
        case controlCharacters(count: Int, total: Int)
    }

    public var description: String {
        switch self {
        case let .missingFile(url):
            return "\(url.path): no such file"
        case let .unreadable(url, reason):
            return "\(url.path): cannot read (\(reason))"
        case let .tooLarge(url, bytes, limit):
            return "\(url.path): \(bytes) bytes, more than the limit of \(limit) bytes for a text corpus"
        case let .empty(url):
            return "\(url.path): the file is empty; a corpus needs some text"
        case let .whitespaceOnly(url):
            return "\(url.path): the file holds only whitespace; a corpus needs some text"
        case let .binary(url, .nulByte(offset)):
            return "\(url.path): not a text file (a NUL byte at offset \(offset)); give a plain UTF-8 text file"
        case let .binary(url, .controlCharacters(count, total)):
            return "\(url.path): not a text file (\(count) of its \(total) characters are control characters); "
                + "give a plain UTF-8 text file"
        case let .invalidUTF8(url, offset, line, byte):
            return "\(url.path): not valid UTF-8 at byte offset \(offset) (line \(line), byte "
                + "0x\(String(byte, radix: 16, uppercase: true))); save the file as UTF-8"
        case let .tooShort(url, part, tokens, kind, sequenceLength):
            let subject = part == .whole ? "the text" : "its \(part.rawValue) part"
            return "\(url.path): \(subject) holds \(tokens) \(kind.unitName), but one sequence of "
                + "\(sequenceLength) needs \(sequenceLength + 1) (its inputs and the token after them, "
                + "the last target); use a longer text or a shorter sequence length"
        }
    }
}
