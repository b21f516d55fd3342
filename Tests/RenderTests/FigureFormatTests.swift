import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Render
import XCTest

/// One figure, three formats from the same drawing code: the PNG as before, an SVG that
/// is well-formed XML of the figure's size, a one-page PDF of the figure's size, and the
/// vector files as deterministic as the PNG.
final class FigureFormatTests: XCTestCase {
    /// A small figure with text, a colour bar and pixel data (an embedded image).
    private func heatmap() throws -> Heatmap {
        try Heatmap(title: "Weights σ × 2", values: FloatArray(rows: [[0, 1, -2], [3, -0.5, 5]]),
                    xLabel: "input", yLabel: "output", valueLabel: "weight")
    }

    func testSVGIsXMLOfTheFiguresSizeInPoints() throws {
        let figure = try heatmap()
        let svg = try figure.svgData(width: 400)
        let root = try XCTUnwrap(RootElement.parse(svg), "the SVG is not well-formed XML")
        XCTAssertEqual(root.name, "svg")
        let height = figure.height(forWidth: 400, theme: .standard)
        XCTAssertEqual(root.attributes["width"], "400pt")
        let svgHeight = try XCTUnwrap(root.attributes["height"])
        XCTAssert(svgHeight.hasSuffix("pt"), svgHeight)
        XCTAssertEqual(try XCTUnwrap(Double(svgHeight.dropLast(2))), height, accuracy: 0.01)
        // Text stays vector (glyph outlines), and pixel data is shown as squares, not smoothed.
        let text = String(decoding: svg, as: UTF8.self)
        XCTAssert(text.contains("id=\"glyph"), "no glyphs in the SVG")
        XCTAssert(text.contains("<image style=\"image-rendering:pixelated\""), "embedded image without pixelated rendering")
    }

    func testSVGIsTheSameBytesEachTime() throws {
        // Cairo numbers surfaces and images process-wide; the same figure twice in one
        // process must still give the same file.
        let first = try heatmap().svgData()
        _ = try heatmap().pngData(width: 200, scale: 1)   // more surfaces in between
        let second = try heatmap().svgData()
        XCTAssertEqual(first, second)
        let text = String(decoding: first, as: UTF8.self)
        XCTAssert(text.contains("<g id=\"surface1\">"), "page ids are not renumbered from 1")
        XCTAssert(text.contains("id=\"image1\"") && text.contains("#image1\""), "image id or its reference not renumbered")
    }

    func testPDFIsOnePageOfTheFiguresSize() throws {
        let figure = try heatmap()
        let pdf = try figure.pdfData(width: 400)
        let text = String(decoding: pdf, as: UTF8.self)
        XCTAssert(text.hasPrefix("%PDF-"), String(text.prefix(20)))
        let pages = try NSRegularExpression(pattern: #"/Type\s*/Page\b(?!s)"#)
        XCTAssertEqual(pages.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text)), 1)
        let box = try NSRegularExpression(pattern: #"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]"#)
        let match = try XCTUnwrap(box.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)))
        let size = (1...2).map { Double(text[Range(match.range(at: $0), in: text)!])! }
        XCTAssertEqual(size[0], 400, accuracy: 0.01)
        XCTAssertEqual(size[1], figure.height(forWidth: 400, theme: .standard), accuracy: 0.01)
        XCTAssertEqual(pdf, try figure.pdfData(width: 400), "PDF bytes differ between two renders")
    }

    func testWriteGoesThroughEachFormatAndPNGIsUnchanged() throws {
        let figure = try heatmap()
        XCTAssertEqual(try figure.data(.png), try figure.pngData())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for format in FigureFormat.allCases {
            let path = folder.appendingPathComponent("figure." + format.fileExtension).path
            try figure.write(format, to: path)
            XCTAssertEqual(FileManager.default.contents(atPath: path), try figure.data(format), format.rawValue)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
                       ["figure.pdf", "figure.png", "figure.svg"], "a temporary file was left behind")
    }

    func testFormatListParsesNamesAndRefusesUnknownOnes() throws {
        XCTAssertEqual(try FigureFormat.list(parsing: "png,svg,pdf"), [.png, .svg, .pdf])
        XCTAssertEqual(try FigureFormat.list(parsing: "svg, PDF,svg"), [.svg, .pdf])
        XCTAssertThrowsError(try FigureFormat.list(parsing: "png,jpg")) { error in
            XCTAssertEqual(error as? FigureFormatError, .unknown("jpg"))
            XCTAssertEqual("\(error)", "unknown figure format 'jpg'; formats: png, svg, pdf")
        }
        XCTAssertThrowsError(try FigureFormat.list(parsing: "png,")) { error in
            XCTAssert("\(error)".contains("formats: png, svg, pdf"), "\(error)")
        }
    }
}

/// Parses a whole XML document and keeps its root element's name and attributes; nil
/// when the document is not well-formed.
private final class RootElement: NSObject, XMLParserDelegate {
    var name: String?
    var attributes: [String: String] = [:]

    static func parse(_ data: Data) -> (name: String, attributes: [String: String])? {
        let parser = XMLParser(data: data)
        let root = RootElement()
        parser.delegate = root
        guard parser.parse(), let name = root.name else { return nil }
        return (name, root.attributes)
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        guard name == nil else { return }
        name = elementName
        self.attributes = attributes
    }
}
