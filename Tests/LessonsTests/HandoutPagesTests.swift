import Foundation
import XCTest
import Render
@testable import Lessons

/// How the handout's pages place figures: shrink a little to end a page, or wait while
/// text fills it; never leave a page half empty while text remains.
final class HandoutPagesTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("handout-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func makePages() throws -> HandoutPages {
        HandoutPages(pdf: try PDFDocument(path: folder.appendingPathComponent("h.pdf").path), footer: "test")
    }

    /// A recorder of where each figure was drawn: page and height.
    private final class Drawn { var figures: [(page: Int, y: Double, height: Double)] = [] }

    private func figure(_ height: Double, shrinkTo minimum: Double, on pages: HandoutPages, into drawn: Drawn) -> HandoutFloat {
        HandoutFloat(height: height, minimumHeight: minimum) { fitted in
            drawn.figures.append((pages.page, pages.y, fitted))
            pages.space(fitted)
        }
    }

    func testAFigureThatAlmostFitsShrinksToEndThePage() throws {
        let pages = try makePages(), drawn = Drawn()
        pages.space(pages.columnHeight - 100)
        try pages.float(figure(110, shrinkTo: 90, on: pages, into: drawn))
        XCTAssertEqual(drawn.figures.count, 1)
        XCTAssertEqual(drawn.figures[0].page, 1)
        XCTAssertEqual(drawn.figures[0].height, 99.5, accuracy: 1e-9)
        XCTAssertLessThanOrEqual(pages.y, pages.bottom)
        try pages.finish()
    }

    /// Two figures waiting for page 2 that do not both fit: the first opens it, text fills
    /// the rest, and the second opens page 3.
    func testAWaitingFigureThatDoesNotFitUnderAnotherLetsTextFillTheGap() throws {
        let pages = try makePages(), drawn = Drawn()
        pages.space(pages.columnHeight - 50)
        let tall = pages.columnHeight * 0.6
        try pages.float(figure(tall, shrinkTo: tall * 0.9, on: pages, into: drawn))
        try pages.float(figure(tall, shrinkTo: tall * 0.9, on: pages, into: drawn))
        XCTAssertTrue(drawn.figures.isEmpty, "neither fits in 50 pt: both wait")
        let line = "A line of text that is one line long."
        while pages.page < 3 { try pages.paragraph(line, HandoutPages.body) }
        XCTAssertEqual(drawn.figures.map(\.page), [2, 3])
        XCTAssertEqual(drawn.figures.map(\.y), [HandoutPages.margin, HandoutPages.margin])
        XCTAssertEqual(drawn.figures.map(\.height), [tall, tall])
        try pages.finish()
    }

    func testFinishDrawsEveryWaitingFigure() throws {
        let pages = try makePages(), drawn = Drawn()
        pages.space(pages.columnHeight - 10)
        for _ in 0..<3 { try pages.float(figure(pages.columnHeight * 0.7, shrinkTo: pages.columnHeight * 0.6, on: pages, into: drawn)) }
        try pages.finish()
        XCTAssertEqual(drawn.figures.map(\.page), [2, 3, 4])
    }
}
