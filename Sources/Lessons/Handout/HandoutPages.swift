import Foundation
import Render

/// The flow of a handout over A4 pages: a cursor that moves down the text column, starts
/// a new page when the next block does not fit, and puts the page number in every
/// footer. Blocks are never split: a paragraph, list item, table row or figure with its
/// caption moves whole to the next page. A figure that does not fit below the cursor
/// floats: the text after it goes on filling the page, and the figure opens the next
/// one (so a tall figure beside its paragraph does not leave half a page empty).
final class HandoutPages {
    /// About 2 cm on every side.
    static let margin = 56.0
    static let footerHeight = 22.0

    let pdf: PDFDocument
    let footer: String
    private(set) var page = 1
    /// Top of the next block, in points from the top of the page.
    var y = HandoutPages.margin
    /// Figures waiting for the top of the next page, in order.
    private var floats: [() throws -> Void] = []

    init(pdf: PDFDocument, footer: String) {
        self.pdf = pdf
        self.footer = footer
    }

    var canvas: Canvas { pdf.canvas }
    var left: Double { Self.margin }
    var width: Double { pdf.pageSize.width - 2 * Self.margin }
    /// The lowest point a block may reach.
    var bottom: Double { pdf.pageSize.height - Self.margin - Self.footerHeight }
    /// The height of an empty page's column.
    var columnHeight: Double { bottom - Self.margin }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    /// Figures waiting for the new page are drawn at its top first; when they leave too
    /// little room, the block goes on to the page after (it was drawn over the footer).
    func reserve(_ height: Double) throws {
        while y + height > bottom && y > Self.margin { try newPage() }
    }

    func newPage() throws {
        drawFooter()
        try pdf.newPage()
        page += 1
        y = Self.margin
        let waiting = floats
        floats = []
        for draw in waiting { try draw() }
    }

    /// Starts a new page if figures are waiting, so that they come before what follows.
    func flushFloats() throws {
        if !floats.isEmpty { try newPage() }
    }

    /// Draws a block of `height` now if it fits and no float is waiting before it,
    /// otherwise at the top of the next page.
    func float(height: Double, _ draw: @escaping () throws -> Void) throws {
        if floats.isEmpty && (y + height <= bottom || y <= Self.margin) {
            try draw()
        } else {
            floats.append(draw)
        }
    }

    func space(_ height: Double) { y += height }

    /// A wrapped markup paragraph at `indent` from the left margin; `keepWithNext`
    /// extra points must fit too (a heading should not end a page).
    func paragraph(_ markup: String, _ style: TextStyle, indent: Double = 0, keepWithNext: Double = 0) throws {
        let height = canvas.paragraphHeight(markup, width: width - indent, style, markup: true)
        try reserve(height + keepWithNext)
        canvas.paragraph(markup, at: Point(left + indent, y), width: width - indent, style, markup: true)
        y += height
    }

    /// Writes the last footer and closes the file.
    func finish() throws {
        while !floats.isEmpty { try newPage() }
        drawFooter()
        try pdf.finish()
    }

    private func drawFooter() {
        let base = pdf.pageSize.height - Self.margin + 4
        let style = TextStyle(size: 8.5, color: canvas.theme.mutedInk)
        canvas.line(from: Point(left, base - 6), to: Point(left + width, base - 6), canvas.theme.gridLine, width: 0.6)
        canvas.text(footer, at: Point(left, base), style)
        canvas.text("page \(page)", at: Point(left + width, base), style, anchor: .topRight)
    }
}
