import XCTest
@testable import Tensor

/// `HistogramRuns`: which positions a histogram counts, and which runs a range of positions meets.
final class HistogramRunsTests: XCTestCase {
    /// Every element of a tensor up to the sample; of a larger one, every step-th run of 256,
    /// about `sample` values in all, only the last run short.
    func testRunsCoverTheSample() {
        let small = HistogramRuns(count: 1000, sample: 4096)
        XCTAssertEqual(Array(small.runs), [0..<256, 256..<512, 512..<768, 768..<1000])
        XCTAssertEqual(small.sampledCount, 1000)
        // cnn-mnist's conv1 output at batch 64: one run in every 338.
        let conv1 = HistogramRuns(count: 64 * 26 * 26 * 32, sample: 4096)
        XCTAssertEqual(conv1.step, 338)
        XCTAssertEqual(conv1.total, 16)
        XCTAssertEqual(conv1.run(1), 86_528..<86_784)
        XCTAssertEqual(conv1.sampledCount, 16 * 256)
        // One run in three; the last one meets the end.
        let ragged = HistogramRuns(count: 10_000, sample: 3_334)
        XCTAssertEqual(ragged.step, 3)
        XCTAssertEqual(ragged.total, 14)
        XCTAssertEqual(ragged.run(13), 9_984..<10_000)
        XCTAssertEqual(ragged.sampledCount, 13 * 256 + 16)
        XCTAssertEqual(HistogramRuns(count: 0, sample: 16).sampledCount, 0)
    }

    /// `runs(overlapping:)` names exactly the runs that share a position with the range.
    func testOverlappingRunsAreThoseThatShareAPosition() {
        for (count, sample) in [(1000, 4096), (10_000, 1000), (86_528 * 16, 4096), (5_000, 300), (700, 1)] {
            let runs = HistogramRuns(count: count, sample: sample)
            for lower in stride(from: 0, to: count, by: max(1, count / 97)) {
                for length in [0, 1, 255, 256, 257, 700, 21_632] {
                    let positions = lower..<min(count, lower + length)
                    let expected = (0..<runs.total).filter { runs.run($0).overlaps(positions) }
                    XCTAssertEqual(Array(runs.runs(overlapping: positions)), expected, "\(count) \(sample) \(positions)")
                }
            }
        }
    }
}
