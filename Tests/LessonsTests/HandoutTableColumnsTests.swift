import XCTest
@testable import Lessons

/// Handout table cells wrap only between words, and columns get their widest word's width.
final class HandoutTableColumnsTests: XCTestCase {
    func testCellsBreakOnlyAtSpacesAndAfterUnderscoresAndHyphens() {
        XCTAssertEqual(HandoutTableColumns.unbreakablePieces("lr=0.003_bs=32"), ["lr=0.003_", "bs=32"])
        XCTAssertEqual(HandoutTableColumns.unbreakablePieces("Validation accuracy"), ["Validation", "accuracy"])
        XCTAssertEqual(HandoutTableColumns.unbreakablePieces("two-layer net"), ["two-", "layer", "net"])
        XCTAssertEqual(HandoutTableColumns.breakable("<b>a_b</b>"), "<b>a_\u{200B}b</b>")
    }

    func testNarrowColumnsAreRaisedToTheirMinimumAtTheExpenseOfWideOnes() {
        let widths = HandoutTableColumns.fitted([10, 50, 40], minimums: [30, 20, 20])
        XCTAssertEqual(widths.reduce(0, +), 100, accuracy: 1e-9)
        XCTAssertEqual(widths[0], 30, accuracy: 1e-9)
        XCTAssertTrue(zip(widths, [30.0, 20, 20]).allSatisfy { $0 >= $1 - 1e-9 }, "\(widths)")
        XCTAssertEqual(HandoutTableColumns.fitted([50, 50], minimums: [10, 10]), [50, 50], "room enough: unchanged")
        XCTAssertEqual(HandoutTableColumns.fitted([50, 50], minimums: [100, 100]), [50, 50], "too little: scaled minimums")
    }
}
