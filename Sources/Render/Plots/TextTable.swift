/// Tables of short text, in sections that each have a title, a header row and their own
/// columns: nearest neighbours with their similarities, analogies with their answers.
/// A cell may carry a value in 0…1 that tints its background (white to a light blue,
/// so the text stays readable) and be marked good or bad (the
/// theme's correct and mistake colours), so a column of numbers reads at a glance.
/// The first column is as wide as its longest text; the others share the rest, equally
/// where everything fits, else by what their texts need. Text still too long for its cell
/// is cut with `…`.
public struct TextTable: Figure {
    public struct Cell: Sendable, ExpressibleByStringLiteral {
        public enum Mark: Sendable { case none, good, bad }
        public var text: String
        /// Background tint, 0…1 (nil: none).
        public var tint: Double?
        public var mark: Mark
        public init(_ text: String, tint: Double? = nil, mark: Mark = .none) {
            self.text = text; self.tint = tint; self.mark = mark
        }
        public init(stringLiteral value: String) { self.init(value) }
    }

    public struct Section: Sendable {
        public var title: String
        public var header: [String]
        public var rows: [[Cell]]
        public init(title: String, header: [String], rows: [[Cell]]) {
            self.title = title; self.header = header; self.rows = rows
        }
    }

    public let title: String
    public let subtitle: String?
    public let sections: [Section]
    /// What the tint means, printed under the table (nil: nothing).
    public let note: String?

    public init(title: String, subtitle: String? = nil, sections: [Section], note: String? = nil) throws {
        let figure = "table '\(title)'"
        guard !sections.isEmpty, sections.allSatisfy({ !$0.rows.isEmpty && !$0.header.isEmpty }) else {
            throw RenderError.emptyData(figure: figure, what: "the table's sections (each needs a header and a row)")
        }
        for section in sections {
            if let row = section.rows.first(where: { $0.count != section.header.count }) {
                throw RenderError.countMismatch(figure: figure, what: "cells in a row of '\(section.title)'",
                                                expected: section.header.count, got: row.count)
            }
        }
        self.title = title; self.subtitle = subtitle; self.sections = sections; self.note = note
    }

    static func rowHeight(_ theme: Theme) -> Double { theme.tickSize * 2 }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let row = Self.rowHeight(theme)
        let body = sections.map { Double($0.rows.count + 1) * row + theme.labelSize * 2 }.reduce(0, +)
        return FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme) + body
            + (note == nil ? 0 : theme.labelSize * 1.6) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        var area = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        for section in sections {
            canvas.text(section.title, at: Point(area.minX, area.minY + 4), TextStyle(size: theme.labelSize, bold: true, color: theme.ink))
            area = area.inset(top: theme.labelSize * 2)
            area = draw(section, in: area, canvas: canvas)
        }
        if let note {
            canvas.text(note, at: Point(area.minX, area.minY + 4), TextStyle(size: theme.smallSize, color: theme.mutedInk))
        }
    }

    /// Draws one section at the top of `area`; returns what is left below it.
    private func draw(_ section: Section, in area: Rect, canvas: Canvas) -> Rect {
        let theme = canvas.theme, row = Self.rowHeight(theme)
        let bold = TextStyle(size: theme.tickSize, bold: true, color: theme.ink)
        let first = ([section.header[0]] + section.rows.map { $0[0].text })
            .map { canvas.measure($0, bold).width }.max()! + 16
        let firstWidth = section.header.count == 1 ? area.width : min(first, area.width * 0.4)
        let widths = [firstWidth] + Self.otherWidths(section, room: area.width - firstWidth, canvas: canvas)
        let starts = widths.indices.map { area.minX + widths[..<$0].reduce(0, +) }
        func column(_ c: Int) -> (x: Double, width: Double) { (starts[c], widths[c]) }
        for (c, text) in section.header.enumerated() {
            let (x, w) = column(c)
            canvas.text(fitted(text, w - 8, bold, canvas), at: Point(x + 4, area.minY + row / 2), bold, anchor: .left)
        }
        canvas.line(from: Point(area.minX, area.minY + row), to: Point(area.maxX, area.minY + row), theme.ink,
                    width: theme.thinLineWidth)
        for (r, cells) in section.rows.enumerated() {
            let y = area.minY + Double(r + 1) * row
            for (c, cell) in cells.enumerated() {
                let (x, w) = column(c)
                let box = Rect(x: x + 1, y: y + 1, width: w - 2, height: row - 2)
                if let tint = cell.tint { canvas.fill(box, Self.tint(min(max(tint, 0), 1), theme)) }
                let style = TextStyle(size: theme.tickSize, bold: c == 0, color: color(cell.mark, theme))
                canvas.text(fitted(cell.text, w - 8, style, canvas), at: Point(x + 4, y + row / 2), style, anchor: .left)
            }
            canvas.line(from: Point(area.minX, y + row), to: Point(area.maxX, y + row), theme.gridLine, width: theme.thinLineWidth)
        }
        return area.inset(top: Double(section.rows.count + 1) * row + theme.labelSize * 0.8)
    }

    /// Widths of the columns after the first, sharing `room`: equal where every header and
    /// cell fits an equal share; otherwise each column gets what its widest text needs (bold
    /// header included) and the rest is shared equally, so a long header ("expected's rank
    /// (cosine)") takes room from short columns instead of being cut; only when the needs
    /// together exceed `room` are they scaled down (and the longest texts cut with `…`).
    static func otherWidths(_ section: Section, room: Double, canvas: Canvas) -> [Double] {
        let count = section.header.count - 1
        guard count > 0 else { return [] }
        let theme = canvas.theme, bold = TextStyle(size: theme.tickSize, bold: true, color: theme.ink)
        let plain = TextStyle(size: theme.tickSize, color: theme.ink)
        let needs = (1...count).map { c in
            ([canvas.measure(section.header[c], bold).width] + section.rows.map { canvas.measure($0[c].text, plain).width }).max()! + 8
        }
        let equal = room / Double(count), total = needs.reduce(0, +)
        if needs.allSatisfy({ $0 <= equal }) { return Array(repeating: equal, count: count) }
        if total > room { return needs.map { $0 * room / total } }
        return needs.map { $0 + (room - total) / Double(count) }
    }

    /// White at 0 to a mid blue (the first categorical colour, half mixed with white) at 1,
    /// light enough at every value for dark text.
    static func tint(_ t: Double, _ theme: Theme) -> Color {
        theme.categoryColor(0).mixed(with: .white, 1 - 0.5 * t)
    }

    private func color(_ mark: Cell.Mark, _ theme: Theme) -> Color {
        switch mark {
        case .none: return theme.ink
        case .good: return theme.correct
        case .bad: return theme.mistake
        }
    }

    /// `text`, cut with `…` until it fits `width`.
    private func fitted(_ text: String, _ width: Double, _ style: TextStyle, _ canvas: Canvas) -> String {
        guard canvas.measure(text, style).width > width else { return text }
        var cut = text
        while !cut.isEmpty && canvas.measure(cut + "…", style).width > width { cut.removeLast() }
        return cut + "…"
    }
}
