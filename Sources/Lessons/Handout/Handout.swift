import Foundation
import Render

/// `output/NAME/handout.pdf`: the printable lesson on A4 — title, summary, learning
/// goals, key results, the narrative with each figure (those marked `handout: true`)
/// where a `{{figure: ID}}` marker places it, numbered as in the gallery
/// (`FigurePlacement`), the other figures after it, then the exercises; figures scaled
/// to the text width with their captions (a frame series prints as its small
/// multiples); page numbers in every footer. Drawn with Cairo's PDF surface and Pango, so text wraps properly and
/// the same inputs give the same bytes (the PDF's date is fixed).
public enum Handout {
    /// The handout's file name inside a run folder.
    public static let fileName = "handout.pdf"

    /// Writes `runFolder/handout.pdf` (temporary file, then rename); returns how full its
    /// pages are and the size each figure's smallest text prints at.
    @discardableResult
    public static func write(spec: LessonSpec, summary: LessonRunSummary, lessonFolder: URL,
                             runFolder: URL) throws -> HandoutReport {
        let run = RunFolder(url: runFolder, summary: summary)
        let texts = try LessonTexts(spec: spec, lessonFolder: lessonFolder)
        let placement = FigurePlacement(texts: texts, figures: summary.figures)
        let pdf = try PDFDocument(path: runFolder.appendingPathComponent(fileName).path)
        let title = spec.title.count > 60 ? spec.title.prefix(59) + "…" : spec.title
        let pages = HandoutPages(pdf: pdf, footer: "\(title) — learn lesson \(spec.name)")
        try drawFront(spec: spec, summary: summary, on: pages)
        /// The figure at `index` of the summary, when the handout prints it.
        func layout(_ index: Int) throws -> FigureLayout? {
            guard let number = placement.numbers[index] else { return nil }
            let figure = summary.figures[index]
            return try FigureLayout(file: try run.figureFile(figure), figure: figure, number: number, on: pages)
        }
        func draw(_ parts: [FigurePlacement.Part]) throws { try drawParts(parts, layout: layout, on: pages) }
        for parts in placement.narrative { try draw(parts) }
        try pages.flushFloats()
        let layouts = try placement.unplaced.compactMap(layout)
        if let first = layouts.first {
            // The heading goes to the next page with the first figure rather than end a page.
            try pages.reserve(50 + first.minimumHeight)
            let placedSome = placement.unplaced.count < summary.figures.count
            try pages.draw(.heading(level: 2, markup: placedSome ? "More figures" : "Figures"))
        }
        for layout in layouts { try pages.float(layout.block(on: pages, anchor: .none)) }
        if let exercises = placement.exercises {
            try pages.flushFloats()
            try draw(exercises)
        }
        try pages.finish()
        return pages.report
    }

    /// A part list's text blocks and figures in order; the last block before a marker
    /// leads into the figures there, so it moves with them (`HandoutPages.leadIn`), and
    /// so do the headings right above it (a heading must not end a page without its text).
    private static func drawParts(_ parts: [FigurePlacement.Part], layout: (Int) throws -> FigureLayout?,
                                  on pages: HandoutPages) throws {
        let figures = try parts.map { part -> FigureLayout? in
            if case let .figure(index) = part { return try layout(index) }
            return nil
        }
        for (index, part) in parts.enumerated() {
            switch part {
            case let .markdown(text):
                let blocks = HandoutBlock.blocks(markdown: text)
                let following = figuresFollowing(index, in: parts, figures: figures, on: pages)
                let leadIn = following.isEmpty ? blocks.endIndex
                    : pages.textWaitsWithFigures(blocks, before: following) ? 0 : leadInStart(blocks)
                try pages.draw(Array(blocks[..<leadIn]))
                if leadIn < blocks.endIndex { try pages.leadIn(Array(blocks[leadIn...]), before: following) }
            case .figure:
                // A marker right after another reads with that figure: no paragraph stands between them.
                let afterFigure = index > 0 && parts[index - 1].isFigure
                if let figure = figures[index] {
                    try pages.float(figure.block(on: pages, anchor: afterFigure ? .previousFigure : .paragraph(page: pages.textPage)))
                }
            }
        }
    }

    /// Where the lead-in of a text that a marker follows starts: its last block, with
    /// the headings directly above it.
    private static func leadInStart(_ blocks: [HandoutBlock]) -> Int {
        var start = max(blocks.count - 1, 0)
        while start > 0, case .heading = blocks[start - 1] { start -= 1 }
        return start
    }

    /// The printed figures whose markers follow part `index` directly.
    private static func figuresFollowing(_ index: Int, in parts: [FigurePlacement.Part], figures: [FigureLayout?],
                                         on pages: HandoutPages) -> [HandoutFloat] {
        var floats: [HandoutFloat] = []
        for next in parts.indices.dropFirst(index + 1) {
            guard parts[next].isFigure else { break }
            if let figure = figures[next] { floats.append(figure.block(on: pages, anchor: .none)) }
        }
        return floats
    }

    /// Title, summary, level and time (or what was inspected), goals and the key results.
    private static func drawFront(spec: LessonSpec, summary: LessonRunSummary, on pages: HandoutPages) throws {
        let ink = pages.canvas.theme.ink
        try pages.paragraph(escapeMarkup(spec.title), TextStyle(size: 22, bold: true, color: ink))
        pages.space(6)
        try pages.paragraph(escapeMarkup(spec.summary), TextStyle(size: 12.5, color: pages.canvas.theme.mutedInk))
        pages.space(4)
        try pages.paragraph(escapeMarkup(GalleryPage.metaLine(spec, summary: summary)), HandoutPages.small)
        try pages.draw(.heading(level: 2, markup: "Learning goals"))
        try pages.draw(.list(spec.goals.map { .init(marker: "•", depth: 0, markup: escapeMarkup($0)) }))
        try pages.draw(.heading(level: 2, markup: "Key results"))
        try pages.draw(.table(header: [], rows: KeyResults(summary: summary).rows.map {
            ["<b>\(escapeMarkup($0.label))</b>", escapeMarkup($0.value)]
        }))
        let runs = RunsTable(spec: spec, summary: summary)
        if !runs.isEmpty {
            try pages.draw(.heading(level: 2, markup: "Runs compared"))
            try pages.draw(.table(header: runs.header.map(escapeMarkup), rows: runs.rows.map { $0.map(escapeMarkup) }))
            if let note = runs.note { try pages.paragraph(escapeMarkup(note), HandoutPages.small) }
        }
    }
}

/// A figure PNG scaled to the column width (or down to the page height), centred, with
/// "Figure N." and its caption below; measured first so both move to a new page together.
/// To end a page rather than leave its bottom empty, the image may shrink as far as its
/// smallest text still prints at 7 pt (`shrinkLimit`).
private struct FigureLayout {
    /// How far a figure whose text size the summary does not record may shrink.
    static let unknownTextShrinkLimit = 0.85
    /// No figure shrinks below this fraction, however large its text: its pictures shrink too.
    static let shrinkFloor = 0.7
    let image: RasterImage
    let figure: RenderedFigure
    let number: Int
    let caption: String
    let captionHeight: Double
    let size: Size

    init(file: URL, figure: RenderedFigure, number: Int, on pages: HandoutPages) throws {
        image = try RasterImage(contentsOfPNG: file.path)
        self.figure = figure
        self.number = number
        caption = "<b>Figure \(number).</b> \(escapeMarkup(figure.caption))"
        captionHeight = pages.canvas.paragraphHeight(self.caption, width: pages.width, HandoutPages.small, markup: true)
        let aspect = Double(image.height) / Double(image.width)
        let height = min(pages.width * aspect, pages.columnHeight - captionHeight - 8)
        size = Size(height / aspect, height)
    }

    var totalHeight: Double { size.height + 6 + captionHeight }
    var minimumHeight: Double { size.height * shrinkLimit + 6 + captionHeight }

    /// The size the figure's smallest text prints at when the image is `width` points wide.
    func printedText(width: Double) -> Double? {
        figure.smallestTextSize.map { $0 * width / figure.layoutWidth }
    }

    /// The smallest fraction of its full height the figure may be drawn at: the one at
    /// which its smallest text prints at 7 pt (none when it is already at or under 7 pt),
    /// but not below `shrinkFloor`.
    var shrinkLimit: Double {
        guard let text = printedText(width: size.width) else { return Self.unknownTextShrinkLimit }
        return min(1, max(Self.shrinkFloor, HandoutReport.minimumPrintedText / text))
    }

    /// What a figure should print next to, for the report's `readingPage`.
    enum Anchor {
        /// The paragraph before its marker, drawn on `page`.
        case paragraph(page: Int)
        /// The figure printed just before it (its marker follows that figure's directly).
        case previousFigure
        /// Nothing: no marker places it.
        case none
    }

    /// The figure as a block for the pages, reporting the page of its `anchor`.
    func block(on pages: HandoutPages, anchor: Anchor) -> HandoutFloat {
        HandoutFloat(height: totalHeight, minimumHeight: minimumHeight) { height in
            try draw(height: height, anchor: anchor, on: pages)
        }
    }

    /// Draws at the cursor with the image shrunk, if need be, so that all takes `height`.
    func draw(height: Double, anchor: Anchor, on pages: HandoutPages) throws {
        let readingPage: Int?
        switch anchor {
        case let .paragraph(page): readingPage = page
        case .previousFigure: readingPage = pages.report.figures.last?.page
        case .none: readingPage = nil
        }
        let imageHeight = min(size.height, height - 6 - captionHeight)
        let imageWidth = size.width * imageHeight / size.height
        try pages.canvas.image(image.colors, width: image.width, height: image.height,
                               in: Rect(x: pages.left + (pages.width - imageWidth) / 2, y: pages.y,
                                        width: imageWidth, height: imageHeight))
        pages.report.figures.append(.init(number: number, file: figure.file, page: pages.page, readingPage: readingPage,
                                          printedWidth: imageWidth, smallestText: printedText(width: imageWidth)))
        pages.space(imageHeight + 6)
        try pages.paragraph(caption, HandoutPages.small)
        pages.space(HandoutPages.figureSpaceAfter)
    }
}

private extension FigurePlacement.Part {
    var isFigure: Bool {
        if case .figure = self { return true }
        return false
    }
}

private extension RasterImage {
    /// Pixels as colours: Cairo's premultiplied ARGB32 divided back by alpha.
    var colors: [Color] {
        pixels.map { p in
            let alpha = Double(p >> 24) / 255
            guard alpha > 0 else { return Color(red: 0, green: 0, blue: 0, alpha: 0) }
            func channel(_ shift: UInt32) -> Double { min(1, Double((p >> shift) & 0xFF) / 255 / alpha) }
            return Color(red: channel(16), green: channel(8), blue: channel(0), alpha: alpha)
        }
    }
}
