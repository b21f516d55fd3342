import Foundation
import XCTest
@testable import Render

/// A table's columns share the width equally while everything fits, and a header longer
/// than an equal share takes room from the short columns instead of being cut.
final class TextTableTests: XCTestCase {
    private func canvas() throws -> Canvas { try ImageCanvas(size: Size(600, 300), scale: 1, theme: .standard).canvas }

    func testShortTextsShareTheWidthEqually() throws {
        let canvas = try canvas()
        let section = TextTable.Section(title: "s", header: ["a", "b", "c"], rows: [["x", "0.5", "y"]])
        XCTAssertEqual(TextTable.otherWidths(section, room: 400, canvas: canvas), [200, 200])
    }

    func testLongHeaderTakesRoomFromShortColumns() throws {
        let canvas = try canvas()
        let header = ["a : b :: c : ?", "answer", "cosine", "expected", "expected's rank (cosine)"]
        let section = TextTable.Section(title: "Analogies", header: header, rows: [["he : his", "her", "0.82", "her", "1st"]])
        let room = 4 * (canvas.measure(header[4], TextStyle(size: canvas.theme.tickSize, bold: true)).width + 8) * 0.8
        let widths = TextTable.otherWidths(section, room: room, canvas: canvas)
        let bold = TextStyle(size: canvas.theme.tickSize, bold: true)
        for (c, w) in widths.enumerated() {
            XCTAssertGreaterThanOrEqual(w - 8, canvas.measure(header[c + 1], bold).width - 0.01, "'\(header[c + 1])' fits its column")
        }
        XCTAssertEqual(widths.reduce(0, +), room, accuracy: 1e-6, "the columns fill the room")
    }
}
