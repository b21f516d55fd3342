import XCTest
@testable import Render

/// `TextGrid`: running text on a monospace grid, wrapped after spaces, `⏎` ending lines,
/// an ellipsis when lines run out.
final class TextGridTests: XCTestCase {
    private func lines(_ text: String, _ columns: Int, maxLines: Int? = nil) -> [String] {
        TextGrid(tokens: text.map(String.init), columns: columns, maxLines: maxLines).text
    }

    func testShortTextIsOneLine() {
        XCTAssertEqual(lines("hello", 10), ["hello"])
        XCTAssertEqual(lines("", 10), [""])
    }

    func testLinesBreakAfterTheLastSpaceThatFits() {
        XCTAssertEqual(lines("the cat sat on the mat", 10), ["the cat ", "sat on the ", "mat"])
        XCTAssertEqual(lines("aa bbb cc", 5), ["aa ", "bbb ", "cc"])
    }

    /// A space arriving at a full line hangs in the extra cell rather than starting the
    /// next line; so does a newline.
    func testASpaceOrNewlineAtAFullLineHangs() {
        XCTAssertEqual(lines("hello world", 5), ["hello ", "world"])
        XCTAssertEqual(lines("hello\nworld", 5), ["hello⏎", "world"])
        let grid = TextGrid(tokens: "hello world".map(String.init), columns: 5)
        XCTAssertEqual(grid.lines.map(\.count), [6, 5])
    }

    func testAWordLongerThanALineIsCutWhereTheLineEnds() {
        XCTAssertEqual(lines("abcdefghij", 4), ["abcd", "efgh", "ij"])
        XCTAssertEqual(lines("a abcdefghij", 4), ["a ", "abcd", "efgh", "ij"])
    }

    func testNewlinesShowAndEndTheirLine() {
        XCTAssertEqual(lines("ab\ncd\n\nef", 10), ["ab⏎", "cd⏎", "⏎", "ef"])
        XCTAssertEqual(lines("tab\there", 10), ["tab⇥here"])
        XCTAssertEqual(lines("end\n", 10), ["end⏎"], "a final newline leaves no empty line")
    }

    func testCellsRememberTheirTokenAcrossALineBreak() {
        let grid = TextGrid(tokens: ["hello", " wor", "ld"], columns: 7)
        XCTAssertEqual(grid.text, ["hello ", "world"])
        XCTAssertEqual(grid.lines[0].map(\.token), [0, 0, 0, 0, 0, 1])
        XCTAssertEqual(grid.lines[1].map(\.token), [1, 1, 1, 2, 2])
        XCTAssertEqual(grid.lines.joined().map(\.offset), (0..<11).map { $0 })
    }

    func testTooManyLinesEndInAnEllipsisThatCountsWhatIsHidden() {
        let text = "one two three four five six seven"
        let grid = TextGrid(tokens: text.map(String.init), columns: 9, maxLines: 2)
        XCTAssertEqual(grid.text, ["one two ", "three…"])
        XCTAssertEqual(grid.lines[1].last?.token, nil, "the ellipsis belongs to no token")
        XCTAssertEqual(grid.hiddenCharacters, text.count - "one two three".count)
        // Trailing spaces and newlines before the ellipsis are dropped.
        XCTAssertEqual(lines("abc defg hij", 5, maxLines: 1), ["abc…"])
        XCTAssertEqual(lines("abcd\nefgh\nijkl", 10, maxLines: 2), ["abcd⏎", "efgh…"])
        XCTAssertEqual(TextGrid(tokens: ["abc"], columns: 10, maxLines: 1).hiddenCharacters, 0)
    }

    func testDegenerateSizesAreClampedNotTrapped() {
        XCTAssertEqual(lines("abc", 0), ["ab", "c"])
        XCTAssertEqual(lines("abc def", 3, maxLines: 0), ["ab…"])
    }
}
