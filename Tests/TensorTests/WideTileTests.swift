import XCTest
@testable import Tensor
import TensorAVX512

/// The AVX-512 kernels give bit for bit what the AVX2 kernels give: the 6×32 GEMM tile
/// against the 6×16 tile in the GEMM on every path (transposes, accumulate, bias, ReLU,
/// depth chunks and segments, column blocks, edge tiles), in the causal band, in
/// convolutions (tap tables) and alone; GELU on sixteen lanes against eight; the
/// moments pass in zmm against ymm registers; Winograd's input and output transforms,
/// pooled or not, and the pooled first layer sixteen channels wide against eight.
/// Skipped on a CPU without AVX-512, where they never run.
final class WideTileTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(SIMDLevel.cpuHasAVX512, "this CPU has no AVX-512")
    }

    /// `body` once with the AVX2 kernels only and once with the AVX-512 kernels.
    func bothPaths<T>(_ body: () -> T) -> (narrow: T, wide: T) {
        (withSIMDPath(avx512: false, body), withSIMDPath(avx512: true, body))
    }

    func assertSameBits(_ a: [Float], _ b: [Float], _ message: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for i in 0..<min(a.count, b.count) where a[i].bitPattern != b[i].bitPattern && !(a[i].isNaN && b[i].isNaN) {
            return XCTFail("\(message): element \(i) is \(b[i]) wide, \(a[i]) narrow", file: file, line: line)
        }
    }

    func product(m: Int, n: Int, k: Int, ta: Bool, tb: Bool, accumulate: Bool, bias: Bool) -> [Float] {
        let a = randomScalars(m * k, "a\(m),\(k)"), b = randomScalars(k * n, "b\(k),\(n)")
        let bv = randomScalars(n, "bias\(n)")
        var c = randomScalars(m * n, "c\(m),\(n)")
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in bv.withUnsafeBufferPointer { pbias in
            c.withUnsafeMutableBufferPointer { pc in
                let (lda, ldb) = (ta ? m : k, tb ? k : n)
                if bias {
                    GEMM.multiply(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: lda,
                                  b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!, ldc: n, bias: pbias.baseAddress!)
                } else {
                    GEMM.multiply(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: pa.baseAddress!, lda: lda,
                                  b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!, ldc: n, accumulate: accumulate)
                }
            }
        }}}
        return c
    }

    /// Pairs of full panels, a lone last panel, a partial one; one and two depth chunks;
    /// a deep product split into segments; a wide B cut into column blocks; last strips of
    /// every height (the 2-, 4- and 6-row tiles).
    func testGEMMIsBitIdenticalWithBothPaths() {
        let shapes = [(1, 32, 1), (7, 33, 5), (6, 48, 8), (13, 64, 385), (97, 96, 64), (5, 40, 3000),
                      (37, 600, 700), (64, 256, 64), (2048, 64, 64),
                      // Column blocks of one panel in the AVX2 plan (Winograd's per-image GEMMs).
                      (36, 64, 32), (36, 32, 32), (30, 80, 600),
                      // Last strips of three and four rows (the 4-row tile), Winograd's input gradient (32 tiles).
                      (9, 64, 40), (64, 64, 24), (32, 32, 64)]
        for (m, n, k) in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                for (accumulate, bias) in [(false, false), (true, false), (false, true)] {
                    let r = bothPaths { product(m: m, n: n, k: k, ta: ta, tb: tb, accumulate: accumulate, bias: bias) }
                    assertSameBits(r.narrow, r.wide, "\(m)×\(n)×\(k) tA \(ta) tB \(tb) acc \(accumulate) bias \(bias)")
                }
            }
        }
    }

    /// Paired panels change only the cut of C: a Winograd GEMM's lone panels become
    /// pairs, the depth segments stay (they fix the order of every sum).
    func testPairedPlanJoinsLonePanelsAndKeepsTheSegments() {
        for (m, n, k) in [(36, 64, 32), (36, 32, 32), (30, 80, 600), (13, 48, 3000), (2048, 64, 64)] {
            let single = GEMMPlan(m: m, n: n, k: k, pairedPanels: false), paired = GEMMPlan(m: m, n: n, k: k, pairedPanels: true)
            XCTAssertEqual(paired.segments, single.segments, "\(m)×\(n)×\(k)")
            XCTAssertEqual(paired.blockRows, single.blockRows, "\(m)×\(n)×\(k)")
        }
        XCTAssertEqual(GEMMPlan(m: 36, n: 64, k: 32, pairedPanels: false).blockColumns, 16)
        XCTAssertEqual(GEMMPlan(m: 36, n: 64, k: 32, pairedPanels: true).blockColumns, 32)
    }

    func testCausalBandIsBitIdenticalWithBothPaths() {
        for time in [5, 13, 64, 70] {
            let q = randomScalars(time * 48, "q\(time)"), kk = randomScalars(time * 48, "k\(time)")
            let r = bothPaths { () -> [Float] in
                var s = [Float](repeating: .nan, count: time * time)
                q.withUnsafeBufferPointer { pq in kk.withUnsafeBufferPointer { pk in s.withUnsafeMutableBufferPointer { ps in
                    GEMM.multiply(band: .lowerColumns, transposeA: false, transposeB: true, m: time, n: time, k: 48,
                                  a: pq.baseAddress!, lda: 48, b: pk.baseAddress!, ldb: 48, c: ps.baseAddress!, ldc: time)
                }}}
                // Entries right of the band stay NaN on both paths; compare bits everywhere.
                return s
            }
            assertSameBits(r.narrow, r.wide, "causal S at time \(time)")
        }
    }

    /// Convolutions read A through a table of tap offsets and fuse the ReLU; Winograd's
    /// transforms run sixteen channels wide (`WideWinogradInput`, `WideWinogradOutput`),
    /// over whole and cut edge tiles.
    func testConvolutionsAreBitIdenticalWithBothTiles() {
        // Three channels (taps read in place), Winograd's 32 → 64 ('same': 13×13 outputs, 4×4
        // tiles; 'valid': the seed CNN's 11×11, and 64 → 32 for its input gradient; 10×9, whose
        // last tiles, read in place, reach two rows and three columns past the image), a
        // strided 2×2 kernel.
        for (input, weight, stride, padding) in [([4, 12, 12, 3], [3, 3, 3, 64], 1, Padding.same),
                                                 ([3, 13, 13, 32], [3, 3, 32, 64], 1, .same),
                                                 ([3, 13, 13, 32], [3, 3, 32, 64], 1, .valid),
                                                 ([3, 12, 11, 32], [3, 3, 32, 64], 1, .valid),
                                                 ([2, 9, 9, 5], [2, 2, 5, 48], 2, .same)] {
            let x = randomTensor(input, "x"), w = randomTensor(weight, "w"), b = randomTensor([weight[3]], "b")
            let g = Conv2DGeometry(inputShape: input, weightShape: weight, stride: stride, padding: padding)
            let dy = randomTensor(g.outputShape, "dy")
            let r = bothPaths {
                (conv2D(x, weight: w, bias: b, stride: stride, padding: padding, rectified: true),
                 conv2DBackward(x, weight: w, outputGradient: dy, stride: stride, padding: padding))
            }
            assertSameBits(r.narrow.0.scalars, r.wide.0.scalars, "conv \(input) forward")
            assertSameBits(r.narrow.1.weight.scalars, r.wide.1.weight.scalars, "conv \(input) weight gradient")
            assertSameBits(r.narrow.1.input!.scalars, r.wide.1.input!.scalars, "conv \(input) input gradient")
        }
    }

    /// The wide tile alone against two narrow tiles, for every count of valid rows and
    /// every write-back, A read through a depth table and B panels of different strides.
    func testWideTileEqualsTwoNarrowTiles() {
        let depth = 37, ldc = 40
        let a = randomScalars(6 * 64, "strip"), b = randomScalars(depth * 48, "panels")
        let bias = randomScalars(32, "bias"), start = randomScalars(6 * ldc, "start")
        let table = (0..<depth).map { $0 * 6 + ($0 % 3) }   // uneven depth steps
        for validRows in 1...6 {
            for mode in 0..<3 {
                var narrow = start, wide = start
                a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in bias.withUnsafeBufferPointer { pbias in
                    table.withUnsafeBufferPointer { pt in
                        let strip = GEMMStrip(base: pa.baseAddress!, rowOffsets: (0, 1, 2, 3, 4, 5), depthOffsets: pt.baseAddress!)
                        // Left panel read with stride 48 (in place), right one with stride 16.
                        let left = GEMMPanel(base: pb.baseAddress!, stride: 48)
                        let right = GEMMPanel(base: pb.baseAddress! + 16, stride: 16)
                        let writeback: GEMMMicroKernel.Writeback =
                            mode == 0 ? .overwrite : mode == 1 ? .add : .bias(pbias.baseAddress!)
                        narrow.withUnsafeMutableBufferPointer { pc in
                            for (j, panel) in [left, right].enumerated() {
                                GEMMMicroKernel.run(depth: depth, a: strip, b: panel.base, bStride: panel.stride * 4,
                                                    c: pc.baseAddress! + 16 * j, ldc: ldc, validRows: validRows,
                                                    validColumns: 16, writeback: GEMMMicroKernel.offset(writeback, by: 16 * j),
                                                    rectify: true)
                            }
                        }
                        wide.withUnsafeMutableBufferPointer { pc in
                            [left, right].withUnsafeBufferPointer { panels in
                                GEMMMicroKernel.runRow(depth: depth, a: strip, panels: panels, firstPanel: 0,
                                                       depthStart: 0, visit: 32, width: 32, c: pc.baseAddress!, ldc: ldc,
                                                       validRows: validRows, writeback: writeback, rectify: true,
                                                       wide: true)
                            }
                        }
                    }
                }}}
                assertSameBits(narrow, wide, "\(validRows) rows, write-back \(mode)")
                XCTAssertEqual(Array(wide[(validRows * ldc)...]), Array(start[(validRows * ldc)...]),
                               "rows past \(validRows) untouched")
            }
        }
    }

    /// A dense sweep over [−12, 12) and every kind of special value, 16·n + 11 long (a
    /// tail after the last group of sixteen), split into several blocks of the kernel.
    func testGELUIsBitIdenticalWithBothWidths() {
        let specials: [Float] = [0, -0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                 .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e-30, -1e-30, 100, -100, 9.5, -9.5]
        let sweep = (0..<(16 * 3_000)).map { Float($0) / 2_000 - 12 }
        let values = specials + sweep + Array(specials.prefix(11 + 16 - specials.count % 16))
        let x = Tensor(shape: [values.count], scalars: values)
        let dy = randomTensor([values.count], "dy")
        let r = bothPaths { () -> [[Float]] in
            let (y, cdf) = x.geluKeepingCDF()
            return [y.scalars, cdf.scalars, x.gelu().scalars, dy.geluGradient(input: x, cdf: cdf).scalars,
                    dy.geluGradient(input: x).scalars]
        }
        XCTAssertEqual(values.count % 16, 11)
        for (name, (narrow, wide)) in zip(["y", "Φ", "gelu()", "dx from Φ", "dx"], zip(r.narrow, r.wide)) {
            assertSameBits(narrow, wide, "GELU \(name)")
        }
    }

    /// Every length from 1 to 100 (no pair, a pair, a lone group, tails) and pieces of
    /// the kernels' sizes, of ReLU-like, signed, far-from-zero and special values: the
    /// moments (which come from the lanes' sums, min and max) agree bit for bit.
    func testMomentsAreBitIdenticalWithBothWidths() {
        let signed = randomScalars(21_632 + 37, "moments")
        let kinds: [(String, [Float])] = [
            ("signed", signed), ("ReLU-like", signed.map { max(0, $0) }), ("far from zero", signed.map { 1000 + $0 / 100 }),
            ("zeros of both signs", signed.map { $0 < 0 ? -0.0 : ($0 < 0.5 ? 0 : $0) }),
            ("NaN and ∞", signed.enumerated().map { $0 % 97 == 5 ? .nan : ($0 % 89 == 3 ? -.infinity : $1) }),
        ]
        for (name, values) in kinds {
            for count in Array(1...100) + [320, 416, 4_096, 21_632, 21_632 + 37] {
                let r = bothPaths { values.withUnsafeBufferPointer { MomentsKernel.measure($0.baseAddress!, count: count) } }
                let fields = { (m: BlockMoments) in [m.sum, m.sumOfSquares, m.squaredDeviations, Double(m.min), Double(m.max)] }
                XCTAssertEqual(r.narrow.count, r.wide.count)
                for (narrow, wide) in zip(fields(r.narrow), fields(r.wide)) where narrow.bitPattern != wide.bitPattern
                    && !(narrow.isNaN && wide.isNaN) {
                    return XCTFail("\(name), \(count) values: \(fields(r.wide)) wide, \(fields(r.narrow)) narrow")
                }
            }
        }
    }

    /// A one-channel first layer pooled in registers (`PooledFirstLayerKernel` against
    /// `WidePooledFirstLayer`): outputs and winners bit for bit, ReLU'd or not, with ties
    /// (coarse weights), windows of zeros, −0 and NaN pixels, and 32 and 48 channels.
    func testPooledFirstLayerIsBitIdenticalWithBothWidths() throws {
        for (channels, rectified) in [(32, true), (48, false), (32, false)] {
            var pixels = randomScalars(4 * 28 * 28, "wide-first-x")
            for i in stride(from: 0, to: pixels.count, by: 53) { pixels[i] = -0.0 }
            pixels[100] = .nan
            let x = Tensor(shape: [4, 28, 28, 1], scalars: pixels)
            let w = Tensor(shape: [3, 3, 1, channels],
                           scalars: randomScalars(9 * channels, "wide-first-w").map { ($0 * 2).rounded() / 2 })
            let bias = randomTensor([channels], "wide-first-b")
            let r = bothPaths {
                conv2DMaxPooledWithArgmax(x, weight: w, bias: bias, stride: 1, padding: .valid, rectified: rectified,
                                          poolSize: 2, poolStride: 2)
            }
            let (narrow, wide) = (try XCTUnwrap(r.narrow), try XCTUnwrap(r.wide))
            assertSameBits(narrow.output.scalars, wide.output.scalars, "\(channels) channels, ReLU \(rectified)")
            XCTAssertEqual(narrow.argmax, wide.argmax, "\(channels) channels, ReLU \(rectified)")
        }
    }

    /// A one-channel first layer's weight gradient formed pixel by pixel from the pooling's
    /// dy (`PooledFirstLayerWeightGradient` against `WidePooledFirstLayerGradient`): the
    /// same bits, over segments that end inside images, with −0 and NaN in dy.
    func testPooledFirstLayerWeightGradientIsBitIdenticalWithBothWidths() throws {
        let x = randomTensor([13, 28, 28, 1], "wide-first-dw-x")
        let w = Tensor(shape: [3, 3, 1, 32], scalars: randomScalars(288, "wide-first-dw-w").map { ($0 * 2).rounded() / 2 })
        let z = conv2D(x, weight: w, bias: randomTensor([32], "wide-first-dw-b"), rectified: true)
        let (pooled, argmax) = maxPool2D(z, size: 2, stride: 2)
        var values = randomScalars(pooled.count, "wide-first-dw-dy")
        for i in stride(from: 0, to: values.count, by: 11) { values[i] = -0.0 }
        values[7] = .nan
        let dy = Tensor(shape: pooled.shape, scalars: values)
        let r = bothPaths {
            conv2DWeightGradientThroughMaxPool(x, weight: w, stride: 1, padding: .valid, pooledGradient: dy,
                                               argmax: argmax, pooled: pooled, poolSize: 2, poolStride: 2,
                                               keepsRectified: false, measured: false)
        }
        let (narrow, wide) = (try XCTUnwrap(r.narrow), try XCTUnwrap(r.wide))
        assertSameBits(narrow.weight.scalars, wide.weight.scalars, "dW")
        assertSameBits(narrow.bias.scalars, wide.bias.scalars, "db")
    }
    /// Winograd's output transform pooled in registers (`WinogradConvolution.transformOutputPooled`
    /// against `WideWinogradOutput.pooledTile`): the same pooled bits, ReLU'd or not, over odd and
    /// even outputs (edge tiles with one row or column of windows), with ties (coarse
    /// weights), −0 and NaN in the input, and 32 and 64 channels out.
    func testWinogradPooledOutputIsBitIdenticalWithBothWidths() throws {
        for (side, channels, rectified) in [(13, 64, true), (14, 32, false), (13, 32, false), (10, 64, true)] {
            var pixels = randomScalars(3 * side * side * 32, "wide-wino-x\(side)")
            for i in stride(from: 0, to: pixels.count, by: 41) { pixels[i] = -0.0 }
            pixels[77] = .nan
            let x = Tensor(shape: [3, side, side, 32], scalars: pixels)
            let w = Tensor(shape: [3, 3, 32, channels],
                           scalars: randomScalars(288 * channels, "wide-wino-w").map { ($0 * 2).rounded() / 2 })
            let bias = randomTensor([channels], "wide-wino-b")
            let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: 1, padding: .valid)
            XCTAssertNotNil(WinogradConvolution.forward(g), "\(side)×\(side) takes Winograd's route")
            let r = bothPaths {
                conv2DMaxPooled(x, weight: w, bias: bias, stride: 1, padding: .valid, rectified: rectified,
                                poolSize: 2, poolStride: 2)
            }
            let (narrow, wide) = (try XCTUnwrap(r.narrow), try XCTUnwrap(r.wide))
            assertSameBits(narrow.scalars, wide.scalars, "\(side)×\(side), \(channels) channels, ReLU \(rectified)")
        }
    }
}
