import Foundation
import XCTest
@testable import Lessons

/// The vocabulary: reserved ids, frequency order, limits, encoding and
/// decoding, prompts outside it, and its file.
final class TokenVocabularyTests: XCTestCase {
    // MARK: building

    func testPaddingAndUnknownHoldIdsZeroAndOne() throws {
        for kind in TokenizerKind.allCases {
            let vocabulary = try Vocabulary(training: "some text", kind: kind)
            XCTAssertEqual(Array(vocabulary.tokens.prefix(2)), ["<pad>", "<unk>"])
            XCTAssertEqual(vocabulary.id(of: "<pad>"), Vocabulary.paddingID)
            XCTAssertEqual(Vocabulary.paddingID, 0)
            XCTAssertEqual(vocabulary.id(of: "<unk>"), Vocabulary.unknownID)
            XCTAssertEqual(Vocabulary.unknownID, 1)
        }
    }

    func testTokensFollowDescendingCountTiesByUTF8Bytes() throws {
        // b ×3; a, c and B ×2 (tie: "B" 0x42 < "a" 0x61 < "c" 0x63); space and d ×1 (0x20 < 0x64).
        let vocabulary = try Vocabulary(training: "cbadBbacB b", kind: .character)
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "b", "B", "a", "c", " ", "d"])
        XCTAssertEqual(vocabulary.counts, [0, 0, 3, 2, 2, 2, 1, 1])
    }

    func testTheOrderDoesNotDependOnTheOrderOfTheText() throws {
        let text = "the cat and the dog and the bird"
        let a = try Vocabulary(training: text, kind: .word)
        let b = try Vocabulary(training: text.split(separator: " ").reversed().joined(separator: " "), kind: .word)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.tokens, ["<pad>", "<unk>", "the", "and", "bird", "cat", "dog"])
    }

    func testMaximumSizeKeepsTheMostFrequentAndCountsTheReservedIds() throws {
        let text = "aaaabbbccd"
        let capped = try Vocabulary(training: text, kind: .character, maximumSize: 4)
        XCTAssertEqual(capped.tokens, ["<pad>", "<unk>", "a", "b"])
        XCTAssertEqual(capped.count, 4)
        XCTAssertEqual(capped.encode("abcd"), [2, 3, 1, 1])
        XCTAssertEqual(try Vocabulary(training: text, kind: .character, maximumSize: 2).tokens, ["<pad>", "<unk>"])
        XCTAssertEqual(try Vocabulary(training: text, kind: .character, maximumSize: 100).count, 6)
    }

    func testMinimumCountLeavesRareTokensOut() throws {
        let vocabulary = try Vocabulary(training: "aaaabbbccd", kind: .character, minimumCount: 2)
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "a", "b", "c"])
        XCTAssertEqual(vocabulary.counts, [0, 0, 4, 3, 2])
        XCTAssertEqual(try Vocabulary(training: "aaaabbbccd", kind: .character, maximumSize: 4, minimumCount: 4).tokens,
                       ["<pad>", "<unk>", "a"])
    }

    func testLimitsThatLeaveNoRoomAreRefused() {
        for (size, count) in [(1, 1), (0, 1), (nil, 0), (5, -1)] as [(Int?, Int)] {
            XCTAssertThrowsError(try Vocabulary(training: "abc", kind: .character, maximumSize: size, minimumCount: count)) {
                XCTAssertEqual($0 as? VocabularyError, .invalidLimits(maximumSize: size, minimumCount: count))
            }
        }
    }

    func testTokensSpelledLikeReservedOnesAreNotCountedTwice() throws {
        let vocabulary = try Vocabulary(counting: ["<unk>", "x", "<pad>", "x"], kind: .word)
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "x"])
        XCTAssertEqual(vocabulary.counts, [0, 0, 2])
    }

    // MARK: encoding and decoding

    func testCharacterEncodingRoundTripsEveryKnownText() throws {
        let training = "without musical accompaniment; \"they performed a cappella\"\nnaïve e\u{301}"
        let vocabulary = try Vocabulary(training: training, kind: .character)
        for text in [training, "a cappella", "\"", "\n\n", ""] {
            let ids = vocabulary.encode(text)
            XCTAssertEqual(ids.count, text.count)
            XCTAssertFalse(ids.contains(Vocabulary.unknownID), text)
            XCTAssertEqual(vocabulary.decode(ids), text)
        }
    }

    func testWordEncodingRoundTripsToTheNormalisedText() throws {
        let training = "The dog's ball. The cat's ball; \"a ball\"\n"
        let vocabulary = try Vocabulary(training: training, kind: .word)
        let ids = vocabulary.encode("The cat's ball.")
        XCTAssertEqual(ids.map(vocabulary.token(of:)), ["the", "cat's", "ball", "."])
        XCTAssertEqual(vocabulary.decode(ids), "the cat's ball.")
        XCTAssertEqual(vocabulary.decode(vocabulary.encode(training)), "the dog's ball. the cat's ball; \"a ball\"\n")
    }

    func testUnknownTokensEncodeAsUnknown() throws {
        let vocabulary = try Vocabulary(training: "the dog", kind: .word)
        XCTAssertEqual(vocabulary.encode("the cat"), [vocabulary.id(of: "the"), Vocabulary.unknownID])
        XCTAssertEqual(vocabulary.decode(vocabulary.encode("the cat")), "the <unk>")
    }

    func testDecodingLeavesPaddingOutAndWritesUnknownForIdsOutsideTheVocabulary() throws {
        let vocabulary = try Vocabulary(training: "ab", kind: .character)
        XCTAssertEqual(vocabulary.decode([2, 3, 0, 0]), "ab")
        XCTAssertEqual(vocabulary.decode([2, 1, 99, -5, 3]), "a<unk><unk><unk>b")
        XCTAssertEqual(vocabulary.token(of: 99), "<unk>")
    }

    // MARK: prompts

    func testUnknownTokensOfAPromptAreListedOnceInOrderOfAppearance() throws {
        let vocabulary = try Vocabulary(training: "hello world", kind: .character)
        XCTAssertEqual(vocabulary.unknownTokens(in: "Hello, world!\tHi!"), ["H", ",", "!", "\t", "i"])
        XCTAssertEqual(vocabulary.unknownTokens(in: "hello"), [])
        XCTAssertNoThrow(try vocabulary.requireKnown("low"))
        XCTAssertThrowsError(try vocabulary.requireKnown("Hello\tworld")) { error in
            XCTAssertEqual(error as? VocabularyError, .outsideVocabulary(["H", "\t"], kind: .character))
            XCTAssertEqual("\(error)", "the prompt has characters the model never saw in training: 'H', '⇥'; "
                           + "leave them out or replace them")
        }
        let words = try Vocabulary(training: "the dog ran", kind: .word)
        XCTAssertEqual(words.unknownTokens(in: "The cat ran, the cat sat."), ["cat", ",", "sat", "."])
    }

    func testLabelsShowInvisibleTokens() throws {
        let vocabulary = try Vocabulary(training: "a a\n", kind: .character)
        XCTAssertEqual(vocabulary.tokens, ["<pad>", "<unk>", "a", "\n", " "])
        XCTAssertEqual(vocabulary.labels, ["<pad>", "<unk>", "a", "⏎", "␣"])
        XCTAssertEqual(Vocabulary.label("\u{7}"), "U+0007")
        XCTAssertEqual(Vocabulary.label("\u{200B}"), "U+200B")
        XCTAssertEqual(Vocabulary.label("é"), "é")
    }

    // MARK: file

    func testVocabularyFileRoundTrips() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        for kind in TokenizerKind.allCases {
            let vocabulary = try Vocabulary(training: "The dog's \"ball\".\nÉtude\te\u{301}", kind: kind)
            try vocabulary.write(to: folder)
            let read = try Vocabulary.read(from: folder)
            XCTAssertEqual(read, vocabulary)
            XCTAssertEqual(read.encode("the ball"), vocabulary.encode("the ball"))
        }
    }

    func testVocabularyFileIsTheDocumentedJSON() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        try Vocabulary(training: "ba\nb", kind: .character).write(to: folder)
        let url = folder.appendingPathComponent("vocabulary.json")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "learn-vocabulary")
        XCTAssertEqual(json["version"] as? Int, 1)
        XCTAssertEqual(json["tokenizer"] as? String, "character")
        XCTAssertEqual(json["tokens"] as? [String], ["<pad>", "<unk>", "b", "\n", "a"])
        XCTAssertEqual(json["counts"] as? [Int], [0, 0, 2, 1, 1])
        XCTAssertEqual(Set(json.keys), ["format", "version", "tokenizer", "tokens", "counts"])
    }

    func testBadVocabularyFilesAreNamedWithWhatIsWrong() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let good = #""format": "learn-vocabulary", "version": 1, "tokenizer": "character""#
        let cases: [(name: String, json: String, reason: String)] = [
            ("not-json", "{tokens: [", "not valid JSON"),
            ("format", #"{"format": "other", "version": 1, "tokenizer": "word", "tokens": [], "counts": []}"#,
             "format is \"other\""),
            ("version", #"{"format": "learn-vocabulary", "version": 2, "tokenizer": "word", "tokens": [], "counts": []}"#,
             "format version 2"),
            ("tokenizer", #"{"format": "learn-vocabulary", "version": 1, "tokenizer": "byte", "tokens": [], "counts": []}"#,
             "byte"),
            ("no-counts", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\"]}", "no \"counts\""),
            ("reserved", "{\(good), \"tokens\": [\"<unk>\", \"<pad>\"], \"counts\": [0, 0]}", "first tokens must be"),
            ("counts", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\", \"a\"], \"counts\": [0, 0]}", "found 2 counts"),
            ("negative", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\", \"a\"], \"counts\": [0, 0, -1]}", "0 or more"),
            ("twice", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\", \"a\", \"a\"], \"counts\": [0, 0, 2, 1]}",
             "\"a\" appears twice (id 3)"),
            ("equivalent", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\", \"\\u00e9\", \"e\\u0301\"], \"counts\": [0, 0, 2, 1]}",
             "appears twice (id 3)"),
            ("long", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\", \"ab\"], \"counts\": [0, 0, 1]}", "not one character"),
            ("type", "{\(good), \"tokens\": [\"<pad>\", \"<unk>\"], \"counts\": \"none\"}", "\"counts\" has the wrong type"),
        ]
        for bad in cases {
            let url = try IDXFixtures.write(Array(bad.json.utf8), to: folder.appendingPathComponent(bad.name + ".json"))
            XCTAssertThrowsError(try Vocabulary.read(file: url), bad.name) { error in
                guard case let .malformed(file, reason)? = error as? VocabularyError else {
                    return XCTFail("\(bad.name): \(error) is not malformed")
                }
                XCTAssertEqual(file, url)
                XCTAssertTrue(reason.contains(bad.reason), "\(bad.name): \"\(reason)\" lacks \"\(bad.reason)\"")
                XCTAssertTrue("\(error)".contains(url.path), "\(error)")
            }
        }
        let missing = folder.appendingPathComponent("elsewhere")
        XCTAssertThrowsError(try Vocabulary.read(from: missing)) {
            XCTAssertEqual($0 as? VocabularyError, .missingFile(missing.appendingPathComponent("vocabulary.json")))
        }
    }
}
