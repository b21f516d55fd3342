import XCTest
@testable import Tensor

/// The banded products of causal attention give bit for bit what the full GEMM gives
/// wherever the band says C is wanted, on sizes around the 6-row strip, the 16-column
/// panel and the 384-deep chunk (400 steps: two chunks of 200).
final class GEMMCausalBandTests: XCTestCase {
    let times = [1, 5, 7, 13, 64, 70, 400]
    let size = 16

    /// A time × time matrix of weights under a causal mask: P[i, j] = 0 for j > i.
    func lowerTriangle(_ time: Int, _ name: String) -> [Float] {
        var a = randomScalars(time * time, name)
        for i in 0..<time { for j in (i + 1)..<max(i + 1, time) { a[i * time + j] = 0 } }
        return a
    }

    /// C of the band and of the full GEMM (C starts as NaN, so unwritten entries show).
    func products(_ band: GEMMCausalBand, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                  a: [Float], lda: Int, b: [Float], ldb: Int) -> (band: [Float], full: [Float]) {
        var banded = [Float](repeating: .nan, count: m * n), full = banded
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in
            banded.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(band: band, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!, ldc: n)
            }
            full.withUnsafeMutableBufferPointer { pc in
                GEMM.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                              a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, c: pc.baseAddress!, ldc: n,
                              accumulate: false, pool: .serial)
            }
        }}
        return (banded, full)
    }

    func assertSameBits(_ banded: [Float], _ full: [Float], wanted: (Int, Int) -> Bool, n: Int, _ message: String) {
        for e in 0..<full.count where wanted(e / n, e % n) && banded[e].bitPattern != full[e].bitPattern {
            return XCTFail("\(message): C[\(e / n), \(e % n)] = \(banded[e]), full GEMM \(full[e])")
        }
    }

    /// S = Q·Kᵀ: every entry on and left of the diagonal.
    func testLowerColumnsMatchTheFullProductOnAndBelowTheDiagonal() {
        for time in times {
            let q = randomScalars(time * size, "q\(time)"), k = randomScalars(time * size, "k\(time)")
            let (banded, full) = products(.lowerColumns, transposeA: false, transposeB: true, m: time, n: time,
                                          k: size, a: q, lda: size, b: k, ldb: size)
            assertSameBits(banded, full, wanted: { i, j in j <= i }, n: time, "Q·Kᵀ, time \(time)")
        }
    }

    /// O = P·V with P zero right of the diagonal: every entry.
    func testDepthUpToMatchesTheFullProduct() {
        for time in times {
            let p = lowerTriangle(time, "p\(time)"), v = randomScalars(time * size, "v\(time)")
            let (banded, full) = products(.depthUpTo, transposeA: false, transposeB: false, m: time, n: size,
                                          k: time, a: p, lda: time, b: v, ldb: size)
            assertSameBits(banded, full, wanted: { _, _ in true }, n: size, "P·V, time \(time)")
        }
    }

    /// dV = Pᵀ·dO with P stored (zero right of its diagonal) and read transposed: every entry.
    func testDepthFromMatchesTheFullProduct() {
        for time in times {
            let p = lowerTriangle(time, "p\(time)"), g = randomScalars(time * size, "g\(time)")
            let (banded, full) = products(.depthFrom, transposeA: true, transposeB: false, m: time, n: size,
                                          k: time, a: p, lda: time, b: g, ldb: size)
            assertSameBits(banded, full, wanted: { _, _ in true }, n: size, "Pᵀ·dO, time \(time)")
        }
    }
}
