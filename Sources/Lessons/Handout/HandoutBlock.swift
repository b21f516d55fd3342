import Ink

/// A unit of narrative that the handout lays out: text is Pango markup (user text
/// already escaped), so drawing never re-interprets what the lesson author wrote.
enum HandoutBlock: Equatable {
    case heading(level: Int, markup: String)
    case paragraph(String)
    case list([ListItem])
    case table(header: [String], rows: [[String]])
    /// A code block, as escaped monospace markup.
    case code(String)
    case rule

    struct ListItem: Equatable {
        /// `•` or `3.`
        var marker: String
        var depth: Int
        var markup: String
    }

    /// The blocks of a Markdown text: Ink renders it to HTML, which is then read back
    /// as headings, paragraphs, lists, tables and code.
    static func blocks(markdown: String) -> [HandoutBlock] {
        var parser = HandoutBlockParser(tokens: HTMLToken.tokens(MarkdownParser().html(from: InkMarkdown.normalized(markdown))))
        return parser.blocks()
    }
}

/// Reads Ink's HTML tokens into `HandoutBlock`s. Tags it does not know are skipped and
/// their text kept, so nothing the author wrote silently disappears.
struct HandoutBlockParser {
    let tokens: [HTMLToken]
    private var index = 0

    init(tokens: [HTMLToken]) { self.tokens = tokens }

    private var current: HTMLToken? { index < tokens.count ? tokens[index] : nil }

    mutating func blocks() -> [HandoutBlock] {
        var blocks: [HandoutBlock] = []
        while let token = current {
            index += 1
            switch token {
            case let .open(name, attributes):
                if let block = block(opening: name, attributes: attributes) { blocks.append(block) }
            case let .text(text) where !text.allSatisfy(\.isWhitespace):
                blocks.append(.paragraph(escapeText(text)))
            default:
                break
            }
        }
        return blocks
    }

    private mutating func block(opening name: String, attributes: [String: String]) -> HandoutBlock? {
        switch name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            return .heading(level: Int(name.dropFirst()) ?? 1, markup: inline { $0 == .close(name) })
        case "p":
            return .paragraph(inline { $0 == .close("p") })
        case "ul", "ol":
            return .list(listItems(ordered: name == "ol", start: attributes["start"].flatMap { Int($0) } ?? 1, depth: 0))
        case "table":
            return table()
        case "pre":
            return .code(escapeText(plainText { $0 == .close("pre") }))
        case "hr":
            return .rule
        default:
            return nil
        }
    }

    /// Inline content up to (and consuming) the first token that `stop` accepts at this level.
    private mutating func inline(until stop: (HTMLToken) -> Bool) -> String {
        let markup = inlineMarkup(until: stop)
        if current != nil { index += 1 }
        return markup
    }

    /// Inline tokens as Pango markup, leaving `index` at the stop token. Tags are mapped
    /// through a stack so the markup stays balanced even if the author's own HTML is not.
    private mutating func inlineMarkup(until stop: (HTMLToken) -> Bool) -> String {
        var markup = ""
        var open: [PangoInline] = []
        while let token = current, !stop(token) {
            index += 1
            switch token {
            case let .text(text):
                markup += escapeText(text)
            case let .open(name, attributes):
                if name == "br" { markup += "\n" }
                if name == "img" { markup += escapeText(attributes["alt"] ?? "") }
                if let pango = PangoInline.tag(for: name) { open.append(pango); markup += "<\(pango.open)>" }
            case let .close(name):
                if let pango = PangoInline.tag(for: name), open.last == pango {
                    open.removeLast()
                    markup += "</\(pango.close)>"
                }
            }
        }
        for pango in open.reversed() { markup += "</\(pango.close)>" }
        return markup.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The text of tokens up to (and consuming) the stop token, tags dropped.
    private mutating func plainText(until stop: (HTMLToken) -> Bool) -> String {
        var text = ""
        while let token = current, !stop(token) {
            index += 1
            if case let .text(piece) = token { text += HTMLToken.decodeEntities(piece) }
        }
        if current != nil { index += 1 }
        return text.trimmingCharacters(in: .newlines)
    }

    /// Items of a list whose opening tag was consumed; nested lists become deeper items.
    private mutating func listItems(ordered: Bool, start: Int, depth: Int) -> [HandoutBlock.ListItem] {
        var items: [HandoutBlock.ListItem] = []
        var number = start
        while let token = current {
            index += 1
            switch token {
            case .open("li", _):
                let markup = inlineMarkup { [.close("li"), .close("ul"), .close("ol")].contains($0) || $0.opensList }
                items.append(.init(marker: ordered ? "\(number)." : "•", depth: depth, markup: markup))
                number += 1
            case let .open(name, attributes) where token.opensList:
                items += listItems(ordered: name == "ol", start: attributes["start"].flatMap { Int($0) } ?? 1,
                                   depth: depth + 1)
            case .close("ul"), .close("ol"):
                return items
            default:
                break
            }
        }
        return items
    }

    /// Rows of a table whose opening tag was consumed; an all-`<th>` first row is the header.
    private mutating func table() -> HandoutBlock {
        var header: [String] = []
        var rows: [[String]] = []
        var row: [String] = []
        var rowIsHeader = true
        while let token = current, token != .close("table") {
            index += 1
            switch token {
            case .open("tr", _):
                row = []
                rowIsHeader = true
            case let .open(cell, _) where cell == "th" || cell == "td":
                rowIsHeader = rowIsHeader && cell == "th"
                row.append(inline { $0 == .close(cell) })
            case .close("tr"):
                if rowIsHeader && header.isEmpty && rows.isEmpty { header = row } else { rows.append(row) }
            default:
                break
            }
        }
        if current != nil { index += 1 }
        return .table(header: header, rows: rows)
    }

    private func escapeText(_ text: String) -> String {
        PangoInline.escape(HTMLToken.decodeEntities(text))
    }
}

private extension HTMLToken {
    var opensList: Bool {
        if case let .open(name, _) = self { return name == "ul" || name == "ol" }
        return false
    }
}
