/// One text cut into tokens in several ways, a row per way: each token a box, the
/// boxes alternately shaded in two tints so that every boundary shows, the token's
/// characters in the monospace face inside it. Rows wrap at the figure's width,
/// breaking between tokens only (a token is never split). A token can be marked
/// (an unknown word, say): its box is outlined and its text drawn in the theme's
/// mistake colour.
///
/// Whitespace is the caller's to make visible (`␣` for a space inside a token).
///
///     let rows = try TokenRows(title: "One sentence, three tokenizers", rows: [
///         .init(name: "characters", detail: "5 tokens", tokens: ["a", "␣", "c", "a", "t"]),
///         .init(name: "words", detail: "2 tokens", tokens: ["a", "cat"]),
///     ])
public struct TokenRows: Figure {
    public struct Row: Sendable {
        public var name: String
        /// Printed after the name, in the muted colour (the token count, the vocabulary).
        public var detail: String
        public var tokens: [String]
        /// Per token, whether to mark it; empty for none.
        public var marked: [Bool]
        public init(name: String, detail: String = "", tokens: [String], marked: [Bool] = []) {
            self.name = name; self.detail = detail; self.tokens = tokens; self.marked = marked
        }
    }

    public let title: String
    public let subtitle: String?
    public let rows: [Row]
    /// Explains the marks, printed under the rows (nil: nothing).
    public let note: String?

    public init(title: String, subtitle: String? = nil, rows: [Row], note: String? = nil) throws {
        let figure = "token rows '\(title)'"
        guard !rows.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of rows") }
        for row in rows {
            guard !row.tokens.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the tokens of '\(row.name)'") }
            if let k = row.tokens.firstIndex(where: \.isEmpty) {
                throw RenderError.badValue(figure: figure, what: "token \(k) of '\(row.name)'", value: "empty",
                                           expected: "at least one character")
            }
            if !row.marked.isEmpty && row.marked.count != row.tokens.count {
                throw RenderError.countMismatch(figure: figure, what: "marks of '\(row.name)'", expected: row.tokens.count,
                                                got: row.marked.count)
            }
        }
        self.title = title; self.subtitle = subtitle; self.rows = rows; self.note = note
    }

    static func fontSize(_ theme: Theme) -> Double { theme.labelSize }
    static func boxHeight(_ theme: Theme) -> Double { fontSize(theme) * 1.7 }
    static func padding(_ theme: Theme) -> Double { 3 }

    /// Each token's box: its line within the row and its x offset from the left edge.
    static func layout(_ tokens: [String], width: Double, theme: Theme) -> [(line: Int, x: Double, width: Double)] {
        var boxes: [(line: Int, x: Double, width: Double)] = []
        var line = 0, x = 0.0
        for token in tokens {
            let w = Double(token.count) * fontSize(theme) * theme.monospaceAdvance + 2 * padding(theme)
            if x > 0 && x + w > width { line += 1; x = 0 }
            boxes.append((line, x, w))
            x += w
        }
        return boxes
    }

    private func rowHeight(_ row: Row, width: Double, theme: Theme) -> Double {
        let lines = (Self.layout(row.tokens, width: width, theme: theme).last?.line ?? 0) + 1
        return theme.labelSize * 1.6 + Double(lines) * (Self.boxHeight(theme) + 4) + theme.gap
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let inner = width - 2 * theme.margin
        return FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme)
            + rows.map { rowHeight($0, width: inner, theme: theme) }.reduce(0, +)
            + (note == nil ? 0 : theme.labelSize * 1.6) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        var area = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let tints = [theme.categorical[0].mixed(with: .white, 0.78), theme.categorical[1].mixed(with: .white, 0.7)]
        let style = TextStyle(size: Self.fontSize(theme), color: theme.ink, monospace: true)
        for row in rows {
            let name = TextStyle(size: theme.labelSize, bold: true, color: theme.ink)
            canvas.text(row.name, at: Point(area.minX, area.minY), name)
            let nameWidth = canvas.measure(row.name, name).width
            canvas.text(row.detail, at: Point(area.minX + nameWidth + 8, area.minY),
                        TextStyle(size: theme.labelSize, color: theme.mutedInk))
            let top = area.minY + theme.labelSize * 1.6
            for (k, box) in Self.layout(row.tokens, width: area.width, theme: theme).enumerated() {
                let rect = Rect(x: area.minX + box.x, y: top + Double(box.line) * (Self.boxHeight(theme) + 4),
                                width: box.width, height: Self.boxHeight(theme))
                let marked = !row.marked.isEmpty && row.marked[k]
                canvas.fill(rect, tints[k % 2])
                if marked { canvas.stroke(rect.inset(by: 0.75), theme.mistake, width: 1.5) }
                var text = style
                if marked { text.color = theme.mistake }
                canvas.text(row.tokens[k], at: Point(rect.minX + Self.padding(theme), rect.center.y), text, anchor: .left)
            }
            area = area.inset(top: rowHeight(row, width: area.width, theme: theme))
        }
        if let note {
            canvas.text(note, at: Point(area.minX, area.minY), TextStyle(size: theme.smallSize, color: theme.mutedInk))
        }
    }
}
