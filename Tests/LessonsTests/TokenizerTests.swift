import XCTest
@testable import Lessons

/// How the character and word tokenizers cut text and join tokens back.
final class TokenizerTests: XCTestCase {
    private let characters = CharacterTokenizer()
    private let words = WordTokenizer()

    // MARK: characters

    func testEveryCharacterIsATokenSpacesAndLineBreaksIncluded() {
        XCTAssertEqual(characters.tokens(in: "a \"b\"\nc"), ["a", " ", "\"", "b", "\"", "\n", "c"])
    }

    func testACharacterIsWhatAReaderSeesAsOne() {
        let decomposed = "e\u{301}"      // e + combining acute accent
        let flag = "\u{1F1EB}\u{1F1F7}"  // two regional indicators, one flag
        XCTAssertEqual(characters.tokens(in: "caf\(decomposed) \(flag)!"), ["c", "a", "f", decomposed, " ", flag, "!"])
    }

    func testCharacterTokensJoinBackToTheText() {
        for text in ["", "a", "without musical accompaniment; \"they performed a cappella\"\n",
                     "tab\tand  two spaces\n\nblank line", "naïve — “quoted” 3.5 e\u{301} \u{1F1EB}\u{1F1F7}"] {
            XCTAssertEqual(characters.join(characters.tokens(in: text)), text)
        }
    }

    // MARK: words

    func testWordsArelowerCasedAndPunctuationMarksAreTokensOfTheirOwn() {
        XCTAssertEqual(words.tokens(in: "The dog's ball."), ["the", "dog's", "ball", "."])
        XCTAssertEqual(words.tokens(in: "Stop!Who's there?"), ["stop", "!", "who's", "there", "?"])
        XCTAssertEqual(words.tokens(in: "expel air; \"Exhale when you lift\""),
                       ["expel", "air", ";", "\"", "exhale", "when", "you", "lift", "\""])
    }

    func testApostrophesAndHyphensStayInsideWordsButNotAtTheirEdges() {
        XCTAssertEqual(words.tokens(in: "a coach-and-four o’clock"), ["a", "coach-and-four", "o’clock"])
        XCTAssertEqual(words.tokens(in: "the dogs' bowls -- 'yes'"),
                       ["the", "dogs", "'", "bowls", "-", "-", "'", "yes", "'"])
        XCTAssertEqual(words.tokens(in: "well-"), ["well", "-"])
    }

    func testPointsStayInsideNumbersAndAbbreviationsCommasInsideNumbers() {
        XCTAssertEqual(words.tokens(in: "3.5 km, 1,000 men. A.D. 200, e.g. 2 p.m.; by_mouth"),
                       ["3.5", "km", ",", "1,000", "men", ".", "a.d", ".", "200", ",", "e.g", ".", "2", "p.m", ".", ";",
                        "by_mouth"])
        XCTAssertEqual(words.tokens(in: "end. 1, 2,a b,3 c.5 6.d"),
                       ["end", ".", "1", ",", "2", ",", "a", "b", ",", "3", "c", ".", "5", "6", ".", "d"])
    }

    func testLineBreaksAreTokensAndOtherWhitespaceSeparates() {
        XCTAssertEqual(words.tokens(in: "one  two\tthree\n\nfour\r\nfive \n"),
                       ["one", "two", "three", "\n", "\n", "four", "\n", "five", "\n"])
    }

    func testLettersBeyondASCIIAreWordCharacters() {
        XCTAssertEqual(words.tokens(in: "Naïve Café-au-lait — Ωmega"), ["naïve", "café-au-lait", "—", "ωmega"])
    }

    func testJoiningWritesOrdinaryEnglishSpacing() {
        XCTAssertEqual(words.join(["the", "dog's", "ball", "."]), "the dog's ball.")
        XCTAssertEqual(words.join(["he", "said", ",", "\"", "hi", "(", "there", ")", "!", "\"", "and", "left"]),
                       "he said, \"hi (there)!\" and left")
        XCTAssertEqual(words.join(["a", "\"", "b", "\"", ";", "\"", "c", "\"", "\n", "\"", "d"]),
                       "a \"b\"; \"c\"\n\"d", "quotes alternate within a line and start over on the next")
        XCTAssertEqual(words.join(["(", "followed", "by", "`", "to", "'", ")"]), "(followed by `to')")
        XCTAssertEqual(words.join(["50", "%", "off", ":", "now", "?", "\n", "yes"]), "50% off: now?\nyes")
        XCTAssertEqual(words.join([]), "")
    }

    func testOrdinaryEnglishRoundTripsLowerCased() {
        let sentences = [
            "The dog's ball.",
            "without musical accompaniment; \"they performed a cappella\"",
            "draw air into, and expel out of, the lungs; \"I can breathe better when the air is clean\"",
            "(usually followed by `to') having the necessary means; \"able to swim\"",
            "He said, \"Hi (there)!\" and left.\nA new line: 3.5 km, 1,000 men?",
            "(of e.g. speech) rejecting; i.e., refusing; \"roughly $3,000\"; \"at 2 p.m.\"; by_mouth",
            "“Curly” quotes, ‘single’ ones; £5 or €5 (50%)",
        ]
        for sentence in sentences {
            XCTAssertEqual(words.join(words.tokens(in: sentence)), sentence.lowercased())
        }
    }

    func testJoiningNormalisesWhitespaceOnce() {
        let messy = "Two   spaces ,a comma\t\"quote \" \n  indented"
        let normalised = words.join(words.tokens(in: messy))
        XCTAssertEqual(normalised, "two spaces, a comma \"quote\"\nindented")
        XCTAssertEqual(words.join(words.tokens(in: normalised)), normalised)
    }

    func testKindsNameTheirTokenizers() {
        XCTAssertTrue(TokenizerKind.character.fixedTokenizer is CharacterTokenizer)
        XCTAssertTrue(TokenizerKind.word.fixedTokenizer is WordTokenizer)
        XCTAssertNil(TokenizerKind.bpe.fixedTokenizer, "BPE's merges are learned, not fixed")
        XCTAssertEqual(TokenizerKind.allCases.map(\.rawValue), ["character", "word", "bpe"])
    }
}
