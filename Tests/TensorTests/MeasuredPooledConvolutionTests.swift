import XCTest
@testable import Tensor

/// `conv2DMaxPooledMeasured` (a recorded training step's first convolution and pooling as
/// one pass) against `conv2D(…, measured: true)` then `maxPool2D(…, measured: true)`: every
/// value, winner and measured piece bit for bit, at 1 and 2 threads (and on both SIMD paths).
final class MeasuredPooledConvolutionTests: XCTestCase {
    /// cnn-mnist's conv1 at batch 64 (the GEMM's 96-row pieces straddle 26×26 images);
    /// 5 images whose last piece is short; 24 channels (the eight-lane loop on AVX-512 too);
    /// not ReLU'd; pieces longer than an image (4×4 outputs of 8 channels, 24-row pieces).
    func testOutputsWinnersAndMomentsAreThoseOfTheTwoLayers() throws {
        for c in PooledConvolutionCases.firstLayer {
            var pixels = randomScalars(c.x.reduce(1, *), "measured-pooled-x")
            for i in stride(from: 0, to: pixels.count, by: 37) { pixels[i] = -0.0 }
            let x = Tensor(shape: c.x, scalars: pixels)
            // Coarse weights: ties inside windows and, after the ReLU, windows of zeros.
            let w = Tensor(shape: [3, 3, 1, c.filters],
                           scalars: randomScalars(9 * c.filters, "measured-pooled-w").map { ($0 * 2).rounded() / 2 })
            let bias = randomTensor([c.filters], "measured-pooled-b")
            let z = conv2D(x, weight: w, bias: bias, rectified: c.rectified, measured: true)
            let y = maxPool2D(z.output, size: 2, stride: 2, measured: true)
            let pieces = try XCTUnwrap(z.moments).pieces
            for simd in simdPaths {
                for threads in [1, 2] {
                    let label = "\(c), AVX-512 \(simd), \(threads) threads"
                    let fused = try XCTUnwrap(withSIMDPath(avx512: simd) { withThreads(threads) {
                        conv2DMaxPooledMeasured(x, weight: w, bias: bias, stride: 1, padding: .valid,
                                                rectified: c.rectified, poolSize: 2, poolStride: 2)
                    }}, label)
                    XCTAssertEqual(fused.convolved?.shape, z.output.shape, label)
                    XCTAssertEqual(try XCTUnwrap(fused.convolved, label).scalars.map(\.bitPattern), z.output.scalars.map(\.bitPattern), label)
                    XCTAssertEqual(fused.pooled.shape, y.output.shape, label)
                    XCTAssertEqual(fused.pooled.scalars.map(\.bitPattern), y.output.scalars.map(\.bitPattern), label)
                    XCTAssertEqual(fused.argmax, y.argmax, label)
                    XCTAssertEqual(fused.convolvedMoments.pieces, pieces, label)
                    XCTAssertEqual(fused.pooledMoments, try XCTUnwrap(y.moments), label)
                }
            }
        }
        // The first case's pieces cross images, the last one's are longer than an image: the
        // pass measured those after the batch.
        XCTAssertNotEqual((26 * 26) % (try XCTUnwrap(GEMM.measuredPieceRows(m: 64 * 676, n: 32, k: 9, ldc: 32))), 0)
        XCTAssertGreaterThan(try XCTUnwrap(GEMM.measuredPieceRows(m: 7 * 16, n: 8, k: 9, ldc: 8)), 16)
    }

    /// A convolution that takes Winograd's route (cnn-mnist's conv2) keeps and measures each
    /// block's outputs and pools them: the two layers' bits and pieces, with 9 images (a
    /// short last block), cut edge tiles (11×11 outputs), 2×2 and 3×3/3 windows, 'same' padding.
    func testWinogradRouteGivesTheTwoLayersBitsAndPieces() throws {
        for c in PooledConvolutionCases.winograd {
            let x = randomTensor(c.x, "measured-winograd-x")
            let w = randomTensor([3, 3, c.x[3], c.filters], "measured-winograd-w")
            let bias = randomTensor([c.filters], "measured-winograd-b")
            let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: 1, padding: c.padding)
            XCTAssertGreaterThan(try XCTUnwrap(WinogradConvolution.forward(g), "\(c)").blocks, 1, "\(c)")
            let z = conv2D(x, weight: w, bias: bias, padding: c.padding, rectified: true, measured: true)
            let y = maxPool2D(z.output, size: c.pool, stride: c.pool, measured: true)
            for threads in [1, 2] {
                let label = "\(c), \(threads) threads"
                let fused = try XCTUnwrap(withThreads(threads) {
                    conv2DMaxPooledMeasured(x, weight: w, bias: bias, stride: 1, padding: c.padding, rectified: true,
                                            poolSize: c.pool, poolStride: c.pool)
                }, label)
                XCTAssertEqual(try XCTUnwrap(fused.convolved, label).scalars.map(\.bitPattern), z.output.scalars.map(\.bitPattern), label)
                XCTAssertEqual(fused.pooled.scalars.map(\.bitPattern), y.output.scalars.map(\.bitPattern), label)
                XCTAssertEqual(fused.pooled.shape, y.output.shape, label)
                XCTAssertEqual(fused.argmax, y.argmax, label)
                XCTAssertEqual(fused.convolvedMoments, try XCTUnwrap(z.moments), label)
                XCTAssertEqual(fused.pooledMoments, try XCTUnwrap(y.moments), label)
            }
        }
    }

    /// Only a one-channel 3×3 layer under 2×2 windows over an even output takes the
    /// first-layer route (and a convolution Winograd's route declines takes none).
    func testDeclinesOtherLayers() {
        let w = randomTensor([3, 3, 1, 32], "measured-pooled-decline-w"), b = randomTensor([32], "measured-pooled-b")
        // 25×25 outputs: the windows leave the last row and column out.
        XCTAssertNil(conv2DMaxPooledMeasured(randomTensor([2, 27, 27, 1], "odd"), weight: w, bias: b, stride: 1,
                                             padding: .valid, rectified: true, poolSize: 2, poolStride: 2))
        XCTAssertNil(conv2DMaxPooledMeasured(randomTensor([2, 28, 28, 1], "x"), weight: w, bias: b, stride: 1,
                                             padding: .same, rectified: true, poolSize: 2, poolStride: 2))
        XCTAssertNil(conv2DMaxPooledMeasured(randomTensor([2, 28, 28, 1], "x"), weight: w, bias: b, stride: 1,
                                             padding: .valid, rectified: true, poolSize: 3, poolStride: 3))
        let rgb = randomTensor([3, 3, 3, 32], "measured-pooled-rgb-w")
        XCTAssertNil(conv2DMaxPooledMeasured(randomTensor([2, 28, 28, 3], "rgb"), weight: rgb, bias: b, stride: 1,
                                             padding: .valid, rectified: true, poolSize: 2, poolStride: 2))
        // cnn-mnist's conv3 (3×3 outputs from one tile): Winograd does not pay, im2col takes it.
        let deep = randomTensor([3, 3, 64, 64], "measured-pooled-deep-w"), b64 = randomTensor([64], "measured-pooled-b")
        XCTAssertNil(WinogradConvolution.forward(Conv2DGeometry(inputShape: [2, 5, 5, 64], weightShape: deep.shape,
                                                                stride: 1, padding: .valid)))
        XCTAssertNil(conv2DMaxPooledMeasured(randomTensor([2, 5, 5, 64], "deep"), weight: deep, bias: b64, stride: 1,
                                             padding: .valid, rectified: true, poolSize: 2, poolStride: 2))
    }
}
