import Foundation
import XCTest
import Render

final class CanvasTests: XCTestCase {
    private func tempPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("render-tests-\(getpid())-\(name)").path
    }

    func testResolvedFontIsDejaVuSans() throws {
        XCTAssertEqual(try RenderInfo.resolvedFontFamily(), "DejaVu Sans")
    }

    func testResolvedMonospaceFontIsDejaVuSansMono() throws {
        XCTAssertEqual(try RenderInfo.resolvedFontFamily(monospace: true), "DejaVu Sans Mono")
    }

    /// Grid layouts (token axes, coloured text, samples) are computed from
    /// `Theme.monospaceAdvance` without a canvas and place every glyph in its own cell.
    /// Pango rounds each glyph's advance to whole device units, so a measured glyph is
    /// within half a unit of the theory, plain and bold, visible-whitespace symbols too.
    func testMonospaceAdvanceMatchesPango() throws {
        let pdf = try PDFDocument(path: tempPath("mono.pdf"))
        let theme = pdf.canvas.theme
        for character in ["a", "W", ",", "␣", "⏎", "⇥", "…", "�", "0"] {
            for bold in [false, true] {
                let style = TextStyle(size: 11, bold: bold, monospace: true)
                XCTAssertEqual(pdf.canvas.measure(character, style).width, theme.monospaceWidth(character, size: 11),
                               accuracy: 0.5, "'\(character)' bold: \(bold)")
            }
        }
        XCTAssertNotEqual(pdf.canvas.measure("iiii", TextStyle(size: 11)).width,
                          pdf.canvas.measure("MMMM", TextStyle(size: 11)).width, "the proportional face is not monospace")
    }

    /// A text's size counts as drawn: scaled by the blocks it is drawn in; blank text does not count.
    func testSmallestTextSizeCountsTheScaleTextIsDrawnAt() throws {
        let pdf = try PDFDocument(path: tempPath("smallest.pdf"))
        let canvas = pdf.canvas
        XCTAssertNil(canvas.smallestTextSize)
        canvas.text("a", at: Point(10, 10), TextStyle(size: 12))
        XCTAssertEqual(canvas.smallestTextSize, 12)
        canvas.transformed(offset: Point(0, 0), scale: 0.5) {
            canvas.transformed(offset: Point(0, 0), scale: 0.8) { canvas.paragraph("b", at: Point(0, 0), width: 50, TextStyle(size: 20)) }
            canvas.text(" ", at: Point(0, 0), TextStyle(size: 2))
        }
        XCTAssertEqual(canvas.smallestTextSize ?? 0, 8, accuracy: 1e-12)
        canvas.text("c", at: Point(10, 10), TextStyle(size: 9))
        XCTAssertEqual(canvas.smallestTextSize ?? 0, 8, accuracy: 1e-12, "the scale ended with its block")
        try pdf.finish()
    }

    func testRenderingTwiceGivesIdenticalBytes() throws {
        let figure = try ContourPlotTests.bowl()
        XCTAssertEqual(try figure.pngData(), try figure.pngData())
    }

    func testDefaultPNGIs1200PixelsWideAndScaleIsSettable() throws {
        let figure = try ComputationGraphTests.neuron()
        let image = try RasterImage(png: figure.pngData())
        XCTAssertEqual(image.width, 1200)
        let small = try RasterImage(png: figure.pngData(width: 800, scale: 0.5))
        XCTAssertEqual(small.width, 400)
        XCTAssertEqual(small.height, (image.height + 2) / 3, accuracy: 1)
    }

    /// Cairo 1.16 caches font faces with the options of the first surface: a PDF drawn
    /// first must not change later PNG glyph pixels (../shared/CAIRO.md).
    func testDrawingAPDFDoesNotChangeLaterPNGPixels() throws {
        let figure = try TrainingCurvesTests.curves()
        let before = try RasterImage(png: figure.pngData())
        let path = tempPath("trap.pdf")
        let pdf = try PDFDocument(path: path)
        try figure.draw(on: pdf.canvas, at: Point(40, 40), width: 515)
        try pdf.finish()
        try? FileManager.default.removeItem(atPath: path)
        XCTAssertEqual(try RasterImage(png: figure.pngData()), before)
    }

    func testPDFHandoutIsDeterministicAndAppearsOnlyWhenFinished() throws {
        func write(_ path: String) throws -> Data {
            let pdf = try PDFDocument(path: path)
            let canvas = pdf.canvas
            canvas.text("Lesson 3: convolutions", at: Point(40, 40), canvas.theme.titleStyle)
            let height = canvas.paragraph("A <b>filter</b> slides over the image; each output pixel is a weighted sum "
                                          + "of the pixels under it.", at: Point(40, 70), width: 515, canvas.theme.labelStyle, markup: true)
            try TrainingCurvesTests.curves().draw(on: canvas, at: Point(40, 80 + height), width: 515)
            try pdf.newPage()
            try FilterGrid(title: "conv1", weights: Synthetic.kernels()).draw(on: canvas, at: Point(40, 40), width: 515)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), "no PDF under its name before finish()")
            try pdf.finish()
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let first = try write(tempPath("a.pdf")), second = try write(tempPath("b.pdf"))
        XCTAssertEqual(first.prefix(5), Data("%PDF-".utf8))
        XCTAssertEqual(first, second)
    }

    /// Handouts embed DejaVu Sans Mono for the text plots, and stay byte-identical.
    func testTextPlotsInAPDFEmbedTheMonospaceFaceDeterministically() throws {
        func write(_ path: String) throws -> Data {
            let pdf = try PDFDocument(path: path)
            let text = Synthetic.sentence
            let height = try TopKStrip(title: "Next", tokens: text.map(String.init), candidates: Synthetic.topFive(text))
                .draw(on: pdf.canvas, at: Point(40, 40), width: 515)
            try TextSamples(title: "Samples", samples: [.init(label: "step 0", prompt: "The ", continuation: "cat sat")])
                .draw(on: pdf.canvas, at: Point(40, 60 + height), width: 515)
            try pdf.finish()
            defer { try? FileManager.default.removeItem(atPath: path) }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let first = try write(tempPath("mono-a.pdf")), second = try write(tempPath("mono-b.pdf"))
        XCTAssertEqual(first, second)
        XCTAssertNotNil(first.range(of: Data("DejaVuSansMono".utf8)), "the monospace face is embedded")
    }

    func testParagraphHeightGrowsWhenTextWraps() throws {
        let pdf = try PDFDocument(path: tempPath("measure.pdf"))
        let style = pdf.canvas.theme.labelStyle
        let short = pdf.canvas.paragraphHeight("One line.", width: 300, style)
        let long = pdf.canvas.paragraphHeight(String(repeating: "Many words wrap onto more lines. ", count: 10), width: 300, style)
        XCTAssertGreaterThan(short, 10)
        XCTAssertGreaterThan(long, 4 * short)
        XCTAssertEqual(escapeMarkup("a < b & c"), "a &lt; b &amp; c")
    }

    func testWritePNGIsAtomicAndReadable() throws {
        let path = tempPath("figure.png")
        let figure = try ComputationGraphTests.neuron()
        try figure.writePNG(to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try RasterImage(contentsOfPNG: path), try RasterImage(png: figure.pngData()))
        XCTAssertThrowsError(try figure.writePNG(to: "/nonexistent-dir/x.png"))
    }

    func testBadSizesAndFilesThrow() throws {
        let figure = try ComputationGraphTests.neuron()
        XCTAssertThrowsError(try figure.pngData(width: 0))
        XCTAssertThrowsError(try figure.pngData(scale: .nan))
        XCTAssertThrowsError(try RasterImage(contentsOfPNG: "/nonexistent.png"))
        XCTAssertThrowsError(try RasterImage(png: Data("not a png".utf8)))
    }
}
