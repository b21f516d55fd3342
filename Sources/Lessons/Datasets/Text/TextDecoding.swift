import Foundation

/// From the bytes of a text file to the text a corpus holds, refusing what is
/// not text: an empty file, a binary file, bytes that are not UTF-8, a file of
/// only whitespace. The text that comes out has `\n` line endings (`\r\n` and a
/// lone `\r` both become `\n`) and no byte order mark.
enum TextDecoding {
    /// A file in which more than this fraction of the characters are control
    /// characters (other than tab, line feed, carriage return and form feed) is
    /// binary. Real text has next to none.
    static let controlCharacterLimit = 0.1

    static func text(from bytes: [UInt8], file: URL) throws -> String {
        guard !bytes.isEmpty else { throw TextCorpusError.empty(file) }
        if let nul = bytes.firstIndex(of: 0) {
            throw TextCorpusError.binary(file, .nulByte(offset: nul))
        }
        let scalars = try scalarCount(ofValidUTF8: bytes, file: file)
        if Double(scalars.control) > controlCharacterLimit * Double(scalars.total) {
            throw TextCorpusError.binary(file, .controlCharacters(count: scalars.control, total: scalars.total))
        }
        let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = bytes.starts(with: byteOrderMark) ? bytes.dropFirst(byteOrderMark.count) : bytes[...]
        let text = String(decoding: unixLineEndings(body), as: UTF8.self)
        guard !text.isEmpty else { throw TextCorpusError.empty(file) }
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else {
            throw TextCorpusError.whitespaceOnly(file)
        }
        return text
    }

    /// Decodes `bytes` strictly (the standard library's UTF-8 parser: no overlong
    /// forms, no surrogates, nothing above U+10FFFF) and counts the scalars and the
    /// control characters among them; throws at the first byte that is not valid UTF-8.
    private static func scalarCount(ofValidUTF8 bytes: [UInt8], file: URL) throws -> (total: Int, control: Int) {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        var total = 0
        var control = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case let .valid(encoded):
                total += 1
                if isControl(Unicode.UTF8.decode(encoded)) { control += 1 }
                offset += encoded.count
            case .error:
                let line = bytes[..<offset].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                throw TextCorpusError.invalidUTF8(file, offset: offset, line: line, byte: bytes[offset])
            case .emptyInput:
                return (total, control)
            }
        }
    }

    /// C0 and C1 control characters and DEL, except the whitespace that text uses.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0C, 0x0D: return false
        default: return scalar.properties.generalCategory == .control
        }
    }

    /// `\r\n` → `\n`, then any remaining `\r` → `\n`.
    private static func unixLineEndings(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == cr {
                out.append(lf)
                let next = bytes.index(after: index)
                index = next < bytes.endIndex && bytes[next] == lf ? bytes.index(after: next) : next
            } else {
                out.append(byte)
                index = bytes.index(after: index)
            }
        }
        return out
    }
}
