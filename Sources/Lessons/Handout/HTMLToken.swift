import Foundation

/// One piece of the small, well-formed HTML that Ink writes: an opening tag (with its
/// attributes), a closing tag, or text (entities still encoded). Enough to turn Ink's
/// output into handout blocks without a full HTML parser.
enum HTMLToken: Equatable {
    case open(String, attributes: [String: String])
    case close(String)
    case text(String)

    /// Splits `html` at tags. Comments and doctypes are dropped; tag names are lowercased.
    static func tokens(_ html: String) -> [HTMLToken] {
        var tokens: [HTMLToken] = []
        var rest = Substring(html)
        while let start = rest.firstIndex(of: "<") {
            if start > rest.startIndex { tokens.append(.text(String(rest[..<start]))) }
            guard let end = rest[start...].firstIndex(of: ">") else {
                tokens.append(.text(String(rest[start...])))
                return tokens
            }
            if let tag = tag(rest[rest.index(after: start)..<end]) { tokens.append(tag) }
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { tokens.append(.text(String(rest))) }
        return tokens
    }

    private static func tag(_ inside: Substring) -> HTMLToken? {
        if inside.hasPrefix("!") || inside.hasPrefix("?") { return nil }
        if inside.hasPrefix("/") { return .close(inside.dropFirst().trimmingCharacters(in: .whitespaces).lowercased()) }
        let body = inside.hasSuffix("/") ? inside.dropLast() : inside
        let name = body.prefix { !$0.isWhitespace }.lowercased()
        return name.isEmpty ? nil : .open(name, attributes: attributes(body.dropFirst(name.count)))
    }

    /// `key="value"` pairs (double or single quotes); bare or unquoted ones are ignored.
    private static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let afterEquals = rest[rest.index(after: equals)...].drop { $0.isWhitespace }
            guard let quote = afterEquals.first, quote == "\"" || quote == "'",
                  let close = afterEquals.dropFirst().firstIndex(of: quote) else { break }
            result[key] = decodeEntities(String(afterEquals[afterEquals.index(after: afterEquals.startIndex)..<close]))
            rest = afterEquals[afterEquals.index(after: close)...]
        }
        return result
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
