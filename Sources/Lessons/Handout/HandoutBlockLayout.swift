import Foundation
import Render

/// How each kind of narrative block is drawn on handout pages: sizes and spacing of
/// headings, paragraphs, lists, tables and code, in one place.
extension HandoutPages {
    static let body = TextStyle(size: 10.5, color: Theme.standard.ink)
    static let small = TextStyle(size: 9, color: Theme.standard.mutedInk)

    /// Draws `blocks` in order, each heading kept with the block after it.
    func draw(_ blocks: [HandoutBlock]) throws {
        for (index, block) in blocks.enumerated() {
            try draw(block, before: blocks.indices.contains(index + 1) ? blocks[index + 1] : nil)
        }
    }

    /// Draws `block`; a heading starts a new page unless `next`'s first unbreakable
    /// piece fits under it too (`keepHeight`), so that it never ends a page alone.
    func draw(_ block: HandoutBlock, before next: HandoutBlock? = nil) throws {
        defer { textPage = page }
        switch block {
        case let .heading(level, markup):
            space(Self.spaceAbove(heading: level))
            try paragraph(markup, headingStyle(level), keepWithNext: next.map(keepHeight) ?? 30)
            space(Self.spaceBelowHeading)
        case let .paragraph(markup):
            try paragraph(markup, Self.body)
            space(Self.spaceBelowParagraph)
        case let .list(items):
            try drawList(items)
            space(Self.spaceBelowList)
        case let .table(header, rows):
            try drawTable(header: header, rows: rows)
            space(9)
        case let .code(markup):
            try drawCode(markup)
            space(8)
        case .rule:
            try reserve(12)
            canvas.line(from: Point(left, y + 5), to: Point(left + width, y + 5), canvas.theme.gridLine, width: 0.8)
            space(12)
        }
    }

    // The space around blocks, shared by drawing and by `height(of:)`'s dry run.
    static func spaceAbove(heading level: Int) -> Double { level <= 2 ? 12 : 8 }
    static let spaceBelowHeading = 5.0
    static let spaceBelowParagraph = 7.0
    static let spaceBelowList = 5.0
    static let spaceBelowListItem = 3.0
    /// A list item's text starts this far right of its indent; the marker sits before it.
    static let listMarkerWidth = 18.0

    func headingStyle(_ level: Int) -> TextStyle {
        TextStyle(size: [18.0, 14.5, 12.0][min(max(level, 1), 3) - 1], bold: true, color: canvas.theme.ink)
    }

    /// The height `block` takes, the space around it included, on a page it fits on;
    /// nil for the kinds this is not worked out for (tables, code, rules).
    func height(of block: HandoutBlock) -> Double? {
        switch block {
        case let .heading(level, markup):
            return Self.spaceAbove(heading: level) + canvas.paragraphHeight(markup, width: width, headingStyle(level), markup: true)
                + Self.spaceBelowHeading
        case let .paragraph(markup):
            return canvas.paragraphHeight(markup, width: width, Self.body, markup: true) + Self.spaceBelowParagraph
        case let .list(items):
            return items.reduce(Self.spaceBelowList) { $0 + textHeight(of: $1) + Self.spaceBelowListItem }
        default:
            return nil
        }
    }

    /// The height of the part of `block` that a heading above it must share a page with:
    /// a whole paragraph (paragraphs move whole), a list's first item, or two lines of
    /// anything else.
    func keepHeight(_ block: HandoutBlock) -> Double {
        switch block {
        case let .paragraph(markup):
            return canvas.paragraphHeight(markup, width: width, Self.body, markup: true)
        case let .list(items):
            guard let item = items.first else { return 30 }
            return textHeight(of: item)
        default:
            return 30
        }
    }

    /// How far a list item at `depth` is indented.
    static func indent(ofListItemAt depth: Int) -> Double { 16.0 * Double(depth) }

    /// The width of a list item's text, right of its indent and marker.
    func textWidth(of item: HandoutBlock.ListItem) -> Double {
        width - Self.indent(ofListItemAt: item.depth) - Self.listMarkerWidth
    }

    /// The height of a list item's text, without the space below it.
    func textHeight(of item: HandoutBlock.ListItem) -> Double {
        canvas.paragraphHeight(item.markup, width: textWidth(of: item), Self.body, markup: true)
    }

    func drawList(_ items: [HandoutBlock.ListItem]) throws {
        for item in items {
            let indent = Self.indent(ofListItemAt: item.depth)
            let height = textHeight(of: item)
            try reserve(height)
            canvas.paragraph(escapeMarkup(item.marker), at: Point(left + indent + 2, y), width: 16, Self.body, markup: true)
            canvas.paragraph(item.markup, at: Point(left + indent + Self.listMarkerWidth, y), width: textWidth(of: item),
                             Self.body, markup: true)
            space(height + Self.spaceBelowListItem)
        }
    }

    /// Columns share the width in proportion to their longest cell (capped, so one long
    /// column cannot squeeze the others to nothing), each at least its widest word
    /// (`HandoutTableColumns`); rows move whole to the next page.
    func drawTable(header: [String], rows: [[String]]) throws {
        let all = (header.isEmpty ? [] : [header]) + rows
        let columns = all.map(\.count).max() ?? 0
        guard columns > 0 else { return }
        let weights = (0..<columns).map { column in
            Double(all.map { $0.indices.contains(column) ? min(plainLength($0[column]), 40) : 0 }.max() ?? 0) + 4
        }
        let pad = 4.0
        // The widest word of each column at the normal size; where the words of all columns
        // do not fit side by side, the table's text shrinks (not below 7.5 pt) until they do,
        // rather than breaking words.
        func words(_ size: Double) -> [Double] {
            (0..<columns).map { column in
                all.enumerated().map { index, row -> Double in
                    guard row.indices.contains(column) else { return 0 }
                    let style = TextStyle(size: size, bold: index == 0 && !header.isEmpty, color: canvas.theme.ink)
                    return HandoutTableColumns.unbreakablePieces(plainText(row[column]))
                        .map { canvas.measure($0, style).width }.max() ?? 0
                }.max()!
            }
        }
        let padding = Double(columns) * (2 * pad + 1)
        let normal = words(9.5)
        let size = max(7.5, 9.5 * min(1, (width - padding) / max(normal.reduce(0, +) * 1.02, 1)))
        let cellStyle = TextStyle(size: size, color: canvas.theme.ink)
        let headerStyle = TextStyle(size: size, bold: true, color: canvas.theme.ink)
        let minimums = (size == 9.5 ? normal : words(size)).map { $0 + 2 * pad + 1 }
        let widths = HandoutTableColumns.fitted(weights.map { width * $0 / weights.reduce(0, +) }, minimums: minimums)
        for (index, row) in all.map({ $0.map(HandoutTableColumns.breakable) }).enumerated() {
            let isHeader = index == 0 && !header.isEmpty
            let style = isHeader ? headerStyle : cellStyle
            let heights = row.enumerated().map { column, cell in
                canvas.paragraphHeight(cell, width: widths[column] - 2 * pad, isHeader ? style : cellStyle, markup: true)
            }
            let height = (heights.max() ?? 0) + 2 * pad
            try reserve(height)
            if isHeader { canvas.fill(Rect(x: left, y: y, width: width, height: height), Color(hex: 0xF1F1EF)) }
            var x = left
            for (column, cell) in row.enumerated() {
                canvas.paragraph(cell, at: Point(x + pad, y + pad), width: widths[column] - 2 * pad, style, markup: true)
                x += widths[column]
            }
            y += height
            canvas.line(from: Point(left, y), to: Point(left + width, y), canvas.theme.gridLine, width: 0.7)
        }
    }

    func drawCode(_ markup: String) throws {
        let text = "<tt>\(markup)</tt>"
        let style = TextStyle(size: 9, color: canvas.theme.ink)
        let height = canvas.paragraphHeight(text, width: width - 16, style, markup: true) + 12
        try reserve(height)
        canvas.fill(Rect(x: left, y: y, width: width, height: height), Color(hex: 0xF1F1EF))
        canvas.paragraph(text, at: Point(left + 8, y + 6), width: width - 16, style, markup: true)
        space(height)
    }

    /// Characters a cell shows (tags and entities removed), for sharing table width.
    private func plainLength(_ markup: String) -> Int { plainText(markup).count }

    /// The text a cell shows: its markup without tags, entities decoded.
    private func plainText(_ markup: String) -> String {
        HTMLToken.tokens(markup).reduce(into: "") { text, token in
            if case let .text(part) = token { text += HTMLToken.decodeEntities(part) }
        }
    }
}
