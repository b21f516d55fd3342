import XCTest
@testable import Tensor

/// `conv2DWeightGradientThroughMaxPool` (the pooling's backward pass fused into the
/// convolution's weight gradient) against the two passes it replaces, bit for bit.
final class PooledWeightGradientTests: XCTestCase {
    private struct Case {
        let batch, height, width, inChannels, filters, kernel: Int
        var stride = 1, padding = Padding.valid, poolSize = 2, poolStride = 2
        var label: String {
            "\(batch)×\(height)×\(width)×\(inChannels) → \(filters), \(kernel)×\(kernel)/\(stride) \(padding), "
                + "pool \(poolSize)/\(poolStride)"
        }
    }

    /// cnn-mnist's conv1 at batch 64 (segments of 8 whole images, 2×2 pairs); 5 images, whose
    /// 6 segments end inside images; a one-channel first layer with 24 channels and an odd
    /// output width (the pixel-by-pixel path in eights, a column no window reaches, 2
    /// segments that end inside an image); channels off the 8- and 16-lane boundaries (the scatter,
    /// packed panels); 3×3/3 and gapped 2/3 windows; 'same' padding with 3 input channels
    /// (taps gathered at the border); a stride-2 convolution.
    private let cases = [
        Case(batch: 64, height: 28, width: 28, inChannels: 1, filters: 32, kernel: 3),
        Case(batch: 5, height: 28, width: 28, inChannels: 1, filters: 32, kernel: 3),
        Case(batch: 13, height: 12, width: 13, inChannels: 1, filters: 24, kernel: 3),
        Case(batch: 7, height: 17, width: 15, inChannels: 2, filters: 12, kernel: 3, poolSize: 3, poolStride: 3),
        Case(batch: 6, height: 16, width: 19, inChannels: 3, filters: 24, kernel: 3, padding: .same,
             poolSize: 2, poolStride: 3),
        Case(batch: 9, height: 21, width: 20, inChannels: 1, filters: 8, kernel: 5, stride: 2),
    ]

    /// The inputs of a backward step: x, W, the ReLU'd convolution's pooling (output and
    /// argmax), and a dy with −0, NaN and ties among the windows' values.
    private func inputs(_ c: Case) -> (x: Tensor, w: Tensor, z: Tensor, pooled: Tensor, argmax: [Int32], dy: Tensor) {
        let x = randomTensor([c.batch, c.height, c.width, c.inChannels], "pooled-dw-x")
        let w = randomTensor([c.kernel, c.kernel, c.inChannels, c.filters], "pooled-dw-w")
        // Coarse weights make ties and many units at 0 after the ReLU.
        let coarse = Tensor(shape: w.shape, scalars: w.scalars.map { ($0 * 4).rounded() / 4 })
        let bias = randomTensor([c.filters], "pooled-dw-b")
        let z = conv2D(x, weight: coarse, bias: bias, stride: c.stride, padding: c.padding, rectified: true)
        let (pooled, argmax) = maxPool2D(z, size: c.poolSize, stride: c.poolStride)
        var dy = randomScalars(pooled.count, "pooled-dw-dy")
        for i in stride(from: 0, to: dy.count, by: 7) { dy[i] = -0.0 }
        dy[3] = .nan
        return (x, coarse, z, pooled, argmax, Tensor(shape: pooled.shape, scalars: dy))
    }

    private func bits(_ t: Tensor?) -> [UInt32] { t?.scalars.map(\.bitPattern) ?? [] }

    func testGradientsAreThoseOfThePoolingThenTheConvolutionBitForBit() throws {
        for c in cases {
            let (x, w, z, pooled, argmax, dy) = inputs(c)
            let dz = maxPool2DRectifierBackward(dy, argmax: argmax, pooled: pooled, inputShape: z.shape,
                                                size: c.poolSize, stride: c.poolStride)
            let twoPasses = conv2DBackward(x, weight: w, outputGradient: dz, stride: c.stride, padding: c.padding,
                                           computeInputGradient: false)
            let patched = maxPool2DRectifierBackwardPatched(dy, argmax: argmax, pooled: pooled, inputShape: z.shape,
                                                            size: c.poolSize, stride: c.poolStride, measured: true)
            for (keeps, measured) in [(false, false), (true, true), (false, true)] {
                for threads in [1, 2] {
                    let fused = try XCTUnwrap(withThreads(threads) {
                        conv2DWeightGradientThroughMaxPool(
                            x, weight: w, stride: c.stride, padding: c.padding, pooledGradient: dy, argmax: argmax,
                            pooled: pooled, poolSize: c.poolSize, poolStride: c.poolStride, keepsRectified: keeps,
                            measured: measured)
                    }, c.label)
                    let label = "\(c.label), keeps \(keeps), measured \(measured), \(threads) threads"
                    XCTAssertEqual(fused.weight.shape, w.shape, label)
                    XCTAssertEqual(bits(fused.weight), bits(twoPasses.weight), label)
                    XCTAssertEqual(bits(fused.bias), bits(twoPasses.bias), label)
                    XCTAssertEqual(bits(fused.rectified), keeps ? bits(dz) : [], label)
                    // Described, since the image with the NaN dy has NaN sums (NaN ≠ NaN).
                    XCTAssertEqual("\(fused.moments as Any)", "\((measured ? patched.moments : nil) as Any)", label)
                }
            }
            // The gradient is not all zeros: the comparison above would catch a lost segment.
            XCTAssertTrue(twoPasses.weight.scalars.contains { $0 != 0 && $0.isFinite }, c.label)
        }
    }

    /// Where the pair does not fuse, nothing is computed: overlapping windows, and a weight
    /// gradient that takes Winograd's route (cnn-mnist's conv2).
    func testDeclinesOverlappingWindowsAndWinogradWeightGradients() {
        let overlapping = Case(batch: 2, height: 12, width: 12, inChannels: 1, filters: 8, kernel: 3,
                               poolSize: 3, poolStride: 2)
        let (x, w, _, pooled, argmax, dy) = inputs(overlapping)
        XCTAssertNil(conv2DWeightGradientThroughMaxPool(x, weight: w, stride: 1, padding: .valid, pooledGradient: dy,
                                                        argmax: argmax, pooled: pooled, poolSize: 3, poolStride: 2,
                                                        keepsRectified: true, measured: false))
        let g = Conv2DGeometry(inputShape: [64, 13, 13, 32], weightShape: [3, 3, 32, 64], stride: 1, padding: .valid)
        XCTAssertNotNil(WinogradWeightGradient(g))
        XCTAssertNil(PooledWeightGradient(g, pool: (2, 2)))
        // cnn-mnist's conv1 fuses, with segments of 8 images in L2.
        let first = Conv2DGeometry(inputShape: [64, 28, 28, 1], weightShape: [3, 3, 1, 32], stride: 1, padding: .valid)
        XCTAssertEqual(PooledWeightGradient(first, pool: (2, 2))?.imagesPerSegment, 8)
    }
}
