/// The part of one attention product that a causal mask leaves non-zero, where the
/// time steps of one sequence meet the diagonal: C is m × n, the depth k, and the
/// GEMM's register tiles are 6-row strips (rows r0 ..< r0 + 6) by 16-column panels.
///
///     lowerColumns:  C[i, j] is wanted for j ≤ i only (S = Q·Kᵀ, dP̃ = dO·Vᵀ):
///                    a strip stops after the panel holding column r0 + 5;
///     depthUpTo:     A[i, p] = 0 for p > i (O = P̃·V, dQ = dS·K):
///                    a strip's depth stops at r0 + 6;
///     depthFrom:     A[i, p] = 0 for p < i (dV = P̃ᵀ·dO, dK = dSᵀ·Q):
///                    a strip's depth starts at r0.
///
/// About half of each product is skipped, and nothing written changes value: an
/// entry is computed by the same micro-kernel over the same depth chunks as the full
/// GEMM, and what is left out is a run of products 0·b (b finite) at the start or end
/// of a chunk. The accumulator starts at +0 and is never −0 (x + (−x) and +0 + (−0)
/// round to +0), so fma(0, b, acc) = acc: the full sum steps through the same values.
enum GEMMCausalBand {
    case lowerColumns
    case depthUpTo
    case depthFrom

    /// Columns of C (from 0) and depth steps that strip `r0` needs.
    func extent(strip r0: Int, n: Int, k: Int) -> (columns: Int, depth: Range<Int>) {
        let mr = GEMMMicroKernel.rows
        switch self {
        case .lowerColumns: return (min(n, r0 + mr), 0..<k)
        case .depthUpTo: return (n, 0..<min(k, r0 + mr))
        case .depthFrom: return (n, min(k, r0)..<k)
        }
    }
}

extension GEMM {
    /// C = op(A)·op(B) over `band` only, on the calling thread (from inside one block of a
    /// parallel pass); same arguments as `multiply`, C overwritten. With `.lowerColumns`
    /// the tiles right of each strip's last column are left unwritten.
    static func multiply(band: GEMMCausalBand, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                         c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0 && n > 0 else { return }
        let plan = GEMMPlan(m: m, n: n, k: k)
        guard k > 0 && plan.segments == 1 else {
            // Depth split into partial sums (a very long k): the whole product, same values.
            return multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
                            b: b, ldb: ldb, c: c, ldc: ldc, accumulate: false, pool: .serial)
        }
        let source = StridedPanelSource(base: a, ld: lda, transposed: transposeA, rowCount: m)
        let bPack = UnsafeMutablePointer<Float>.allocate(capacity: GEMMPlan.panelPackCount(n: n, k: k))
        defer { bPack.deallocate() }
        let panels = preparePanels(StridedPanelSource(base: b, ld: ldb, transposed: !transposeB, rowCount: n),
                                   n: n, k: k, packingInto: bPack, .serial)
        let aPack = UnsafeMutablePointer<Float>.allocate(capacity: plan.aPackCount)
        defer { aPack.deallocate() }
        let wide = SIMDLevel.avx512
        panels.withUnsafeBufferPointer { panels in
            for r0 in stride(from: 0, to: m, by: GEMMMicroKernel.rows) {
                let (columns, depth) = band.extent(strip: r0, n: n, k: k)
                runStrip(r0, rows: min(GEMMMicroKernel.rows, m - r0), columns: columns, depth: depth, k: k,
                         source, panels, aPack, c, ldc: ldc, n: n, wide: wide)
            }
        }
    }

    /// One strip over `depth`, in the full product's chunks of k: the first chunk that
    /// meets `depth` overwrites C, later ones add (a chunk outside it would add 0).
    private static func runStrip(_ r0: Int, rows: Int, columns: Int, depth: Range<Int>, k: Int,
                                 _ a: StridedPanelSource, _ panels: UnsafeBufferPointer<GEMMPanel>,
                                 _ aPack: UnsafeMutablePointer<Float>, _ c: UnsafeMutablePointer<Float>, ldc: Int, n: Int,
                                 wide: Bool) {
        let mr = GEMMMicroKernel.rows, nr = GEMMMicroKernel.columns
        let chunk = GEMMPlan.chunkDepth(for: k)
        var writeback = GEMMMicroKernel.Writeback.overwrite, written = false
        for p0 in stride(from: 0, to: k, by: chunk) {
            let lo = max(p0, depth.lowerBound), hi = min(p0 + chunk, depth.upperBound)
            guard lo < hi else { continue }
            let strip = a.strip(rows: r0..<(r0 + mr), depth: lo..<hi, buffer: aPack)
            GEMMMicroKernel.runRow(depth: hi - lo, a: strip, panels: panels, firstPanel: 0, depthStart: lo,
                                   visit: columns, width: n, c: c + r0 * ldc, ldc: ldc, validRows: rows,
                                   writeback: writeback, rectify: false, wide: wide)
            writeback = .add
            written = true
        }
        if !written {
            // An empty depth range: the sum is 0.
            let width = min(n, (columns + nr - 1) / nr * nr)
            for r in 0..<rows { (c + (r0 + r) * ldc).update(repeating: 0, count: width) }
        }
    }
}
