import XCTest
@testable import Tensor

/// conv2D and conv2DBackward (implicit-im2col GEMM, im2col, col2im) against
/// `ReferenceKernels`' direct loops, plus cases checkable by hand.
final class Conv2DTests: XCTestCase {
    struct Case {
        let input: [Int], kernel: (Int, Int), outChannels: Int, stride: Int, padding: Padding
        var weightShape: [Int] { [kernel.0, kernel.1, input[3], outChannels] }
    }

    /// Valid and same, stride 1 and 2, odd channel counts, non-square kernels, a single
    /// input channel (the first layer) and a patch of 450 > one 384-deep GEMM chunk.
    let cases: [Case] = [
        Case(input: [2, 7, 6, 3], kernel: (3, 3), outChannels: 5, stride: 1, padding: .valid),
        Case(input: [2, 7, 6, 3], kernel: (3, 3), outChannels: 5, stride: 1, padding: .same),
        Case(input: [2, 7, 6, 3], kernel: (3, 3), outChannels: 5, stride: 2, padding: .valid),
        Case(input: [2, 8, 7, 3], kernel: (3, 2), outChannels: 17, stride: 2, padding: .same),
        Case(input: [3, 9, 9, 1], kernel: (3, 3), outChannels: 32, stride: 1, padding: .valid),
        Case(input: [1, 6, 5, 50], kernel: (3, 3), outChannels: 7, stride: 1, padding: .same),
        Case(input: [1, 5, 5, 2], kernel: (5, 5), outChannels: 3, stride: 1, padding: .same),
        // Windows read in place (one channel) beside windows that cross the padding.
        Case(input: [2, 14, 14, 1], kernel: (3, 3), outChannels: 8, stride: 1, padding: .same),
        // Six channels: every weight-gradient strip is one tap's channels, copied 8 wide,
        // and the last one ends at the image's last value (copied 6 wide there).
        Case(input: [2, 5, 5, 6], kernel: (3, 3), outChannels: 16, stride: 1, padding: .valid),
        // Winograd F(4×4, 3×3): sizes that are not multiples of 4 (tiles cut at the edge
        // after 1, 2 or 3 rows or columns), channel counts that leave a short group of
        // lanes, several images per block, the seed CNN's conv2.
        Case(input: [2, 7, 6, 9], kernel: (3, 3), outChannels: 12, stride: 1, padding: .same),
        Case(input: [3, 11, 10, 12], kernel: (3, 3), outChannels: 9, stride: 1, padding: .valid),
        Case(input: [3, 13, 13, 32], kernel: (3, 3), outChannels: 64, stride: 1, padding: .valid),
        // A size cutting only the last column of tiles, then only the last row.
        Case(input: [2, 14, 15, 8], kernel: (3, 3), outChannels: 8, stride: 1, padding: .valid),
        Case(input: [2, 11, 6, 16], kernel: (3, 3), outChannels: 8, stride: 1, padding: .valid),
        // Many small images: several per block, the last block short.
        Case(input: [20, 7, 7, 8], kernel: (3, 3), outChannels: 8, stride: 1, padding: .same),
    ]

    func testForwardMatchesReference() {
        for (n, c) in cases.enumerated() {
            let x = randomTensor(c.input, "x\(n)"), w = randomTensor(c.weightShape, "w\(n)")
            let bias = randomTensor([c.outChannels], "b\(n)")
            let fast = conv2D(x, weight: w, bias: bias, stride: c.stride, padding: c.padding)
            let reference = ReferenceKernels.conv2D(x, weight: w, bias: bias, stride: c.stride, padding: c.padding)
            XCTAssertEqual(fast.shape, reference.shape, "case \(n)")
            assertClose(fast.scalars, reference.scalars, tolerance: 2e-5 * Float(w.count / c.outChannels), "case \(n)")
        }
    }

    func testRectifiedForwardIsTheReLUOfTheForwardPass() {
        for (n, c) in cases.enumerated() {
            let x = randomTensor(c.input, "x\(n)"), w = randomTensor(c.weightShape, "w\(n)")
            let bias = randomTensor([c.outChannels], "b\(n)")
            var expected = conv2D(x, weight: w, bias: bias, stride: c.stride, padding: c.padding)
            expected.rectifyInPlace()
            let fused = conv2D(x, weight: w, bias: bias, stride: c.stride, padding: c.padding, rectified: true)
            XCTAssertEqual(fused, expected, "case \(n): bit-identical to a separate ReLU pass")
        }
    }

    func testRectifiedGEMMOverDepthSegmentsAndEdgeTiles() {
        // k ≫ m: the product is split into depth segments whose partial sums are added
        // last; m and n leave partial tiles. The ReLU must act on the finished sums only.
        let (m, n, k) = (7, 19, 6000)
        let a = randomTensor([m, k], "ga"), b = randomTensor([k, n], "gb")
        var expected = matmul(a, b)
        expected.rectifyInPlace()
        var c = Tensor(shape: [m, n])
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    GEMM.multiply(a: StridedPanelSource(base: pa.baseAddress!, ld: k, transposed: false, rowCount: m),
                                  b: StridedPanelSource(base: pb.baseAddress!, ld: n, transposed: true, rowCount: n),
                                  m: m, n: n, k: k, c: pc.baseAddress!, ldc: n, start: .overwrite, rectify: true)
                }
            }
        }
        XCTAssertGreaterThan(GEMMPlan(m: m, n: n, k: k).segments, 1)
        XCTAssertEqual(c, expected)
        XCTAssertTrue(c.scalars.contains(0) && c.scalars.contains { $0 > 0 })
    }

    func testBackwardMatchesReference() {
        for (n, c) in cases.enumerated() {
            let x = randomTensor(c.input, "x\(n)"), w = randomTensor(c.weightShape, "w\(n)")
            let g = Conv2DGeometry(inputShape: c.input, weightShape: c.weightShape, stride: c.stride, padding: c.padding)
            let dy = randomTensor(g.outputShape, "dy\(n)")
            let fast = conv2DBackward(x, weight: w, outputGradient: dy, stride: c.stride, padding: c.padding)
            let reference = ReferenceKernels.conv2DBackward(x, weight: w, outputGradient: dy,
                                                            stride: c.stride, padding: c.padding)
            let tolerance = 2e-5 * Float(g.outputPixels + g.patchSize)
            assertClose(fast.weight.scalars, reference.weight.scalars, tolerance: tolerance, "dW case \(n)")
            assertClose(fast.bias.scalars, reference.bias.scalars, tolerance: tolerance, "db case \(n)")
            XCTAssertEqual(fast.input?.shape, c.input)
            assertClose(fast.input?.scalars ?? [], reference.input.scalars, tolerance: tolerance, "dx case \(n)")
        }
    }

    func testThreeByThreeStrideOneConvolutionsOverEightChannelsTakeWinograd() {
        let winograd = cases.filter { c in
            let g = Conv2DGeometry(inputShape: c.input, weightShape: c.weightShape, stride: c.stride, padding: c.padding)
            return WinogradConvolution.forward(g) != nil && WinogradConvolution.inputGradient(g) != nil
        }
        XCTAssertEqual(winograd.count, 6, "the six Winograd cases above")
        for c in winograd {
            let g = Conv2DGeometry(inputShape: c.input, weightShape: c.weightShape, stride: c.stride, padding: c.padding)
            XCTAssertNotNil(WinogradWeightGradient(g), "dW by Winograd too: \(c.input)")
        }
        let firstLayer = Conv2DGeometry(inputShape: [4, 28, 28, 1], weightShape: [3, 3, 1, 32], stride: 1, padding: .valid)
        XCTAssertNil(WinogradConvolution.forward(firstLayer), "one input channel: im2col")
    }

    /// Winograd's dW and db against the direct GEMM at the seed CNN's conv2 (9 images: blocks
    /// of 8, the last holding one) and at a same-padded odd size whose edge tiles are cut
    /// (10 images: blocks of 8 and 2).
    func testWinogradWeightGradientMatchesTheDirectGEMM() {
        for (input, weight, padding) in [([9, 13, 13, 32], [3, 3, 32, 64], Padding.valid),
                                         ([10, 11, 9, 16], [3, 3, 16, 24], Padding.same)] {
            let g = Conv2DGeometry(inputShape: input, weightShape: weight, stride: 1, padding: padding)
            guard let winograd = WinogradWeightGradient(g) else { return XCTFail("\(input) should take Winograd") }
            XCTAssertGreaterThan(winograd.blocks, 1, "several blocks are summed")
            let x = randomTensor(input, "x"), dy = randomTensor(g.outputShape, "dy")
            let fast = conv2DBackward(x, weight: randomTensor(weight, "w"), outputGradient: dy, padding: padding,
                                      computeInputGradient: false)
            let direct = directWeightAndBiasGradients(x, dy, g)
            // Both sum the same g.outputPixels products per weight, in different orders.
            let tolerance = 1e-6 * Float(g.outputPixels)
            assertClose(fast.weight.scalars, direct.0.scalars, tolerance: tolerance, "dW \(input)")
            assertClose(fast.bias.scalars, direct.1.scalars, tolerance: tolerance, "db \(input)")
            XCTAssertNotEqual(fast.weight.scalars, direct.0.scalars, "Winograd's rounding differs, so it ran")
        }
    }

    /// x = [1 2 3; 4 5 6; 7 8 9], w = [1 2; 3 4], bias 0.5: y[i,j] = 0.5 + Σ x[i+r, j+s]·w[r,s].
    func testHandComputedThreeByThreeInputTwoByTwoKernel() {
        let x = Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let w = Tensor(shape: [2, 2, 1, 1], scalars: [1, 2, 3, 4])
        let y = conv2D(x, weight: w, bias: Tensor(shape: [1], scalars: [0.5]))
        // 1·1+2·2+4·3+5·4 = 37, 2+6+15+24 = 47, 4+10+21+32 = 67, 5+12+24+36 = 77
        XCTAssertEqual(y, Tensor(shape: [1, 2, 2, 1], scalars: [37.5, 47.5, 67.5, 77.5]))

        let grads = conv2DBackward(x, weight: w, outputGradient: Tensor(shape: [1, 2, 2, 1], repeating: 1))
        // dW[r,s] = sum of the 2×2 block of x starting at (r, s); db = number of outputs.
        XCTAssertEqual(grads.weight.scalars, [12, 16, 24, 28])
        XCTAssertEqual(grads.bias.scalars, [4])
        // dx[i,j] = sum of the weights whose window covers (i, j).
        XCTAssertEqual(grads.input?.scalars, [1, 3, 2, 4, 10, 6, 3, 7, 4])
    }

    /// Same padding on a 2×2 image with a 3×3 kernel: one pixel of zeros all round.
    func testHandComputedSamePaddingSeesZerosOutside() {
        let x = Tensor(shape: [1, 2, 2, 1], scalars: [1, 2, 3, 4])
        let w = Tensor(shape: [3, 3, 1, 1], repeating: 1)
        let y = conv2D(x, weight: w, bias: Tensor(shape: [1]), padding: .same)
        XCTAssertEqual(y.scalars, [10, 10, 10, 10])
    }

    func testSkippingInputGradientStillGivesWeightGradient() {
        let x = randomTensor([2, 6, 6, 1], "x"), w = randomTensor([3, 3, 1, 4], "w")
        let dy = randomTensor([2, 4, 4, 4], "dy")
        let skipped = conv2DBackward(x, weight: w, outputGradient: dy, computeInputGradient: false)
        let full = conv2DBackward(x, weight: w, outputGradient: dy)
        XCTAssertNil(skipped.input)
        XCTAssertEqual(skipped.weight, full.weight)
        XCTAssertEqual(skipped.bias, full.bias)
    }

    /// The seed CNN's first two layers at a reduced batch; conv1's weight gradient
    /// (9×32 over 16·26·26 pixels) takes the depth-split GEMM path.
    func testForwardAndBackwardAreBitIdenticalWithOneAndTwoThreads() {
        for (input, weight) in [([16, 28, 28, 1], [3, 3, 1, 32]), ([6, 13, 13, 32], [3, 3, 32, 64])] {
            let x = randomTensor(input, "x"), w = randomTensor(weight, "w"), b = randomTensor([weight[3]], "b")
            let g = Conv2DGeometry(inputShape: input, weightShape: weight, stride: 1, padding: .valid)
            let dy = randomTensor(g.outputShape, "dy")
            let one = withThreads(1) { (conv2D(x, weight: w, bias: b), conv2DBackward(x, weight: w, outputGradient: dy)) }
            let two = withThreads(2) { (conv2D(x, weight: w, bias: b), conv2DBackward(x, weight: w, outputGradient: dy)) }
            XCTAssertEqual(one.0, two.0)
            XCTAssertEqual(one.1.weight, two.1.weight)
            XCTAssertEqual(one.1.bias, two.1.bias)
            XCTAssertEqual(one.1.input, two.1.input)
        }
    }
}
