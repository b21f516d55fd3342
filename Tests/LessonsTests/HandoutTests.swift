import Foundation
import XCTest
@testable import Lessons

final class HandoutTests: XCTestCase {
    private var fixture: PublishFixture!

    override func setUpWithError() throws { fixture = try PublishFixture() }
    override func tearDown() { fixture?.remove() }

    private var handoutFile: URL { fixture.runFolder.appendingPathComponent("handout.pdf") }

    private func writeHandout() throws -> Data {
        try Handout.write(spec: fixture.spec, summary: fixture.summary, lessonFolder: fixture.lessonFolder,
                          runFolder: fixture.runFolder)
        return try Data(contentsOf: handoutFile)
    }

    /// Output of a poppler tool, or a skip when poppler-utils is not installed.
    private func poppler(_ tool: String, _ arguments: [String]) throws -> String {
        let path = "/usr/bin/\(tool)"
        guard FileManager.default.isExecutableFile(atPath: path) else { throw XCTSkip("\(tool) is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments)")
        return String(decoding: data, as: UTF8.self)
    }

    /// The handout's text with runs of white space (line breaks included) as one space.
    private func handoutText() throws -> String {
        try poppler("pdftotext", [handoutFile.path, "-"]).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private func pageCount() throws -> Int {
        let info = try poppler("pdfinfo", [handoutFile.path])
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) ?? 0
    }

    func testHandoutIsAnA4PDF() throws {
        let data = try writeHandout()
        XCTAssertEqual(String(decoding: data.prefix(5), as: UTF8.self), "%PDF-")
        let info = try poppler("pdfinfo", [handoutFile.path])
        XCTAssert(info.contains("Page size:       595.276 x 841.89 pts (A4)"), info)
        XCTAssertGreaterThanOrEqual(try pageCount(), 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: handoutFile.path + ".partial"))
    }

    func testSameInputsGiveTheSameBytes() throws {
        let first = try writeHandout()
        XCTAssertEqual(first, try writeHandout())
    }

    func testHandoutHasGoalsNarrativeFiguresAndExercisesInOrder() throws {
        _ = try writeHandout()
        let text = try handoutText()
        let order = ["Digits <script>alert(1)</script> & more", "Learning goals", "Read a <heatmap> & its colour scale.",
                     "Key results", "75.0 %", "What happens here", "2 < 3 & 4 > 1", "first bullet", "26 × 26 × 32",
                     "Figures", "Figure 1.", PublishFixture.handoutCaption, "Figure 2.", PublishFixture.seriesCaption,
                     "Exercises", "Train for ten epochs."]
        var previous = text.startIndex
        for piece in order {
            guard let range = text.range(of: piece, range: previous..<text.endIndex) else {
                return XCTFail("'\(piece)' missing or out of order in: \(text)")
            }
            previous = range.upperBound
        }
        XCTAssertFalse(text.contains(PublishFixture.galleryOnlyCaption), "figures with handout: false stay out")
        XCTAssert(text.contains("page 1"), "page numbers in the footer")
    }

    /// A marker prints the figure after its paragraph with the gallery's number; the
    /// figures no marker places follow under "More figures".
    func testMarkerPlacesAFigureAfterItsParagraphWithTheGallerysNumber() throws {
        fixture.remove()
        fixture = try PublishFixture(narrative: "The boundary moves.\n\n{{figure: boundary}}\n\nMore text after it.\n")
        _ = try writeHandout()
        let text = try handoutText()
        let order = ["The boundary moves.", "Figure 1.", PublishFixture.seriesCaption, "More text after it.",
                     "More figures", "Figure 2.", PublishFixture.handoutCaption, "Exercises"]
        var previous = text.startIndex
        for piece in order {
            guard let range = text.range(of: piece, range: previous..<text.endIndex) else {
                return XCTFail("'\(piece)' missing or out of order in: \(text)")
            }
            previous = range.upperBound
        }
    }

    func testLongNarrativeFlowsOntoNumberedPages() throws {
        fixture.remove()
        let paragraph = "A sentence long enough to wrap across the column of an A4 page more than once, "
            + "so that a few dozen of them cannot fit on one page and must flow onto the next ones."
        fixture = try PublishFixture(narrative: (1...60).map { "Paragraph \($0). \(paragraph)" }.joined(separator: "\n\n"))
        _ = try writeHandout()
        let pages = try pageCount()
        XCTAssertGreaterThanOrEqual(pages, 3)
        let text = try handoutText()
        for page in 1...pages { XCTAssert(text.contains("page \(page)"), "footer of page \(page)") }
        XCTAssert(text.contains("Paragraph 60."), "the last paragraph is not lost")
    }

    func testMarkdownBecomesHeadingsParagraphsListsAndTables() {
        let blocks = HandoutBlock.blocks(markdown: PublishFixture.narrative)
        XCTAssertEqual(blocks, [
            .heading(level: 2, markup: "What happens here"),
            .paragraph("A <b>convolutional</b> network slides a small <tt>3 × 3</tt> <i>filter</i> over the image; "
                       + "2 &lt; 3 &amp; 4 &gt; 1."),
            .list([.init(marker: "•", depth: 0, markup: "first bullet"),
                   .init(marker: "•", depth: 0, markup: "second bullet with <b>bold</b>")]),
            .table(header: ["layer", "output shape"], rows: [["Conv2D", "26 × 26 × 32"], ["Dense", "10"]]),
            .list([.init(marker: "1.", depth: 0, markup: "one"), .init(marker: "2.", depth: 0, markup: "two")]),
        ])
    }

    func testALineStartingWithInlineCodeContinuesItsParagraph() {
        let blocks = HandoutBlock.blocks(markdown: "The loss is written\n`L = -log p` and\nit is small.\n\n- an item that wraps\n  `x` onto a line\n")
        XCTAssertEqual(blocks, [
            .paragraph("The loss is written <tt>L = -log p</tt> and it is small."),
            .list([.init(marker: "•", depth: 0, markup: "an item that wraps <tt>x</tt> onto a line")]),
        ])
    }

    /// CommonMark: a soft line break inside a paragraph is a space, so an inline code span
    /// may cross it and a line starting with `--` (a command's option) is text, not a list
    /// item; a line starting with `- ` still starts one, and a hard break stays a break.
    func testASoftLineBreakInsideAParagraphIsASpace() {
        let markdown = "Write: `learn generate out --prompt a\n--temperature 0.8`, and compare with `x`.\n-x is text too.\n- an item\n"
        XCTAssertEqual(HandoutBlock.blocks(markdown: markdown), [
            .paragraph("Write: <tt>learn generate out --prompt a --temperature 0.8</tt>, and compare with <tt>x</tt>. -x is text too."),
            .list([.init(marker: "•", depth: 0, markup: "an item")]),
        ])
        let html = SafeHTML.html(markdown: markdown)
        XCTAssert(html.contains("<code>learn generate out --prompt a --temperature 0.8</code>, and compare with <code>x</code>"), html)
        XCTAssertEqual(InkMarkdown.normalized("Line  \nbreak"), "Line  \nbreak", "a hard break is kept")
        XCTAssertEqual(InkMarkdown.normalized("Text\n{{figure: x}}\nMore"), "Text\n{{figure: x}}\nMore", "a figure marker stays alone")
    }

    func testIndentedCodeKeepsItsLines() {
        let blocks = HandoutBlock.blocks(markdown: "Run it:\n\n    learn lesson cnn-mnist\n    learn gallery\n\nThen look.\n")
        XCTAssertEqual(blocks, [
            .paragraph("Run it:"), .code("learn lesson cnn-mnist\nlearn gallery"), .paragraph("Then look."),
        ])
        let list = HandoutBlock.blocks(markdown: "- an item\n\n    its second paragraph\n")
        XCTAssertFalse(list.contains { if case .code = $0 { return true } else { return false } }, "\(list)")
        let fenced = "```\n`x` stays\n    as written\n```"
        XCTAssertEqual(InkMarkdown.normalized("Text\n" + fenced), "Text\n" + fenced)
    }

    func testAuthorsUnbalancedHTMLCannotBreakTheMarkup() {
        let blocks = HandoutBlock.blocks(markdown: "Some <em>open emphasis and a </strong> stray close.")
        XCTAssertEqual(blocks, [.paragraph("Some <i>open emphasis and a  stray close.</i>")])
    }
}
