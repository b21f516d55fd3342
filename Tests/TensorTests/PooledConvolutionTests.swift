import XCTest
@testable import Tensor

/// `conv2DMaxPooledWithArgmax` (a training pass's convolution and pooling as one, image by
/// image) against `conv2D` then `maxPool2D`, bit for bit, argmax included.
final class PooledConvolutionTests: XCTestCase {
    /// cnn-mnist's conv1 (a one-channel 3×3 layer under 2×2 windows: `PooledFirstLayerKernel`,
    /// also with 24 channels, which the AVX-512 path leaves to the eight-lane loop); channels off
    /// the 8-lane boundary (value by value) under 3×3/3 windows that leave the last row and
    /// column out; overlapping windows; 'same' padding with a strided convolution; linear.
    func testOutputAndArgmaxAreThoseOfTheTwoPassesBitForBit() throws {
        let cases: [(x: [Int], filters: Int, kernel: Int, stride: Int, padding: Padding, pool: Int, poolStride: Int,
                     rectified: Bool)] = [
            ([13, 28, 28, 1], 32, 3, 1, .valid, 2, 2, true),
            ([3, 11, 12, 1], 24, 3, 1, .valid, 2, 2, false),
            ([5, 17, 16, 2], 12, 3, 1, .valid, 3, 3, true),
            ([4, 15, 15, 1], 8, 3, 1, .valid, 3, 2, true),
            ([3, 19, 18, 3], 16, 5, 2, .same, 2, 2, true),
            ([3, 12, 12, 1], 8, 3, 1, .valid, 2, 2, false),
        ]
        for c in cases {
            var pixels = randomScalars(c.x.reduce(1, *), "pooled-conv-x")
            for i in stride(from: 0, to: pixels.count, by: 41) { pixels[i] = -0.0 }
            let x = Tensor(shape: c.x, scalars: pixels)
            // Coarse weights give ties inside windows and, after the ReLU, windows of zeros
            // (whose argmax is the first position).
            let w = Tensor(shape: [c.kernel, c.kernel, c.x[3], c.filters],
                           scalars: randomScalars(c.kernel * c.kernel * c.x[3] * c.filters, "pooled-conv-w")
                               .map { ($0 * 2).rounded() / 2 })
            let bias = randomTensor([c.filters], "pooled-conv-b")
            let label = "\(c)"
            let z = conv2D(x, weight: w, bias: bias, stride: c.stride, padding: c.padding, rectified: c.rectified)
            let (expected, expectedArgmax) = maxPool2D(z, size: c.pool, stride: c.poolStride)
            for threads in [1, 2] {
                let fused = try XCTUnwrap(withThreads(threads) {
                    conv2DMaxPooledWithArgmax(x, weight: w, bias: bias, stride: c.stride, padding: c.padding,
                                              rectified: c.rectified, poolSize: c.pool, poolStride: c.poolStride)
                }, label)
                XCTAssertEqual(fused.output.shape, expected.shape, label)
                XCTAssertEqual(fused.output.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), label)
                XCTAssertEqual(fused.argmax, expectedArgmax, label)
            }
        }
    }

    /// A convolution that takes Winograd's route (cnn-mnist's conv2) pools its blocks of
    /// images with their argmax: the bits and winners of the two passes, with 9 images (a
    /// short last block), cut edge tiles (11×11 outputs) and 2×2 or 3×3/3 windows.
    func testWinogradConvolutionsPoolTheirBlocksWithTheArgmax() throws {
        for (poolSize, poolStride) in [(2, 2), (3, 3)] {
            let x = randomTensor([9, 13, 13, 32], "pooled-conv-winograd")
            let w = randomTensor([3, 3, 32, 64], "pooled-conv-winograd-w")
            let bias = randomTensor([64], "pooled-conv-winograd-b")
            let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: 1, padding: .valid)
            XCTAssertGreaterThan(try XCTUnwrap(WinogradConvolution.forward(g)).blocks, 1)
            let z = conv2D(x, weight: w, bias: bias, rectified: true)
            let (expected, expectedArgmax) = maxPool2D(z, size: poolSize, stride: poolStride)
            let fused = try XCTUnwrap(conv2DMaxPooledWithArgmax(x, weight: w, bias: bias, stride: 1, padding: .valid,
                                                                rectified: true, poolSize: poolSize,
                                                                poolStride: poolStride))
            XCTAssertEqual(fused.output.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern))
            XCTAssertEqual(fused.argmax, expectedArgmax)
        }
    }

    /// A prediction pass's Winograd convolution under 2×2/2 windows pools each output tile as it
    /// is formed (`transformOutputPooled`), never writing the convolution: the bits of the two
    /// passes, NaN and −0 included, for cut edge tiles (11×11 outputs: the last row and column
    /// unpooled), whole tiles ('same' 12×12), rectified or linear, 1 or 2 threads; and the
    /// routes that still pool the written image (3×3/3 windows, 12 channels) alike.
    func testWinogradPredictionPoolsEachTileWithTheBitsOfTheTwoPasses() throws {
        let cases: [(x: [Int], filters: Int, padding: Padding, pool: Int, rectified: Bool)] = [
            ([9, 13, 13, 32], 64, .valid, 2, true),
            ([9, 13, 13, 32], 64, .valid, 2, false),
            ([5, 12, 12, 16], 16, .same, 2, true),
            ([5, 13, 13, 16], 16, .valid, 3, true),
            ([5, 13, 13, 16], 12, .valid, 2, true),
        ]
        for c in cases {
            var pixels = randomScalars(c.x.reduce(1, *), "pooled-prediction-x")
            for i in stride(from: 0, to: pixels.count, by: 37) { pixels[i] = -0.0 }
            pixels[c.x[3] * (c.x[2] * 5 + 6)] = .nan
            let x = Tensor(shape: c.x, scalars: pixels)
            let w = Tensor(shape: [3, 3, c.x[3], c.filters],
                           scalars: randomScalars(9 * c.x[3] * c.filters, "pooled-prediction-w").map { ($0 * 2).rounded() / 2 })
            let bias = randomTensor([c.filters], "pooled-prediction-b")
            let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: 1, padding: c.padding)
            XCTAssertNotNil(WinogradConvolution.forward(g), "\(c) takes Winograd's route")
            let z = conv2D(x, weight: w, bias: bias, padding: c.padding, rectified: c.rectified)
            let expected = maxPool2D(z, size: c.pool, stride: c.pool).output
            XCTAssertTrue(expected.scalars.contains { $0.isNaN } && expected.scalars.contains { !$0.isNaN }, "\(c)")
            for threads in [1, 2] {
                let pooled = try XCTUnwrap(withThreads(threads) {
                    conv2DMaxPooled(x, weight: w, bias: bias, stride: 1, padding: c.padding, rectified: c.rectified,
                                    poolSize: c.pool, poolStride: c.pool)
                }, "\(c)")
                XCTAssertEqual(pooled.shape, expected.shape, "\(c)")
                XCTAssertEqual(pooled.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), "\(c), \(threads) threads")
            }
        }
    }
}
