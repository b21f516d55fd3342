import XCTest
@testable import Tensor

/// maxPool2D (SIMD over channels) and its backward against `ReferenceKernels` and by hand.
final class MaxPool2DTests: XCTestCase {
    /// One 4×4 channel, 2×2 windows, stride 2; the top-right window holds a tie (7, 7).
    func testHandComputedTwoByTwoPoolAndTie() {
        let x = Tensor(shape: [1, 4, 4, 1], scalars: [
            1, 5, 7, 7,
            3, 2, 0, 6,
            9, 8, 1, 1,
            4, 4, 1, 2,
        ])
        let (y, argmax) = maxPool2D(x, size: 2, stride: 2)
        XCTAssertEqual(y, Tensor(shape: [1, 2, 2, 1], scalars: [5, 7, 9, 2]))
        XCTAssertEqual(argmax, [1, 2, 8, 15])  // the tie goes to the first 7 (index 2)
        let dx = maxPool2DBackward(Tensor(shape: [1, 2, 2, 1], scalars: [10, 20, 30, 40]),
                                   argmax: argmax, inputShape: x.shape)
        XCTAssertEqual(dx.scalars, [0, 10, 20, 0, 0, 0, 0, 0, 30, 0, 0, 0, 0, 0, 0, 40])
    }

    /// Sizes and strides (overlapping, non-overlapping, gapped) and channel counts on
    /// and off the 8-lane boundary.
    func testMatchesReferenceForSizesStridesAndChannels() {
        for (size, stride) in [(2, 2), (3, 2), (2, 1), (3, 3), (1, 2)] {
            for channels in [1, 8, 13, 32] {
                let x = randomTensor([2, 9, 8, channels], "x\(size)\(stride)\(channels)")
                let (y, argmax) = maxPool2D(x, size: size, stride: stride)
                XCTAssertEqual(y, ReferenceKernels.maxPool2D(x, size: size, stride: stride))
                for (k, index) in argmax.enumerated() { XCTAssertEqual(x.scalars[Int(index)], y.scalars[k]) }
            }
        }
    }

    /// Without argmax (a forward no backward follows) the output and its measured moments
    /// are the same bits: 2×2 windows on whole groups of eight channels take the maxima
    /// alone, the rest go through scratch; NaN, −0 against +0 and ties included.
    func testMaximaWithoutArgmaxAreTheSameBits() {
        for (size, step) in [(2, 2), (3, 2), (2, 1), (3, 3)] {
            for channels in [1, 8, 13, 32] {
                var values = randomScalars(2 * 9 * 8 * channels, "noargmax\(size)\(step)\(channels)")
                for i in stride(from: 0, to: values.count, by: 7) { values[i] = 0.5 }
                for i in stride(from: 3, to: values.count, by: 11) { values[i] = i % 2 == 0 ? -0.0 : 0 }
                values[5] = .nan
                let x = Tensor(shape: [2, 9, 8, channels], scalars: values)
                let full = maxPool2D(x, size: size, stride: step, measured: true)
                let maxima = maxPool2D(x, size: size, stride: step, measured: true, argmax: false)
                let label = "size \(size) stride \(step) channels \(channels)"
                XCTAssertEqual(maxima.output.scalars.map(\.bitPattern), full.output.scalars.map(\.bitPattern), label)
                // Described, as NaN ≠ NaN: each Double prints the shortest digits that round-trip.
                XCTAssertEqual(String(describing: maxima.moments), String(describing: full.moments), label)
                XCTAssertTrue(maxima.argmax.isEmpty, label)
            }
        }
    }

    func testTiesGoToFirstMaximumInEveryChannel() {
        let x = Tensor(shape: [1, 2, 2, 16], repeating: 3)
        let (_, argmax) = maxPool2D(x, size: 2, stride: 2)
        XCTAssertEqual(argmax, (0..<16).map { Int32($0) })
    }

    /// Backward puts each dy on its window's maximum; overlapping windows sharing a
    /// maximum add their gradients there, and every other input gets zero.
    func testBackwardRoutesGradientToTheMaximum() {
        let x = randomTensor([2, 7, 7, 9], "x")
        let (y, argmax) = maxPool2D(x, size: 3, stride: 2)
        let dy = randomTensor(y.shape, "dy")
        let dx = maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape)
        var expected = [Float](repeating: 0, count: x.count)
        for k in 0..<dy.count {
            let winner = (0..<x.count).first { i in
                isInWindow(i, output: k, x.shape, y.shape, size: 3, stride: 2) && x.scalars[i] == y.scalars[k]
            }!
            expected[winner] += dy.scalars[k]
        }
        assertClose(dx.scalars, expected, tolerance: 1e-6)
    }

    func testBackwardIsBitIdenticalWithOneAndTwoThreads() {
        let x = randomTensor([8, 11, 11, 64], "x")
        let (y, argmax) = maxPool2D(x, size: 3, stride: 1)
        let dy = randomTensor(y.shape, "dy")
        let one = withThreads(1) { maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape) }
        let two = withThreads(2) { maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape) }
        XCTAssertEqual(one, two)
    }

    /// 2×2 windows of stride 2 are written window by window (`MaxPoolPairBackward`), bit
    /// for bit what the scatter writes: −0 and NaN gradients, ties, odd heights and widths
    /// (a last row or column no window reaches), several groups of eight channels.
    func testTwoByTwoWindowsAreWrittenAsTheScatterWritesThem() {
        for (h, w, c) in [(26, 26, 32), (11, 11, 64), (13, 12, 8), (2, 3, 16)] {
            let x = Tensor(shape: [3, h, w, c], scalars: randomScalars(3 * h * w * c, "pair-x").map { ($0 * 4).rounded() })
            let (y, argmax) = maxPool2D(x, size: 2, stride: 2)
            var dyValues = randomScalars(y.count, "pair-dy")
            for i in stride(from: 0, to: dyValues.count, by: 5) { dyValues[i] = -0.0 }
            dyValues[2] = .nan
            let dy = Tensor(shape: y.shape, scalars: dyValues)
            XCTAssertNotNil(MaxPoolPairBackward(inputShape: x.shape, size: 2, stride: 2), "\(h)×\(w)×\(c)")
            let written = maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape, size: 2, stride: 2, measured: false)
            let scattered = maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape)
            XCTAssertEqual(written.input.scalars.map(\.bitPattern), scattered.scalars.map(\.bitPattern), "\(h)×\(w)×\(c)")
        }
        XCTAssertNil(MaxPoolPairBackward(inputShape: [1, 4, 4, 12], size: 2, stride: 2), "12 channels: the scatter")
        XCTAssertNil(MaxPoolPairBackward(inputShape: [1, 6, 6, 8], size: 3, stride: 3), "3×3 windows: the scatter")
    }

    /// Whether flat input index `i` lies in the window of flat output index `k` (same channel).
    private func isInWindow(_ i: Int, output k: Int, _ xs: [Int], _ ys: [Int], size: Int, stride: Int) -> Bool {
        let c = xs[3]
        let (ib, ir, ic, ich) = (i / (xs[1] * xs[2] * c), i / (xs[2] * c) % xs[1], i / c % xs[2], i % c)
        let (ob, orow, ocol, och) = (k / (ys[1] * ys[2] * c), k / (ys[2] * c) % ys[1], k / c % ys[2], k % c)
        return ib == ob && ich == och && (orow * stride..<orow * stride + size).contains(ir)
            && (ocol * stride..<ocol * stride + size).contains(ic)
    }

    /// The pooling's gradient sent on through the ReLU below it in one pass equals the
    /// scatter followed by the ReLU's mask, bit for bit: −0 and NaN gradients, ties,
    /// overlapping and tiling windows, odd sizes, channels beyond a group of eight.
    func testRectifierBackwardEqualsScatterThenMask() {
        for (h, w, c, size, step) in [(11, 11, 16, 2, 2), (13, 12, 8, 2, 2), (9, 9, 12, 3, 3), (7, 6, 5, 3, 1)] {
            // Values on a coarse grid, so that windows hold ties; many of them ≤ 0 before the ReLU.
            let relu = randomScalars(3 * h * w * c, "relu-x").map { max(($0 * 4).rounded(), 0) }
            let x = Tensor(shape: [3, h, w, c], scalars: relu)
            let (y, argmax) = maxPool2D(x, size: size, stride: step)
            var dyValues = randomScalars(y.count, "relu-dy")
            for i in stride(from: 0, to: dyValues.count, by: 5) { dyValues[i] = -0.0 }
            dyValues[1] = .nan
            let dy = Tensor(shape: y.shape, scalars: dyValues)
            let masked = maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape).rectifierGradient(output: x)
            let fused = maxPool2DRectifierBackward(dy, argmax: argmax, pooled: y, inputShape: x.shape, size: size, stride: step)
            XCTAssertEqual(fused.scalars.map(\.bitPattern), masked.scalars.map(\.bitPattern), "\(h)×\(w)×\(c) size \(size) stride \(step)")
        }
    }

    /// The patched pass gives dL/dz as the one-pass rectifier backward does, and dL/dx (the
    /// scatter alone) as dL/dz with its patches in place, bit for bit, with the scatter's
    /// measured moments: −0 and NaN gradients, ties, zeroed windows, odd sizes, gaps between
    /// windows (stride > size).
    func testPatchedBackwardGivesBothGradientsAndTheScattersMoments() {
        for (h, w, c, size, step) in [(11, 11, 16, 2, 2), (13, 12, 8, 2, 2), (9, 9, 12, 3, 3), (10, 11, 4, 2, 3)] {
            let relu = randomScalars(3 * h * w * c, "patch-x").map { max(($0 * 4).rounded(), 0) }
            let x = Tensor(shape: [3, h, w, c], scalars: relu)
            let (y, argmax) = maxPool2D(x, size: size, stride: step)
            var dyValues = randomScalars(y.count, "patch-dy")
            for i in stride(from: 0, to: dyValues.count, by: 5) { dyValues[i] = -0.0 }
            let dy = Tensor(shape: y.shape, scalars: dyValues)
            let label = "\(h)×\(w)×\(c) size \(size) stride \(step)"
            let patched = maxPool2DRectifierBackwardPatched(dy, argmax: argmax, pooled: y, inputShape: x.shape,
                                                             size: size, stride: step, measured: true)
            let rectified = maxPool2DRectifierBackward(dy, argmax: argmax, pooled: y, inputShape: x.shape,
                                                       size: size, stride: step)
            let scatter = maxPool2DBackward(dy, argmax: argmax, inputShape: x.shape, size: size, stride: step, measured: true)
            XCTAssertEqual(patched.rectified.scalars.map(\.bitPattern), rectified.scalars.map(\.bitPattern), label)
            XCTAssertEqual(patched.patches.applied(to: patched.rectified).scalars.map(\.bitPattern),
                           scatter.input.scalars.map(\.bitPattern), label)
            XCTAssertEqual(patched.moments, scatter.moments, label)
            // Position by position: a patch holds the dropped dy where dL/dz has 0, and
            // elsewhere dL/dz is dL/dx. Zeroed windows exist here, so some patches do.
            var patchedPositions = 0
            for i in 0..<x.count {
                if let v = patched.patches.value(at: i) {
                    patchedPositions += 1
                    XCTAssertEqual(patched.rectified.scalars[i], 0, label)
                    XCTAssertEqual(v.bitPattern, scatter.input.scalars[i].bitPattern, label)
                } else {
                    XCTAssertEqual(patched.rectified.scalars[i].bitPattern, scatter.input.scalars[i].bitPattern, label)
                }
            }
            XCTAssertGreaterThan(patchedPositions, 0, label)
            // Walking a range (rows, images and gaps crossed) finds the same patches as
            // asking position by position, from any start.
            for start in [0, 1, c - 1, w * c + 3, x.count / 2] {
                var walked: [Int: Float] = [:]
                patched.patches.forEachValue(in: start..<x.count) { walked[$0] = $1 }
                let asked = (start..<x.count).compactMap { i in patched.patches.value(at: i).map { (i, $0) } }
                XCTAssertEqual(walked.count, asked.count, "from \(start), \(label)")
                for (i, v) in asked { XCTAssertEqual(walked[i]?.bitPattern, v.bitPattern, "\(i), \(label)") }
            }
        }
        // A NaN dy travels in the patches as the scatter would write it.
        let x = Tensor(shape: [1, 2, 2, 1], scalars: [0, 0, 0, 0])
        let (y, argmax) = maxPool2D(x, size: 2, stride: 2)
        let dy = Tensor(shape: y.shape, scalars: [.nan])
        let patched = maxPool2DRectifierBackwardPatched(dy, argmax: argmax, pooled: y, inputShape: x.shape,
                                                         size: 2, stride: 2, measured: false)
        XCTAssertEqual(patched.rectified.scalars, [0, 0, 0, 0])
        XCTAssertTrue(patched.patches.applied(to: patched.rectified).scalars[0].isNaN)
    }
}
