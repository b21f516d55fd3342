import Render

/// The inline HTML that Markdown produces, as Pango markup: `<strong>` → `<b>`,
/// `<em>` → `<i>`, `<code>` → `<tt>`, links underlined in the link colour, strike-through
/// kept. Text is escaped with Pango's own escaping, so `<`, `>` and `&` that the author
/// typed are shown, never interpreted.
struct PangoInline: Equatable {
    var open: String
    var close: String

    static func tag(for html: String) -> PangoInline? {
        switch html {
        case "strong", "b": return PangoInline(open: "b", close: "b")
        case "em", "i": return PangoInline(open: "i", close: "i")
        case "code": return PangoInline(open: "tt", close: "tt")
        case "del", "s": return PangoInline(open: "s", close: "s")
        case "a": return PangoInline(open: "span foreground=\"#0b62a8\" underline=\"single\"", close: "span")
        default: return nil
        }
    }

    static func escape(_ text: String) -> String { escapeMarkup(text) }
}
