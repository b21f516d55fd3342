import Foundation
import XCTest
@testable import Lessons

/// Reading a text file as a corpus: what it keeps, what it normalises, and
/// every file it refuses, each with an error that names the file.
final class TextCorpusTests: XCTestCase {
    private func file(_ bytes: [UInt8], named name: String = "corpus.txt") throws -> URL {
        try IDXFixtures.write(bytes, to: IDXFixtures.temporaryFolder(for: self).appendingPathComponent(name))
    }

    private func file(_ text: String) throws -> URL { try file(Array(text.utf8)) }

    // MARK: reading

    func testUTF8TextIsReadWhole() throws {
        let text = "naïve café — “curly” quotes\nand \"straight\" ones; 3.5 km\n"
        let url = try file(text)
        let corpus = try TextCorpus(contentsOf: url)
        XCTAssertEqual(corpus.text, text)
        XCTAssertEqual(corpus.url, url)
        XCTAssertEqual(corpus.lines, ["naïve café — “curly” quotes", "and \"straight\" ones; 3.5 km"])
    }

    func testWindowsAndOldMacLineEndingsBecomeLineFeeds() throws {
        let corpus = try TextCorpus(contentsOf: file("one\r\ntwo\rthree\n\r\nfour"))
        XCTAssertEqual(Array(corpus.text.utf8), Array("one\ntwo\nthree\n\nfour".utf8))
        XCTAssertEqual(corpus.lines, ["one", "two", "three", "", "four"])
    }

    func testByteOrderMarkIsDropped() throws {
        let corpus = try TextCorpus(contentsOf: file([0xEF, 0xBB, 0xBF] + Array("text".utf8)))
        XCTAssertEqual(Array(corpus.text.utf8), Array("text".utf8))
    }

    func testAFewFormFeedsAndTabsAreStillText() throws {
        let text = "a\tb\u{0C}c" + String(repeating: "plain words ", count: 3) + "\u{1B}"
        XCTAssertEqual(try TextCorpus(contentsOf: file(text)).text, text)
    }

    // MARK: refused files

    func testMissingFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/corpus.txt")
        assertThrows(try TextCorpus(contentsOf: url), .missingFile(url), naming: url)
    }

    func testFolderIsUnreadable() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        assertThrows(try TextCorpus(contentsOf: folder), .unreadable(folder, reason: "it is a folder"), naming: folder)
    }

    func testEmptyFileIsRefused() throws {
        let url = try file([])
        assertThrows(try TextCorpus(contentsOf: url), .empty(url), naming: url)
        let byteOrderMarkOnly = try file([0xEF, 0xBB, 0xBF], named: "bom.txt")
        assertThrows(try TextCorpus(contentsOf: byteOrderMarkOnly), .empty(byteOrderMarkOnly), naming: byteOrderMarkOnly)
    }

    func testWhitespaceOnlyIsRefused() throws {
        let url = try file(" \n\t\r\n  \u{A0}\u{2003}\n")
        assertThrows(try TextCorpus(contentsOf: url), .whitespaceOnly(url), naming: url)
    }

    func testNulByteMakesABinaryFileAndItsOffsetIsGiven() throws {
        let url = try file(Array("text before".utf8) + [0] + Array("after".utf8))
        assertThrows(try TextCorpus(contentsOf: url), .binary(url, .nulByte(offset: 11)), naming: url)
        let png = try file([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D], named: "image.png")
        assertThrows(try TextCorpus(contentsOf: png), .binary(png, .nulByte(offset: 8)), naming: png)
    }

    func testMostlyControlCharactersMakeABinaryFile() throws {
        // 7 of 19 characters are control characters (ESC, BEL, DEL, SOH, STX, U+0085): more than a tenth.
        let bytes = Array("abcdef".utf8) + [0x1B, 0x07, 0x7F, 0x1B] + Array("ghijkl".utf8) + [0x01, 0x02, 0xC2, 0x85]
        let url = try file(bytes)
        assertThrows(try TextCorpus(contentsOf: url), .binary(url, .controlCharacters(count: 7, total: 19)), naming: url)
        // Two in twenty is exactly a tenth, which text may have.
        let fewer = try file(Array("abcdefghijklmnopqr".utf8) + [0x1B, 0x07], named: "fewer.txt")
        XCTAssertEqual(try TextCorpus(contentsOf: fewer).text.count, 20)
    }

    func testInvalidUTF8GivesTheOffsetLineAndByte() throws {
        // "café" saved as Latin-1: é is the single byte 0xE9 at offset 12, on line 2.
        let latin1 = try file(Array("line one\ncaf".utf8) + [0xE9] + Array(" au lait".utf8))
        assertThrows(try TextCorpus(contentsOf: latin1), .invalidUTF8(latin1, offset: 12, line: 2, byte: 0xE9),
                     naming: latin1)
        XCTAssertThrowsError(try TextCorpus(contentsOf: latin1)) {
            XCTAssertTrue("\($0)".contains("byte offset 12"), "\($0)")
        }
        let cases: [(name: String, bytes: [UInt8], offset: Int, byte: UInt8)] = [
            ("cut-short.txt", Array("ab€".utf8.dropLast()), 2, 0xE2),          // € is E2 82 AC
            ("overlong.txt", Array("a/".utf8) + [0xC0, 0xAF], 2, 0xC0),         // '/' written in two bytes
            ("surrogate.txt", Array("xyz".utf8) + [0xED, 0xA0, 0x80], 3, 0xED), // U+D800
            ("stray.txt", Array("ok é ".utf8) + [0x80], 6, 0x80),               // continuation byte alone
            ("too-high.txt", [0x41, 0xF4, 0x90, 0x80, 0x80], 1, 0xF4),          // above U+10FFFF
        ]
        for bad in cases {
            let url = try file(bad.bytes, named: bad.name)
            assertThrows(try TextCorpus(contentsOf: url), .invalidUTF8(url, offset: bad.offset, line: 1, byte: bad.byte),
                         naming: url)
        }
    }

    func testTextShorterThanOneSequenceIsRefusedWithTheLengthsInvolved() throws {
        let url = try file("abcd")
        assertThrows(try TextCorpus(contentsOf: url, sequenceLength: 4),
                     .tooShort(url, part: .whole, tokens: 4, kind: .character, sequenceLength: 4), naming: url)
        XCTAssertThrowsError(try TextCorpus(contentsOf: url, sequenceLength: 4)) {
            XCTAssertTrue("\($0)".contains("holds 4 characters"), "\($0)")
            XCTAssertTrue("\($0)".contains("needs 5"), "\($0)")
        }
        XCTAssertEqual(try TextCorpus(contentsOf: url, sequenceLength: 3).text, "abcd", "4 characters make one sequence of 3")
    }

    func testFileAboveTheByteLimitIsRefusedBeforeReading() throws {
        let url = try file(String(repeating: "a", count: 101))
        assertThrows(try TextCorpus(contentsOf: url, byteLimit: 100), .tooLarge(url, bytes: 101, limit: 100), naming: url)
        XCTAssertEqual(try TextCorpus(contentsOf: url, byteLimit: 101).text.count, 101)
    }

    // MARK: tokenized and split

    func testEachPartMustHoldOneSequence() throws {
        // 100 characters split 80/10/10: validation and test get 10 each, one short of a sequence of 10.
        let url = try file(String(repeating: "abcde", count: 20))
        let corpus = try TextCorpus(contentsOf: url)
        XCTAssertNoThrow(try TokenizedCorpus(corpus, kind: .character, sequenceLength: 9))
        assertThrows(try TokenizedCorpus(corpus, kind: .character, sequenceLength: 10),
                     .tooShort(url, part: .validation, tokens: 10, kind: .character, sequenceLength: 10), naming: url)
        XCTAssertThrowsError(try TokenizedCorpus(corpus, kind: .character, sequenceLength: 10)) {
            XCTAssertTrue("\($0)".contains("validation part"), "\($0)")
        }
        let noTest = try SplitFractions(training: 0.5, validation: 0.5, test: 0)
        XCTAssertNoThrow(try TokenizedCorpus(corpus, kind: .character, fractions: noTest, sequenceLength: 49),
                         "a part with fraction 0 needs no sequence")
    }

    func testWordLevelLengthIsCountedInWords() throws {
        let url = try file("one two three four five six seven eight nine ten")
        let corpus = try TextCorpus(contentsOf: url, sequenceLength: 40)
        let whole = try SplitFractions(training: 1, validation: 0, test: 0)
        assertThrows(try TokenizedCorpus(corpus, kind: .word, fractions: whole, sequenceLength: 10),
                     .tooShort(url, part: .whole, tokens: 10, kind: .word, sequenceLength: 10), naming: url)
        XCTAssertEqual(try TokenizedCorpus(corpus, kind: .word, fractions: whole, sequenceLength: 9).ids.training.count, 10)
    }

    func testVocabularyComesFromTheTrainingPartOnly() throws {
        // 80 characters of a/b train; "z" and "!" appear only in the test part.
        let text = String(repeating: "ab", count: 40) + "aaaaaaaaaa" + "abzab!abzz"
        let corpus = try TextCorpus(contentsOf: file(text))
        let data = try TokenizedCorpus(corpus, kind: .character, sequenceLength: 5)
        XCTAssertEqual(data.vocabulary.tokens, ["<pad>", "<unk>", "a", "b"])
        XCTAssertEqual(data.vocabulary.counts, [0, 0, 40, 40])
        XCTAssertEqual(data.ids.training.count, 80)
        XCTAssertEqual(data.ids.validation, Array(repeating: 2, count: 10))
        XCTAssertEqual(data.ids.test, [2, 3, 1, 2, 3, 1, 2, 3, 1, 1])
        XCTAssertEqual(data.vocabulary.decode(data.ids.test), "ab<unk>ab<unk>ab<unk><unk>")
        XCTAssertEqual(data.source, corpus.url)
    }

    private func assertThrows<T>(_ expression: @autoclosure () throws -> T, _ expected: TextCorpusError,
                                 naming file: URL, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), line: line) { error in
            XCTAssertEqual(error as? TextCorpusError, expected, line: line)
            XCTAssertTrue("\(error)".contains(file.path), "\"\(error)\" does not name \(file.path)", line: line)
        }
    }
}
