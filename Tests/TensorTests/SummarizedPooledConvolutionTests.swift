import XCTest
@testable import Tensor

/// `conv2DMaxPooledMeasured(…, summarizing:)`, a statistics-only step's first convolution and
/// pooling: the convolution is never stored, and its summary holds what the stored output
/// would have given its statistics, bit for bit: the same measured pieces, and the values of
/// the histogram's runs.
final class SummarizedPooledConvolutionTests: XCTestCase {
    /// cnn-mnist's conv1 at batch 64 (pieces and runs cross images); 5 images; 24 channels;
    /// not ReLU'd; pieces longer than an image. Samples: the trace's two, one run in many, and
    /// one larger than the tensor (every value).
    func testSummaryHoldsTheStoredOutputsPiecesAndRuns() throws {
        for c in PooledConvolutionCases.firstLayer {
            let x = randomTensor(c.x, "summarized-pooled-x")
            let w = randomTensor([3, 3, 1, c.filters], "summarized-pooled-w")
            let bias = randomTensor([c.filters], "summarized-pooled-b")
            let stored = try XCTUnwrap(conv2DMaxPooledMeasured(x, weight: w, bias: bias, stride: 1, padding: .valid,
                                                               rectified: c.rectified, poolSize: 2, poolStride: 2))
            let z = try XCTUnwrap(stored.convolved)
            for simd in simdPaths {
                for threads in [1, 2] {
                    for sample in [4_096, 16_384, 300, 1 << 30] {
                        let label = "\(c), AVX-512 \(simd), \(threads) threads, sample \(sample)"
                        let fused = try XCTUnwrap(withSIMDPath(avx512: simd) { withThreads(threads) {
                            conv2DMaxPooledMeasured(x, weight: w, bias: bias, stride: 1, padding: .valid,
                                                    rectified: c.rectified, poolSize: 2, poolStride: 2,
                                                    summarizing: sample)
                        }}, label)
                        XCTAssertNil(fused.convolved, label)
                        let summary = try XCTUnwrap(fused.convolvedSummary, label)
                        XCTAssertEqual(summary.shape, z.shape, label)
                        XCTAssertEqual(summary.sample, sample, label)
                        XCTAssertEqual(summary.moments, stored.convolvedMoments, label)
                        XCTAssertEqual(fused.convolvedMoments, stored.convolvedMoments, label)
                        let runs = HistogramRuns(count: z.count, sample: sample)
                        let expected = runs.runs.flatMap { z.scalars[$0] }
                        XCTAssertEqual(summary.sampled.map(\.bitPattern), expected.map(\.bitPattern), label)
                        XCTAssertEqual(fused.pooled.scalars.map(\.bitPattern), stored.pooled.scalars.map(\.bitPattern), label)
                        XCTAssertEqual(fused.argmax, stored.argmax, label)
                        XCTAssertEqual(fused.pooledMoments, stored.pooledMoments, label)
                    }
                }
            }
        }
    }

    /// Winograd's route (cnn-mnist's conv2) summarizes each block from its scratch: 9 images
    /// (a short last block), cut edge tiles, 2×2 and 3×3/3 windows, 'same' padding.
    func testWinogradRouteSummaryHoldsTheStoredOutputsPiecesAndRuns() throws {
        for c in PooledConvolutionCases.winograd {
            let x = randomTensor(c.x, "summarized-winograd-x")
            let w = randomTensor([3, 3, c.x[3], c.filters], "summarized-winograd-w")
            let bias = randomTensor([c.filters], "summarized-winograd-b")
            let stored = try XCTUnwrap(conv2DMaxPooledMeasured(x, weight: w, bias: bias, stride: 1, padding: c.padding,
                                                               rectified: true, poolSize: c.pool, poolStride: c.pool))
            let z = try XCTUnwrap(stored.convolved)
            for threads in [1, 2] {
                for sample in [4_096, 300, 1 << 30] {
                    let label = "\(c), \(threads) threads, sample \(sample)"
                    let fused = try XCTUnwrap(withThreads(threads) {
                        conv2DMaxPooledMeasured(x, weight: w, bias: bias, stride: 1, padding: c.padding, rectified: true,
                                                poolSize: c.pool, poolStride: c.pool, summarizing: sample)
                    }, label)
                    XCTAssertNil(fused.convolved, label)
                    let summary = try XCTUnwrap(fused.convolvedSummary, label)
                    XCTAssertEqual(summary.shape, z.shape, label)
                    XCTAssertEqual(summary.moments, stored.convolvedMoments, label)
                    let runs = HistogramRuns(count: z.count, sample: sample)
                    XCTAssertEqual(summary.sampled.map(\.bitPattern), runs.runs.flatMap { z.scalars[$0] }.map(\.bitPattern),
                                   label)
                    XCTAssertEqual(fused.pooled.scalars.map(\.bitPattern), stored.pooled.scalars.map(\.bitPattern), label)
                    XCTAssertEqual(fused.argmax, stored.argmax, label)
                    XCTAssertEqual(fused.pooledMoments, stored.pooledMoments, label)
                }
            }
        }
    }
}
