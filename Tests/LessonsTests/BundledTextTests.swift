import Foundation
import XCTest
@testable import Lessons

/// The bundled corpus, `lessons/data/text/wordnet-glosses.txt`: it loads, it is
/// what its README says, and it suits the lessons that will train on it.
final class BundledTextTests: XCTestCase {
    private var readme: String {
        get throws {
            try String(contentsOf: IDXFixtures.repositoryRoot.appendingPathComponent("lessons/data/text/README.md"),
                       encoding: .utf8)
        }
    }

    /// The integers of the first match of `pattern` in the README, from its capture groups.
    private func readmeNumbers(_ pattern: String) throws -> [Int] {
        let text = try readme
        let regex = try NSRegularExpression(pattern: pattern)
        let match = try XCTUnwrap(regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                                  "the README should say \(pattern)")
        return try (1..<match.numberOfRanges).map { group in
            try XCTUnwrap(Int(text[Range(match.range(at: group), in: text)!]))
        }
    }

    func testBundledCorpusIsFoundFromASubfolderOfTheRepository() throws {
        let subfolder = IDXFixtures.repositoryRoot.appendingPathComponent("Sources/Lessons")
        let url = try TextCorpus.bundledURL(searchingFrom: [subfolder], environment: [:])
        XCTAssertEqual(url.standardizedFileURL.path, IDXFixtures.repositoryRoot
            .appendingPathComponent("lessons/data/text/wordnet-glosses.txt").standardizedFileURL.path)
        XCTAssertEqual(try TextCorpus.bundled().url.standardizedFileURL.path, url.standardizedFileURL.path)
    }

    func testSizeAndLineCountAreTheREADMEs() throws {
        let corpus = try TextCorpus.bundled()
        let stated = try readmeNumbers(#"\*\*(\d+) bytes, (\d+) lines\*\*"#)
        XCTAssertEqual(corpus.text.utf8.count, stated[0])
        XCTAssertEqual(try Data(contentsOf: corpus.url).count, stated[0], "no line ending or mark was changed on reading")
        XCTAssertEqual(corpus.lines.count, stated[1])
        XCTAssertEqual(corpus.text.filter { $0 == "\n" }.count, stated[1], "every line ends in \\n, as wc -l counts")
        XCTAssertFalse(corpus.lines.contains { $0.isEmpty || $0.last == " " }, "no blank lines, no trailing spaces")
    }

    func testEveryLineHasQuotedExamplesThatPairUp() throws {
        let lines = try TextCorpus.bundled().lines
        let unpaired = lines.filter { line in
            let quotes = line.filter { $0 == "\"" }.count
            return quotes < 2 || quotes % 2 == 1
        }
        XCTAssertEqual(unpaired, [], "the README promises a quoted example on every line, quotes in pairs")
        let examples = lines.map { $0.components(separatedBy: "; \"").count - 1 }
        XCTAssertGreaterThan(Double(examples.filter { $0 >= 1 }.count) / Double(lines.count), 0.95,
                             "examples follow the definition after \"; \"")
    }

    func testCharacterVocabularyIsTheREADMEsSmallASCIISet() throws {
        let corpus = try TextCorpus.bundled()
        let vocabulary = try Vocabulary(training: corpus.text, kind: .character)
        let stated = try readmeNumbers(#"(\d+) distinct characters \(ASCII only\)"#)[0]
        XCTAssertEqual(vocabulary.count, stated + 2, "the README's characters plus <pad> and <unk>")
        XCTAssertTrue(vocabulary.tokens.dropFirst(2).allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        XCTAssertEqual(vocabulary.tokens[2], " ", "space is the most frequent character")
        XCTAssertTrue(vocabulary.tokens.contains("\"") && vocabulary.tokens.contains("\n"))
        print("bundled corpus: \(corpus.text.utf8.count) bytes, \(corpus.lines.count) lines, "
              + "character vocabulary \(vocabulary.count) ids (\(vocabulary.count - 2) characters)")
    }

    func testWordVocabularyShrinksWithAMinimumCountAndKeepsOnlyFrequentWords() throws {
        let text = try TextCorpus.bundled().text
        let all = try Vocabulary(training: text, kind: .word)
        let repeated = try Vocabulary(training: text, kind: .word, minimumCount: 2)
        XCTAssertLessThan(repeated.count, all.count)
        XCTAssertEqual(Array(all.tokens.prefix(repeated.count)), repeated.tokens, "the same order, cut where counts fall below 2")
        XCTAssertTrue(repeated.counts.dropFirst(2).allSatisfy { $0 >= 2 })
        XCTAssertEqual(all.counts[repeated.count], 1)
        XCTAssertEqual(all.tokens[2], "\"", "a quote opens and closes every example: the most frequent token")
        print("bundled corpus: word vocabulary \(all.count) ids at minimum count 1, \(repeated.count) at 2")
    }

    func testWordTokensOfMostLinesJoinBackToTheLineLowerCased() throws {
        let lines = try TextCorpus.bundled().lines.map(String.init)
        let tokenizer = WordTokenizer()
        var unchanged = 0
        for line in lines {
            let joined = tokenizer.join(tokenizer.tokens(in: line))
            if joined == line.lowercased() { unchanged += 1 }
            XCTAssertEqual(tokenizer.join(tokenizer.tokens(in: joined)), joined, "joining twice changes nothing")
        }
        let fraction = Double(unchanged) / Double(lines.count)
        XCTAssertGreaterThan(fraction, 0.95, "ordinary English spacing comes back as written")
        print("bundled corpus: \(unchanged) of \(lines.count) lines word-tokenize and join back unchanged (lower-cased)")
    }

    func testCharacterModelDataSplitsTheBundledCorpus() throws {
        let corpus = try TextCorpus.bundled(sequenceLength: 100)
        let data = try TokenizedCorpus(corpus, kind: .character, sequenceLength: 100)
        XCTAssertEqual(data.ids.training.count + data.ids.validation.count + data.ids.test.count, corpus.text.count)
        XCTAssertEqual(data.vocabulary.decode(data.ids.training), String(corpus.text.prefix(data.ids.training.count)))
        let unknown = data.ids.test.filter { $0 == Vocabulary.unknownID }.count
        XCTAssertLessThan(unknown, data.ids.test.count / 1000, "the training part holds nearly every character")
        let windows = try TokenWindows(stream: data.ids.training, length: 100, stride: 100)
        XCTAssertEqual(windows.count, (data.ids.training.count - 1) / 100)
    }
}
