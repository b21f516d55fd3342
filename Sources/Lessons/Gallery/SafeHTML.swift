import Foundation
import Ink

/// A lesson's Markdown as HTML that cannot run anything in the gallery page. Teachers
/// share lesson folders, so the Markdown is untrusted, and Ink copies any HTML in it
/// straight into its output. Here Ink's output is split into tokens (`HTMLToken`) and
/// written again from them, keeping only the markup Markdown itself produces:
///
/// - the elements in `elements`, each with only its harmless attributes; any other
///   element is dropped and its text kept, except `script` and `style`, dropped whole;
/// - every attribute value and every text node escaped again (`&`, `<`, `>`, `"`, `'`);
/// - `href` and `src` only when relative or `http`, `https` or `mailto` (`isSafeURL`);
/// - tags balanced: a stray closing tag is dropped, open ones are closed at the end, so
///   an author's `</section>` or unclosed `<a>` cannot reach the page around it.
///
/// Markdown without HTML in it comes out as Ink wrote it, up to how characters are
/// escaped (`"` in text becomes `&quot;`).
enum SafeHTML {
    /// The sanitised HTML of a Markdown text.
    static func html(markdown: String) -> String {
        sanitized(MarkdownParser().html(from: InkMarkdown.normalized(markdown)))
    }

    /// Elements kept, with the attributes each may keep, in the order they are written
    /// (Ink's order: `<img src alt>`).
    static let elements: [String: [String]] = {
        var elements: [String: [String]] = [:]
        for name in ["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "li", "em", "strong", "b", "i", "pre",
                     "blockquote", "table", "thead", "tbody", "tfoot", "tr", "br", "hr", "del", "s", "sup", "sub",
                     "kbd", "dl", "dt", "dd"] {
            elements[name] = ["title"]
        }
        elements["a"] = ["href", "title"]
        elements["img"] = ["src", "alt", "title"]
        elements["ol"] = ["start", "title"]
        elements["th"] = ["align", "title"]
        elements["td"] = ["align", "title"]
        elements["code"] = ["class", "title"]
        return elements
    }()

    /// Elements with no content and no closing tag.
    static let voidElements: Set<String> = ["br", "hr", "img"]

    /// Elements dropped together with their content: a script's or style sheet's text
    /// is code, not words the author meant to show.
    static let droppedWithContent: Set<String> = ["script", "style"]

    static func sanitized(_ html: String) -> String {
        var out = ""
        var open: [String] = []
        var dropping: String?
        for token in HTMLToken.tokens(html) {
            if let dropped = dropping {
                if token == .close(dropped) { dropping = nil }
                continue
            }
            switch token {
            case let .text(text):
                out += escapedText(text)
            case let .open(name, attributes):
                if droppedWithContent.contains(name) { dropping = name; continue }
                guard let allowed = elements[name] else { continue }
                out += "<" + name
                for key in allowed {
                    if let value = attributes[key], let kept = attributeValue(key, value, element: name) {
                        out += " \(key)=\"\(kept)\""
                    }
                }
                out += name == "img" ? "/>" : ">"
                if !voidElements.contains(name) { open.append(name) }
            case let .close(name):
                guard let depth = open.lastIndex(of: name) else { continue }
                for inner in open[depth...].reversed() { out += "</\(inner)>" }
                open.removeSubrange(depth...)
            }
        }
        for name in open.reversed() { out += "</\(name)>" }
        return out
    }

    /// The escaped value of an allowed attribute, or nil when the value is refused.
    private static func attributeValue(_ key: String, _ value: String, element: String) -> String? {
        switch key {
        case "href", "src":
            // Every `&` escaped: the browser must read exactly the URL checked here.
            return isSafeURL(value) ? HTMLAttribute.escaped(value) : nil
        case "start":
            return !value.isEmpty && value.count <= 9 && value.allSatisfy(\.isASCIIDigit) ? value : nil
        case "align":
            return ["left", "center", "right"].contains(value) ? value : nil
        case "class":
            // Ink marks a fenced code block's language as `language-NAME`.
            let name = value.dropFirst("language-".count)
            return value.hasPrefix("language-") && !name.isEmpty
                && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+#_.-".contains($0)) })
                ? value : nil
        default:
            return escapedText(value)
        }
    }

    /// Whether a (decoded) `href` or `src` may stay: a relative reference, or one whose
    /// scheme is `http`, `https` or `mailto`. A browser removes tabs and newlines anywhere
    /// in a URL and C0 controls and spaces at its ends before reading the scheme, so
    /// `" java\tscript:"` is `javascript:`; the check reads it the same way. A colon
    /// before any `/`, `?` or `#` makes what precedes it a scheme, which must be one of
    /// the three; a control character left inside refuses the URL outright.
    static func isSafeURL(_ value: String) -> Bool {
        var scalars = value.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        guard !scalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return false }
        guard let colon = scalars.firstIndex(of: ":") else { return true }
        if let delimiter = scalars.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }), delimiter < colon {
            return true
        }
        let scheme = String(String.UnicodeScalarView(scalars[..<colon])).lowercased()
        return ["http", "https", "mailto"].contains(scheme)
    }

    /// Text (entities still encoded) escaped for HTML: decoded, then `&`, `<`, `>`, `"`
    /// and `'` written as references. A named reference `decodeEntities` does not know
    /// (`&mdash;`, which Ink passes through from Markdown) is kept as written: in text it
    /// can only ever show a character, and escaping it would show `&mdash;` instead of `—`.
    static func escapedText(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let reference = firstUnknownNamedReference(in: rest) {
            out += HTMLAttribute.escaped(HTMLToken.decodeEntities(String(rest[..<reference.lowerBound])))
            out += rest[reference]
            rest = rest[reference.upperBound...]
        }
        return out + HTMLAttribute.escaped(HTMLToken.decodeEntities(String(rest)))
    }

    /// The first `&name;` (a letter, then letters and digits) that `decodeEntities` leaves alone.
    private static func firstUnknownNamedReference(in text: Substring) -> Range<Substring.Index>? {
        var search = text
        while let amp = search.firstIndex(of: "&") {
            let after = search.index(after: amp)
            let name = search[after...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            if let first = name.first, first.isLetter, name.count <= 32,
               name.endIndex < search.endIndex, search[name.endIndex] == ";" {
                let reference = amp..<search.index(after: name.endIndex)
                if HTMLToken.decodeEntities(String(search[reference])) == search[reference] { return reference }
            }
            search = search[after...]
        }
        return nil
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
