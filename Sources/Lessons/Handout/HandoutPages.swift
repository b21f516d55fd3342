import Foundation
import Render

/// The flow of a handout over A4 pages: a cursor that moves down the text column, starts
/// a new page when the next block does not fit, and puts the page number in every
/// footer. Blocks are never split: a paragraph, list item, table row or figure with its
/// caption moves whole to the next page. A figure that does not fit below the cursor
/// first shrinks (to `HandoutFloat.minimumHeight`) to end the page; failing that it
/// floats: the text after it goes on filling the page, and the figure opens the next
/// one. Figures waiting at the top of a page are drawn in order while they fit; one that
/// does not fit under the others waits again, and text fills the gap below them, so a
/// figure is never more than a page from its paragraph and no page is left half empty
/// while text remains.
final class HandoutPages {
    /// About 2 cm on every side.
    static let margin = 56.0
    static let footerHeight = 22.0

    let pdf: PDFDocument
    let footer: String
    private(set) var page = 1
    /// Top of the next block, in points from the top of the page.
    var y = HandoutPages.margin
    /// Figures waiting for room on a following page, in order.
    private var floats: [HandoutFloat] = []
    /// How full each finished page is and the printed size of each figure's text.
    var report = HandoutReport()

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
    /// Whether nothing has been drawn on this page yet.
    var pageIsEmpty: Bool { y <= Self.margin }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty).
    /// Figures waiting for the new page are drawn at its top first; when they leave too
    /// little room, the block goes on to the page after.
    func reserve(_ height: Double) throws {
        while y + height > bottom && !pageIsEmpty { try newPage() }
    }

    func newPage() throws {
        endPage()
        try pdf.newPage()
        page += 1
        y = Self.margin
        try drawWaitingFloats()
    }

    /// Draws waiting figures at the cursor, in order, as long as the next one fits
    /// (shrunk if need be); the rest wait for the next page.
    private func drawWaitingFloats() throws {
        while let next = floats.first, let height = fittedHeight(next) {
            floats.removeFirst()
            try next.draw(height)
        }
    }

    /// The height `block` takes if drawn at the cursor now: its full height when that
    /// fits, the room left when it can shrink to it, its full height on an empty page
    /// (figures are sized to fit an empty column); nil when it must wait.
    func fittedHeight(_ block: HandoutFloat) -> Double? {
        let room = bottom - y
        if block.height <= room || pageIsEmpty { return block.height }
        // Half a point under the room, so rounding cannot push the caption onto a new page.
        if block.minimumHeight <= room - 0.5 { return room - 0.5 }
        return nil
    }

    /// Starts new pages until every waiting figure is drawn, so that they come before
    /// what follows (the figures that no marker placed, the exercises).
    func flushFloats() throws {
        while !floats.isEmpty { try newPage() }
    }

    /// Draws `block` now if it fits (shrunk if need be) and no figure is waiting before
    /// it; otherwise it waits for the next page while the text after it fills this one.
    func float(_ block: HandoutFloat) throws {
        if floats.isEmpty, let height = fittedHeight(block) {
            try block.draw(height)
        } else {
            floats.append(block)
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
        try flushFloats()
        endPage()
        try pdf.finish()
    }

    /// Notes how full the page is, then draws its footer.
    private func endPage() {
        report.pageFill.append(min(1, max(0, (y - Self.margin) / columnHeight)))
        drawFooter()
    }

    private func drawFooter() {
        let base = pdf.pageSize.height - Self.margin + 4
        let style = TextStyle(size: 8.5, color: canvas.theme.mutedInk)
        canvas.line(from: Point(left, base - 6), to: Point(left + width, base - 6), canvas.theme.gridLine, width: 0.6)
        canvas.text(footer, at: Point(left, base), style)
        canvas.text("page \(page)", at: Point(left + width, base), style, anchor: .topRight)
    }
}

/// A block that may wait for a later page and may shrink a little to end one: a figure
/// with its caption. `draw` is given the height to fill, between `minimumHeight` and
/// `height`, and draws at the pages' cursor.
struct HandoutFloat {
    let height: Double
    let minimumHeight: Double
    let draw: (Double) throws -> Void
}
