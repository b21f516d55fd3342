import Foundation
import Render

/// The flow of a handout over A4 pages: a cursor that moves down the text column, starts
/// a new page when the next block does not fit, and puts the page number in every
/// footer. Blocks are never split: a paragraph, list item, table row or figure with its
/// caption moves whole to the next page. A figure that does not fit below the cursor
/// first shrinks (to `HandoutFloat.minimumHeight`) to end the page; failing that it
/// floats: the text after it goes on filling the page, and the figure opens the next
/// one. Figures waiting at the top of a page are drawn in order while they fit (the first
/// two shrinking together when that lets them share the page); one that does not fit
/// under the others waits again, and text fills the gap below them.
///
/// The text that fills a gap may not run ahead of the figures: the paragraph that leads
/// into a figure (`leadIn`) stays on this page only when that figure will fit on the
/// next page under the ones waiting; otherwise the page ends before it, so the paragraph
/// opens the next page under the waiting figures and its figure follows it there or
/// opens the page after. So a figure lands on the page of the paragraph before its
/// marker or the next one (`HandoutReport.PrintedFigure.readingPage`), never further.
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
    /// The page the last narrative block was drawn on (captions do not count): the page
    /// of the paragraph that reads the next figure.
    var textPage = 1
    /// Points left below each figure's caption.
    static let figureSpaceAfter = 16.0

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
        if pageIsEmpty, floats.count >= 2 {
            let first = floats.removeFirst()
            try first.draw(Self.topHeight(first, above: floats[0], column: columnHeight))
        }
        while let next = floats.first, let height = fittedHeight(next) {
            floats.removeFirst()
            try next.draw(height)
        }
    }

    /// The height of the figure `first` at the top of an empty column when `next` waits
    /// to go under it: its full height when `next` fits under that (shrunk if need be);
    /// otherwise, if both fit at their minimum heights, both shrink by the same fraction
    /// t of what each may lose, with t = (excess height) / (their summed slack); if not,
    /// its full height, and `next` waits for the page after.
    static func topHeight(_ first: HandoutFloat, above next: HandoutFloat, column: Double) -> Double {
        // One point under the room, so that rounding cannot push `next` out.
        let room = column - figureSpaceAfter - 1
        guard first.height + next.minimumHeight > room, first.minimumHeight + next.minimumHeight <= room else {
            return first.height
        }
        let slack = first.height - first.minimumHeight + next.height - next.minimumHeight
        let t = (first.height + next.height - room) / slack
        return first.height - t * (first.height - first.minimumHeight)
    }

    /// The height `block` takes if drawn at the cursor now: its full height when that
    /// fits, the room left when it can shrink to it, its full height on an empty page
    /// (figures are sized to fit an empty column); nil when it must wait.
    func fittedHeight(_ block: HandoutFloat) -> Double? {
        Self.fittedHeight(block, room: bottom - y, pageIsEmpty: pageIsEmpty)
    }

    /// The rule of `fittedHeight` for `room` points left on a page, shared with
    /// `fitOnOnePage`'s dry run so that the two cannot disagree.
    static func fittedHeight(_ block: HandoutFloat, room: Double, pageIsEmpty: Bool) -> Double? {
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

    /// Draws the narrative blocks that lead into `figures` (the markers that follow
    /// them): a paragraph, with any headings above it. While figures wait, they stay on
    /// this page only if the waiting figures and `figures` fit on the next page together;
    /// otherwise new pages start (drawing the waiting figures) until they do, so the
    /// blocks are at most a page before their figures.
    func leadIn(_ blocks: [HandoutBlock], before figures: [HandoutFloat]) throws {
        while !floats.isEmpty && !Self.fitOnOnePage(floats + figures, column: columnHeight) { try newPage() }
        try draw(blocks)
    }

    /// Whether all of the text `blocks` between the waiting figures and the markers of
    /// `figures` should wait for the next page with its last paragraph, rather than fill
    /// this one: when the waiting figures and `figures` cannot share the next page (so
    /// the last paragraph moves there anyway), this page is already 70 % full, the next
    /// would be under 70 % full with only the waiting figures and that paragraph, and all
    /// of the text fits under the waiting figures there. (rnn-sine: the one-step figure
    /// waits, the hidden-state figure is a page tall; the two paragraphs between them
    /// fill the one-step figure's page instead of the bottom of the page before.)
    func textWaitsWithFigures(_ blocks: [HandoutBlock], before figures: [HandoutFloat]) -> Bool {
        let full = 1 - HandoutReport.maximumEmptyShare
        guard !floats.isEmpty, blocks.count > 1, (y - Self.margin) / columnHeight >= full,
              !Self.fitOnOnePage(floats + figures, column: columnHeight) else { return false }
        let heights = blocks.compactMap(height(of:))
        guard heights.count == blocks.count, let last = heights.last else { return false }
        let waiting = floats.reduce(0) { $0 + $1.height + Self.figureSpaceAfter }
        return waiting + last < full * columnHeight && waiting + heights.reduce(0, +) <= columnHeight
    }

    /// Whether `blocks`, drawn in order from the top of an empty column of `column`
    /// points, all fit on it: the first at `topHeight`, each next one at full height or
    /// shrunk to the room left (as `drawWaitingFloats` draws them).
    static func fitOnOnePage(_ blocks: [HandoutFloat], column: Double) -> Bool {
        var y = 0.0
        for (index, block) in blocks.enumerated() {
            if index == 0 {
                y += (blocks.count > 1 ? topHeight(block, above: blocks[1], column: column) : block.height) + figureSpaceAfter
            } else if let height = fittedHeight(block, room: column - y, pageIsEmpty: false) {
                y += height + figureSpaceAfter
            } else {
                return false
            }
        }
        return true
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
