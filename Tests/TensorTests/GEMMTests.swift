import XCTest
@testable import Tensor

/// The packed SIMD GEMM against `ReferenceKernels.gemm` (double-precision sums).
final class GEMMTests: XCTestCase {
    /// Shapes around the 6×16 register tile, the 384-deep chunk, the depth split, and
    /// a wide B (column blocks; a leading dimension too long to read B in place).
    let shapes: [(m: Int, n: Int, k: Int)] = [
        (1, 1, 1), (7, 13, 5), (6, 16, 8), (5, 17, 385), (13, 33, 7), (97, 31, 770), (12, 48, 3),
        (37, 600, 700),
    ]

    /// Runs the fast GEMM and the reference on the same random operands stored with
    /// leading dimensions `pad` wider than needed; returns (fast C, reference C).
    func compare(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, pad: Int = 0,
                 accumulate: Bool = false) -> ([Float], [Float]) {
        let (ra, ca) = transposeA ? (k, m) : (m, k)
        let (rb, cb) = transposeB ? (n, k) : (k, n)
        let lda = ca + pad, ldb = cb + pad, ldc = n + pad
        let a = randomScalars(ra * lda, "a\(m)\(n)\(k)"), b = randomScalars(rb * ldb, "b\(m)\(n)\(k)")
        var fast = randomScalars(m * ldc, "c\(m)\(n)\(k)")
        var reference = fast
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in fast.withUnsafeMutableBufferPointer { pc in
            GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb,
                          c: pc.baseAddress!, ldc: ldc, accumulate: accumulate)
        }}}
        ReferenceKernels.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              a: a, lda: lda, b: b, ldb: ldb, c: &reference, ldc: ldc, accumulate: accumulate)
        return (fast, reference)
    }

    func tolerance(_ k: Int) -> Float { 2e-6 * Float(k) + 1e-6 }

    func testEveryTransposeMatchesReferenceOnOddSizes() {
        for s in shapes {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let (fast, reference) = compare(m: s.m, n: s.n, k: s.k, transposeA: ta, transposeB: tb)
                assertClose(fast, reference, tolerance: tolerance(s.k), "\(s) tA \(ta) tB \(tb)")
            }
        }
    }

    func testAccumulateAddsTheProductToC() {
        for s in shapes {
            let (fast, reference) = compare(m: s.m, n: s.n, k: s.k, transposeA: false, transposeB: true,
                                            accumulate: true)
            assertClose(fast, reference, tolerance: tolerance(s.k) + 1e-6, "\(s)")
        }
    }

    /// Wider leading dimensions: the padding columns of C must stay untouched.
    func testStridedOperandsLeaveCPaddingUntouched() {
        let (m, n, k, pad) = (23, 21, 40, 5)
        for (ta, tb) in [(false, false), (true, true)] {
            let (fast, reference) = compare(m: m, n: n, k: k, transposeA: ta, transposeB: tb, pad: pad)
            assertClose(fast, reference, tolerance: tolerance(k))
            let original = randomScalars(m * (n + pad), "c\(m)\(n)\(k)")
            for i in 0..<m { for j in n..<(n + pad) {
                XCTAssertEqual(fast[i * (n + pad) + j], original[i * (n + pad) + j])
            }}
        }
    }

    /// A small C with a long depth is split into depth segments summed afterwards.
    func testLongDepthSplitMatchesReference() {
        XCTAssertGreaterThan(GEMMPlan(m: 9, n: 32, k: 6000).segments, 1)
        for accumulate in [false, true] {
            let (fast, reference) = compare(m: 9, n: 32, k: 6000, transposeA: true, transposeB: false,
                                            accumulate: accumulate)
            assertClose(fast, reference, tolerance: tolerance(6000))
        }
    }

    func testEmptyDepthClearsOrKeepsC() {
        var c = Tensor(shape: [2, 3], repeating: 7)
        matmul(Tensor(shape: [2, 0]), Tensor(shape: [0, 3]), into: &c, accumulate: true)
        XCTAssertEqual(c.scalars, [Float](repeating: 7, count: 6))
        XCTAssertEqual(matmul(Tensor(shape: [2, 0]), Tensor(shape: [0, 3])).scalars, [Float](repeating: 0, count: 6))
    }

    func testHandComputedProductWithBiasRow() {
        // [1 2; 3 4]·[5 6; 7 8] = [19 22; 43 50], plus bias (10, 20) on every row.
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8], bias: [Float] = [10, 20]
        var c = [Float](repeating: -1, count: 4)
        GEMM.multiply(transposeA: false, transposeB: false, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2,
                      c: &c, ldc: 2, bias: bias)
        XCTAssertEqual(c, [29, 42, 53, 70])
    }

    func testOneAndTwoThreadsGiveBitIdenticalResults() {
        let cases: [(Int, Int, Int, Bool, Bool)] = [
            (300, 64, 400, false, false), (288, 64, 3000, true, false), (9, 32, 6000, true, false),
            (500, 288, 64, false, true), (64, 10, 64, false, false), (100, 600, 700, false, false),
        ]
        for (m, n, k, ta, tb) in cases {
            let a = randomTensor(ta ? [k, m] : [m, k], "a"), b = randomTensor(tb ? [n, k] : [k, n], "b")
            let one = withThreads(1) { matmul(a, b, transposeA: ta, transposeB: tb) }
            let two = withThreads(2) { matmul(a, b, transposeA: ta, transposeB: tb) }
            XCTAssertEqual(one.scalars, two.scalars, "\(m)×\(n)×\(k)")
        }
    }

    /// A source that lets the kernel walk its strips (`evenStrips`) must place strip t exactly
    /// where `strip` puts it, in both in-place layouts; a transposed view too far apart is
    /// packed strip by strip, so it offers none.
    func testEvenStripsAreTheStripsOneByOne() {
        let values = randomScalars(60 * 700, "even strips")
        values.withUnsafeBufferPointer { pv in
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 6 * 700)
            defer { buffer.deallocate() }
            for (ld, transposed) in [(40, false), (60, true), (700, true)] {
                let source = StridedPanelSource(base: pv.baseAddress!, ld: ld, transposed: transposed, rowCount: 40)
                let (rows, depth) = (3..<27, 5..<17)
                guard let even = source.evenStrips(rows: rows, depth: depth) else {
                    XCTAssertGreaterThan(ld, StridedPanelSource.maxInPlaceStride, "ld \(ld) transposed \(transposed)")
                    continue
                }
                XCTAssertLessThanOrEqual(ld, StridedPanelSource.maxInPlaceStride)
                for t in 0..<(rows.count / GEMMMicroKernel.rows) {
                    let row0 = rows.lowerBound + t * GEMMMicroKernel.rows
                    let one = source.strip(rows: row0..<(row0 + GEMMMicroKernel.rows), depth: depth, buffer: buffer)
                    let walked = GEMMStrip(moving: even.first, by: t * even.stride)
                    for r in 0..<GEMMMicroKernel.rows {
                        for p in 0..<depth.count {
                            let a = one.base + one.rowByteOffset(r, validRows: 6) / 4 + p * one.depthStride
                            let b = walked.base + walked.rowByteOffset(r, validRows: 6) / 4 + p * walked.depthStride
                            XCTAssertEqual(a, b, "ld \(ld) transposed \(transposed): strip \(t) row \(r) depth \(p)")
                        }
                    }
                }
            }
        }
    }
}
