import XCTest
@testable import Tensor

/// `maxPool2DBackwardSummary`: a pooling's dL/dx summarized from dy and the argmax, never
/// written, against the dL/dx `maxPool2DBackward(…, measured: true)` writes and measures.
final class PoolingGradientSummaryTests: XCTestCase {
    /// cnn-mnist's pool1 at batch 64; odd sizes (the last row and column in no window); 3×3
    /// windows; windows with gaps between them (size 2, stride 3). ReLU'd inputs: ties at 0.
    func testSummaryHoldsTheWrittenGradientsPiecesAndRuns() throws {
        let cases: [(x: [Int], size: Int, stride: Int)] = [
            ([64, 26, 26, 32], 2, 2), ([3, 7, 9, 8], 2, 2), ([2, 9, 10, 4], 3, 3), ([2, 8, 8, 4], 2, 3),
        ]
        for c in cases {
            let x = Tensor(shape: c.x, scalars: randomScalars(c.x.reduce(1, *), "pool-summary-x").map { max(0, $0) })
            let pooled = maxPool2D(x, size: c.size, stride: c.stride)
            let dy = randomTensor(pooled.output.shape, "pool-summary-dy")
            let written = maxPool2DBackward(dy, argmax: pooled.argmax, inputShape: x.shape, size: c.size,
                                            stride: c.stride, measured: true)
            for threads in [1, 2] {
                for sample in [4_096, 300, 1 << 30] {
                    let label = "\(c), \(threads) threads, sample \(sample)"
                    let summary = try XCTUnwrap(withThreads(threads) {
                        maxPool2DBackwardSummary(dy, argmax: pooled.argmax, inputShape: x.shape, size: c.size,
                                                 stride: c.stride, sample: sample)
                    }, label)
                    XCTAssertEqual(summary.shape, x.shape, label)
                    XCTAssertEqual(summary.moments, try XCTUnwrap(written.moments), label)
                    let runs = HistogramRuns(count: x.count, sample: sample)
                    let expected = runs.runs.flatMap { written.input.scalars[$0] }
                    XCTAssertEqual(summary.sampled.map(\.bitPattern), expected.map(\.bitPattern), label)
                    XCTAssertTrue(summary.sampled.contains { $0 != 0 }, label)
                }
            }
        }
    }

    /// Overlapping windows send more than one dy to a position: no summary.
    func testOverlappingWindowsHaveNoSummary() {
        let x = randomTensor([2, 9, 9, 4], "pool-summary-overlap")
        let pooled = maxPool2D(x, size: 3, stride: 2)
        XCTAssertNil(maxPool2DBackwardSummary(randomTensor(pooled.output.shape, "dy"), argmax: pooled.argmax,
                                              inputShape: x.shape, size: 3, stride: 2, sample: 4_096))
    }
}
