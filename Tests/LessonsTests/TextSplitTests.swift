import XCTest
@testable import Lessons

/// Splitting a token stream by position, and cutting a part into training
/// windows whose targets are the inputs shifted by one.
final class TextSplitTests: XCTestCase {
    // MARK: splits

    func testStandardSplitTakesTheFirstEightyPercentThenTenThenTen() {
        let split = TextSplit(Array(0..<10), fractions: .standard)
        XCTAssertEqual(split.training, [0, 1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(split.validation, [8])
        XCTAssertEqual(split.test, [9])
        XCTAssertEqual(split[.whole], Array(0..<10))
        XCTAssertEqual(split[.validation], [8])
    }

    func testPartsCoverTheStreamOnceInOrderForAnyLengthAndFractions() throws {
        let fractions = [SplitFractions.standard, try SplitFractions(training: 0.7, validation: 0.2, test: 0.1),
                         try SplitFractions(training: 1, validation: 0, test: 0),
                         try SplitFractions(training: 0.5, validation: 0, test: 0.5),
                         try SplitFractions(training: 1.0 / 3, validation: 1.0 / 3, test: 1.0 / 3)]
        for fraction in fractions {
            for count in 0...203 {
                let stream = Array(0..<count)
                let split = TextSplit(stream, fractions: fraction)
                XCTAssertEqual(split.training + split.validation + split.test, stream, "\(fraction) of \(count)")
                XCTAssertEqual(Double(split.training.count), Double(count) * fraction.training, accuracy: 0.5 + 1e-9)
                XCTAssertEqual(Double(split.test.count), Double(count) * fraction.test, accuracy: 1 + 1e-9)
            }
        }
    }

    func testTheSplitIsByPositionNotByValue() {
        let stream = ["z", "y", "x", "w", "v", "u", "t", "s", "r", "q"]
        let split = TextSplit(stream, fractions: .standard)
        XCTAssertEqual(split.training, Array(stream.prefix(8)))
        XCTAssertEqual(split.test, ["q"])
        XCTAssertEqual(split.map { $0.map { $0.uppercased() } }.validation, ["R"])
    }

    func testFractionsMustBeFractionsThatMakeOne() {
        let bad: [(Double, Double, Double)] = [(0.8, 0.1, 0.2), (0.9, 0.1, -0.0001), (0, 0.5, 0.5), (1.2, -0.1, -0.1),
                                               (.nan, 0, 0), (0.5, 0.5, .infinity)]
        for (training, validation, test) in bad {
            XCTAssertThrowsError(try SplitFractions(training: training, validation: validation, test: test)) { error in
                guard case .invalidFractions? = error as? TextSplitError else { return XCTFail("\(error)") }
                XCTAssertTrue("\(error)".contains("make 1"), "\(error)")
            }
        }
        XCTAssertNoThrow(try SplitFractions(training: 0.6, validation: 0.3, test: 0.1))
    }

    // MARK: windows

    func testTargetsAreTheInputsShiftedByOne() throws {
        let windows = try TokenWindows(stream: [10, 11, 12, 13, 14, 15, 16], length: 3, stride: 3)
        XCTAssertEqual(windows.shape, [2, 3])
        XCTAssertEqual(windows.starts, [0, 3])
        XCTAssertEqual(windows.inputs, [10, 11, 12, 13, 14, 15])
        XCTAssertEqual(windows.targets, [11, 12, 13, 14, 15, 16])
        XCTAssertEqual(windows.mask, Array(repeating: 1, count: 6))
        XCTAssertEqual(Array(windows.inputs(of: 1)), [13, 14, 15])
        XCTAssertEqual(Array(windows.targets(of: 1)), [14, 15, 16])
    }

    func testEveryWindowOfEveryStrideMatchesTheStream() throws {
        let stream = (0..<41).map { $0 * 7 % 13 }
        for length in 1...9 {
            for stride in 1...11 {
                let windows = try TokenWindows(stream: stream, length: length, stride: stride)
                XCTAssertEqual(windows.starts, Array(Swift.stride(from: 0, through: stream.count - length - 1, by: stride)),
                               "length \(length) stride \(stride)")
                for n in 0..<windows.count {
                    let start = windows.starts[n]
                    XCTAssertEqual(Array(windows.inputs(of: n)), Array(stream[start..<(start + length)]))
                    XCTAssertEqual(Array(windows.targets(of: n)), Array(stream[(start + 1)...(start + length)]))
                }
            }
        }
    }

    func testATailShorterThanAWindowIsDroppedUnlessPadded() throws {
        let stream = [5, 6, 7, 8, 9, 10]
        let plain = try TokenWindows(stream: stream, length: 2, stride: 2)
        XCTAssertEqual(plain.starts, [0, 2])
        XCTAssertEqual(plain.targets, [6, 7, 8, 9])

        let padded = try TokenWindows(stream: stream, length: 2, stride: 2, padLast: true)
        XCTAssertEqual(padded.shape, [3, 2])
        XCTAssertEqual(padded.starts, [0, 2, 4])
        XCTAssertEqual(padded.inputs, [5, 6, 7, 8, 9, Vocabulary.paddingID])
        XCTAssertEqual(padded.targets, [6, 7, 8, 9, 10, TokenWindows.ignoredTarget])
        XCTAssertEqual(padded.mask, [1, 1, 1, 1, 1, 0])
        XCTAssertEqual(TokenWindows.ignoredTarget, -1)
    }

    func testPaddedWindowHoldsTheRestAndOnlyWhenThereIsARest() throws {
        let stream = Array(100..<110)
        // Length 4, stride 2: full windows at 0, 2, 4 reach target 108; the padded one at 6 adds 109.
        let overlapping = try TokenWindows(stream: stream, length: 4, stride: 2, padLast: true)
        XCTAssertEqual(overlapping.starts, [0, 2, 4, 6])
        XCTAssertEqual(Array(overlapping.inputs(of: 3)), [106, 107, 108, 0])
        XCTAssertEqual(Array(overlapping.targets(of: 3)), [107, 108, 109, -1])
        XCTAssertEqual(Array(overlapping.mask(of: 3)), [1, 1, 1, 0])
        // Nine tokens in windows of 4: the two full windows already end on the last token.
        let exact = try TokenWindows(stream: Array(stream.prefix(9)), length: 4, stride: 4, padLast: true)
        XCTAssertEqual(exact.starts, [0, 4])
        XCTAssertFalse(exact.mask.contains(0))
        XCTAssertEqual(exact, try TokenWindows(stream: Array(stream.prefix(9)), length: 4, stride: 4))
    }

    func testWithPaddingEveryTokenAfterTheFirstIsATargetWhenStrideFitsTheLength() throws {
        let stream = Array(0..<37)
        for length in 1...8 {
            for stride in 1...length {
                let windows = try TokenWindows(stream: stream, length: length, stride: stride, padLast: true)
                var targeted = Set<Int>()
                for i in windows.targets.indices where windows.mask[i] == 1 { targeted.insert(windows.targets[i]) }
                XCTAssertEqual(targeted, Set(1..<37), "length \(length) stride \(stride)")
                for i in windows.targets.indices where windows.mask[i] == 0 {
                    XCTAssertEqual(windows.targets[i], -1)
                    XCTAssertEqual(windows.inputs[i], Vocabulary.paddingID)
                }
            }
        }
    }

    func testAStreamShorterThanOneWindow() throws {
        XCTAssertEqual(try TokenWindows(stream: [1, 2, 3], length: 3, stride: 3).count, 0)
        let padded = try TokenWindows(stream: [1, 2, 3], length: 3, stride: 3, padLast: true)
        XCTAssertEqual(padded.inputs, [1, 2, 0])
        XCTAssertEqual(padded.targets, [2, 3, -1])
        XCTAssertEqual(try TokenWindows(stream: [1], length: 3, stride: 1, padLast: true).count, 0,
                       "one token has no next token to predict")
    }

    func testWindowsNeedALengthAndAStride() {
        for (length, stride) in [(0, 1), (4, 0), (-1, -1)] {
            XCTAssertThrowsError(try TokenWindows(stream: [1, 2, 3], length: length, stride: stride)) {
                XCTAssertEqual($0 as? TextSplitError, .invalidWindow(length: length, stride: stride))
            }
        }
    }

    func testScalarsAreTheIdsAsFloatsInTheSameOrder() throws {
        let windows = try TokenWindows(stream: [3, 1, 4, 1, 5], length: 3, stride: 3, padLast: true)
        XCTAssertEqual(windows.inputScalars, [3, 1, 4, 1, 0, 0])
        XCTAssertEqual(windows.targetScalars, [1, 4, 1, 5, -1, -1])
        XCTAssertEqual(windows.mask, [1, 1, 1, 1, 0, 0])
    }
}
