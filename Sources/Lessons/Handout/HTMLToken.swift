import Foundation

/// One piece of HTML: an opening tag (with its attributes), a closing tag, or text
/// (entities still encoded). Enough to turn Ink's output into handout blocks, and to
/// rebuild it as safe markup for the gallery (`SafeHTML`), without a full HTML parser.
///
/// The scanner reads tags the way a browser does where that decides what is a tag and
/// what is text: a `>` inside a quoted attribute value does not end the tag, a `<` not
/// followed by a letter, `/`, `!` or `?` is text, a comment runs to `-->`, and the
/// content of `script` and `style` is raw text up to its closing tag.
enum HTMLToken: Equatable {
    case open(String, attributes: [String: String])
    case close(String)
    case text(String)

    /// Elements whose content the browser reads as raw text, looking for no tags in it
    /// until their own closing tag.
    static let rawTextElements: Set<String> = ["script", "style"]

    /// Splits `html` at tags. Comments, doctypes and processing instructions are dropped;
    /// tag and attribute names are lowercased; attribute values are decoded; an attribute
    /// given twice keeps its first value (as in a browser), one without a value is `""`.
    /// A tag cut off by the end of the text is kept as text.
    static func tokens(_ html: String) -> [HTMLToken] {
        var scanner = HTMLScanner(html)
        return scanner.tokens()
    }

    /// Replaces the character references Ink writes (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
    /// `&#39;`, numeric ones, `&nbsp;`) by their characters; anything else stays as is.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let tail = rest[amp...]
            if let semicolon = tail.prefix(10).firstIndex(of: ";"),
               let character = character(for: tail[tail.index(after: amp)..<semicolon]) {
                out.append(character)
                rest = tail[tail.index(after: semicolon)...]
            } else {
                out.append("&")
                rest = tail.dropFirst()
            }
        }
        return out + rest
    }

    private static func character(for name: Substring) -> Character? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return "\u{00A0}"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }
}

/// The tokenizer behind `HTMLToken.tokens`, over Unicode scalars (not characters, so a
/// combining mark after `>` cannot hide the `>`).
private struct HTMLScanner {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    private var output: [HTMLToken] = []
    private var pendingText = String.UnicodeScalarView()

    init(_ html: String) { scalars = Array(html.unicodeScalars) }

    mutating func tokens() -> [HTMLToken] {
        while position < scalars.count {
            guard scalars[position] == "<", let next = scalar(at: position + 1) else {
                pendingText.append(scalars[position])
                position += 1
                continue
            }
            let start = position
            let parsed: Bool
            if next == "!" || next == "?" {
                parsed = skipDeclaration()
            } else if next == "/", let first = scalar(at: position + 2), first.isASCIILetter {
                parsed = closingTag()
            } else if next.isASCIILetter {
                parsed = openingTag()
            } else {
                pendingText.append("<")
                position += 1
                continue
            }
            guard parsed else {
                // Cut off by the end of the text: what the author wrote stays visible as text.
                pendingText.append(contentsOf: scalars[start...])
                break
            }
        }
        flushText()
        return output
    }

    private func scalar(at index: Int) -> Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func flushText() {
        guard !pendingText.isEmpty else { return }
        output.append(.text(String(pendingText)))
        pendingText = String.UnicodeScalarView()
    }

    private mutating func emit(_ token: HTMLToken) {
        flushText()
        output.append(token)
    }

    /// `<!-- … -->`, `<!DOCTYPE …>`, `<?…>`: skipped (a comment runs to `-->`, even past `>`).
    private mutating func skipDeclaration() -> Bool {
        flushText()
        let isComment = scalars[position...].starts(with: "<!--".unicodeScalars)
        let terminator = Array((isComment ? "-->" : ">").unicodeScalars)
        var index = position + (isComment ? 4 : 2)
        while index + terminator.count <= scalars.count {
            if scalars[index..<(index + terminator.count)].elementsEqual(terminator) {
                position = index + terminator.count
                return true
            }
            index += 1
        }
        position = scalars.count
        return true
    }

    /// `</name …>`.
    private mutating func closingTag() -> Bool {
        var index = position + 2
        let name = readName(&index)
        guard let end = scalars[index...].firstIndex(of: ">") else { return false }
        position = end + 1
        emit(.close(name))
        return true
    }

    /// `<name a="1" b='2' c=3 d>` or `<name … />`; for a raw-text element, also its content.
    private mutating func openingTag() -> Bool {
        var index = position + 1
        let name = readName(&index)
        var attributes: [String: String] = [:]
        while true {
            while let c = scalar(at: index), c.isHTMLSpace || c == "/" { index += 1 }
            guard let c = scalar(at: index) else { return false }
            if c == ">" { break }
            // An attribute name runs to a space, `/`, `>` or `=` (a leading `=` belongs to it).
            let nameStart = index
            index += 1
            while let c = scalar(at: index), !c.isHTMLSpace, c != "/", c != ">", c != "=" { index += 1 }
            let key = String(String.UnicodeScalarView(scalars[nameStart..<index])).lowercased()
            var value = ""
            var afterName = index
            while let c = scalar(at: afterName), c.isHTMLSpace { afterName += 1 }
            if scalar(at: afterName) == "=" {
                index = afterName + 1
                while let c = scalar(at: index), c.isHTMLSpace { index += 1 }
                guard let first = scalar(at: index) else { return false }
                if first == "\"" || first == "'" {
                    guard let close = scalars[(index + 1)...].firstIndex(of: first) else { return false }
                    value = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                    index = close + 1
                } else {
                    let valueStart = index
                    while let c = scalar(at: index), !c.isHTMLSpace, c != ">" { index += 1 }
                    value = String(String.UnicodeScalarView(scalars[valueStart..<index]))
                }
            }
            if attributes[key] == nil { attributes[key] = HTMLToken.decodeEntities(value) }
        }
        position = index + 1
        emit(.open(name, attributes: attributes))
        if HTMLToken.rawTextElements.contains(name) { rawText(until: name) }
        return true
    }

    /// The content of a raw-text element up to `</name` (any case) followed by a space,
    /// `/`, `>` or the end, as one text token; everything left when it is never closed.
    private mutating func rawText(until name: String) {
        let closing = Array("</\(name)".unicodeScalars)
        var end = position
        while end < scalars.count && !closes(at: end, closing) { end += 1 }
        pendingText.append(contentsOf: scalars[position..<end])
        flushText()
        position = end
    }

    private func closes(at index: Int, _ closing: [Unicode.Scalar]) -> Bool {
        guard index + closing.count <= scalars.count,
              zip(scalars[index...], closing).allSatisfy({ $0.asciiLowercased == $1 }) else { return false }
        guard let after = scalar(at: index + closing.count) else { return true }
        return after.isHTMLSpace || after == "/" || after == ">"
    }

    /// A tag name: up to a space, `/` or `>`, lowercased.
    private func readName(_ index: inout Int) -> String {
        let start = index
        while let c = scalar(at: index), !c.isHTMLSpace, c != "/", c != ">" { index += 1 }
        return String(String.UnicodeScalarView(scalars[start..<index])).lowercased()
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var asciiLowercased: Unicode.Scalar { ("A"..."Z").contains(self) ? Unicode.Scalar(value + 32)! : self }
    /// The characters HTML's tokenizer treats as space inside a tag.
    var isHTMLSpace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\u{0C}" }
}
