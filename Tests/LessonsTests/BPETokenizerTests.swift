import Foundation
import XCTest
@testable import Lessons

/// Byte-pair encoding: how merges are learned (in order, ties broken the same way
/// every time, from the training text only), how text is cut with them, and that
/// tokens join back into the text they came from.
final class BPETokenizerTests: XCTestCase {
    // MARK: chunks

    func testChunksAreWordsWithTheirLeadingSpaceAndSingleOtherCharacters() {
        XCTAssertEqual(BPETokenizer.chunks(of: "a piece of \"it\"").map(String.init),
                       ["a", " piece", " of", " ", "\"", "it", "\""])
        XCTAssertEqual(BPETokenizer.chunks(of: "x;  y\nz3").map(String.init), ["x", ";", " ", " y", "\n", "z3"])
    }

    // MARK: training

    func testMergesFollowPairCountsWorkedByHand() {
        // Chunks: "low" once, " low" once, " lower" once. Pair counts: l·o 3, o·w 3, " "·l 2, w·e 1, e·r 1.
        // l·o and o·w tie at 3; "l" comes before "o", so l·o first. Then lo·w (3), then " "·low (2).
        let bpe = BPETraining(text: "low low lower", merges: 10)
        XCTAssertEqual(bpe.merges, [BPEMerge("l", "o"), BPEMerge("lo", "w"), BPEMerge(" ", "low")])
        XCTAssertEqual(bpe.counts, [3, 3, 2])
        XCTAssertEqual(bpe.alphabet, ["l", "o", "w", " ", "e", "r"])
    }

    func testTrainingStopsWhenNoPairOccursTwice() {
        XCTAssertEqual(BPETraining(text: "abc def", merges: 5).merges, [])
        XCTAssertEqual(BPETraining(text: "ab ab", merges: 1).merges, [BPEMerge("a", "b")])
    }

    func testTiesAreBrokenByByteOrderWhateverTheOrderOfTheText() {
        // The lines "ba" and "dc" both occur twice; "b" < "d" in byte order, so b·a is merged first either way.
        let one = BPETraining(text: "ba\ndc\nba\ndc", merges: 2).merges
        let other = BPETraining(text: "dc\nba\ndc\nba", merges: 2).merges
        XCTAssertEqual(one, other)
        XCTAssertEqual(one, [BPEMerge("b", "a"), BPEMerge("d", "c")])
    }

    func testFewerMergesAreThePrefixOfMore() {
        let text = "the cat sat on the mat; the rat ate the hat.\nthat is the theme"
        let long = BPETraining(text: text, merges: 12)
        for k in [0, 3, 7] {
            XCTAssertEqual(BPETraining(text: text, merges: k).merges, Array(long.merges.prefix(k)))
        }
    }

    func testAMergeOfTwoTokensAlreadyMadeReusesTheToken() {
        let bpe = BPETraining(text: "aaaa aaaa aaaa", merges: 10)
        let tokens = bpe.merges.map(\.token)
        XCTAssertEqual(tokens.first, "aa")
        let vocabulary = Vocabulary(bpe: bpe, training: "aaaa aaaa aaaa")
        XCTAssertEqual(Set(vocabulary.tokens).count, vocabulary.count)
    }

    // MARK: encoding

    func testEncodingAppliesMergesByRank() {
        let bpe = BPETokenizer(merges: [BPEMerge("l", "o"), BPEMerge("lo", "w")])
        XCTAssertEqual(bpe.tokens(in: "low slow"), ["low", " ", "s", "low"])
        XCTAssertEqual(bpe.prefix(1).tokens(in: "low"), ["lo", "w"])
        XCTAssertEqual(bpe.prefix(0).tokens(in: "low"), ["l", "o", "w"])
    }

    func testEncodingTheTrainingTextGivesTheSegmentationTrainingEndedWith() {
        // Applying the merges one after another, in order, to every chunk is what training did.
        let text = try! TextCorpus.bundled().text.prefix(20_000)
        let bpe = BPETraining(text: String(text), merges: 120)
        for chunk in BPETokenizer.chunks(of: String(text.prefix(3000))) {
            var symbols = chunk.map(String.init)
            for merge in bpe.merges { symbols = BPETokenizer.apply(merge, to: symbols) }
            XCTAssertEqual(bpe.tokenizer.encode(chunk: chunk), symbols, "chunk '\(chunk)'")
        }
    }

    func testTokensJoinBackToTheTextTheyCameFrom() throws {
        let corpus = try TextCorpus.bundled().text
        let bpe = BPETraining(text: String(corpus.prefix(50_000)), merges: 300).tokenizer
        for text in ["", "a", String(corpus.suffix(3000)), "tab\tand  two spaces\n\nblank line",
                     "naïve — “quoted” 3.5 e\u{301} \u{1F1EB}\u{1F1F7} ZZZ"] {
            XCTAssertEqual(bpe.join(bpe.tokens(in: text)), text)
        }
    }

    // MARK: vocabulary

    func testVocabularyKeepsEveryCharacterAndMergedTokenAndEncodesUnseenCharactersAsUnknown() throws {
        let vocabulary = try Vocabulary(training: "low low lower", kind: .bpe, merges: 10)
        XCTAssertEqual(vocabulary.merges, [BPEMerge("l", "o"), BPEMerge("lo", "w"), BPEMerge(" ", "low")])
        for token in ["l", "o", "w", " ", "e", "r", "lo", "low", " low"] {
            XCTAssertNotEqual(vocabulary.id(of: token), Vocabulary.unknownID, token)
        }
        // "lo" never stands alone once "low" is merged: it keeps an id, with count 0.
        XCTAssertEqual(vocabulary.counts[vocabulary.id(of: "lo")], 0)
        let ids = vocabulary.encode("slow lower")
        XCTAssertEqual(ids.map(vocabulary.token(of:)), ["<unk>", "low", " low", "e", "r"])
        XCTAssertEqual(vocabulary.decode(vocabulary.encode("lower low")), "lower low")
    }

    func testMergesAreLearnedFromTheTrainingPartOnly() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = folder.appendingPathComponent("text.txt")
        // The last fifth (validation and test) repeats "zq", which training never sees.
        try (String(repeating: "ab ab ab ab\n", count: 8) + String(repeating: "zq zq zq zq\n", count: 2))
            .write(to: url, atomically: true, encoding: .utf8)
        let data = try TokenizedCorpus(TextCorpus(contentsOf: url), kind: .bpe, sequenceLength: 4, merges: 20)
        XCTAssertFalse(data.vocabulary.merges.contains { $0.token.contains("z") || $0.token.contains("q") })
        XCTAssertTrue(data.vocabulary.merges.contains(BPEMerge("a", "b")))
        XCTAssertTrue(data.ids.validation.contains(Vocabulary.unknownID))
        XCTAssertEqual(data.characterCounts[.validation], 12)
    }

    func testBPEVocabularyFileKeepsTheMergesInOrder() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let text = "the cat sat on the mat; the rat ate the hat"
        let vocabulary = try Vocabulary(training: text, kind: .bpe, merges: 8)
        try vocabulary.write(to: folder)
        let read = try Vocabulary.read(from: folder)
        XCTAssertEqual(read.merges, vocabulary.merges)
        XCTAssertEqual(read.encode("the hat sat"), vocabulary.encode("the hat sat"))
    }

    func testLessonKeysMergesOnlyForBPE() throws {
        XCTAssertEqual(try parseData("{dataset: text, tokenizer: bpe, merges: 40}").merges, 40)
        XCTAssertEqual(try parseData("{dataset: text, tokenizer: bpe}").merges, TokenizerKind.defaultMerges)
        XCTAssertThrowsError(try parseData("{dataset: text, tokenizer: word, merges: 40}")) {
            XCTAssertTrue("\($0)".contains("'merges' is for tokenizer: bpe"), "\($0)")
        }
        XCTAssertThrowsError(try parseData("{dataset: text, tokenizer: bpe, max_vocabulary: 400}")) {
            XCTAssertTrue("\($0)".contains("sized by 'merges'"), "\($0)")
        }
    }

    private func parseData(_ data: String) throws -> SequenceSpec {
        let yaml = """
        title: t
        summary: s
        data: \(data)
        model:
          layers:
            - {type: Embedding, dimension: 4}
            - {type: Dense, units: vocabulary}
        training: {loss: softmax_cross_entropy, optimizer: adam, epochs: 1, batch_size: 4}
        """
        let spec = try LessonSpecParser.parse(yaml: yaml, file: "t.yaml", name: "t")
        return try XCTUnwrap(spec.data.sequence)
    }
}
