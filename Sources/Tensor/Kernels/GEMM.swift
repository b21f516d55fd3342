/// Single-precision matrix multiply: C[m×n] = op(A)·op(B) (+ C when `accumulate`).
///
/// The one GEMM of the project; dense layers, convolutions (through im2col),
/// attention and recurrent gates all call it. Row-major; `transposeA` means A is
/// stored k×m, `transposeB` means B is stored n×k. It follows BLIS: op(B) is cut
/// into 16-column panels, read in place when B is stored row-major and packed once
/// otherwise (transposed, or the last, partial panel); 6-row strips of op(A) are
/// likewise read in place or packed into the worker's own buffer, and
/// `GEMMMicroKernel` multiplies strip by panel in registers (two panels at once
/// where the CPU has AVX-512, see `SIMDLevel`). Transposition lives only in the packing. Work is split over blocks
/// of C (and, for a small C with long k, over fixed depth segments) as `GEMMPlan`
/// decides from the shape, so the result is bit-identical for any thread count.
public enum GEMM {
    /// `pool` nil: all cores for a product large enough to gain from them; a caller that
    /// is itself one of several parallel blocks passes `WorkerPool.serial`.
    public static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool, pool: WorkerPool? = nil) {
        multiply(a: StridedPanelSource(base: a, ld: lda, transposed: transposeA, rowCount: m),
                 b: StridedPanelSource(base: b, ld: ldb, transposed: !transposeB, rowCount: n),
                 m: m, n: n, k: k, c: c, ldc: ldc, start: accumulate ? .add : .overwrite, pool: pool)
    }

    /// C = op(A)·op(B) + bias, the bias (n values) added to every row: a dense or
    /// convolution layer's forward pass in one sweep over C.
    public static func multiply(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int,
                                bias: UnsafePointer<Float>) {
        multiply(a: StridedPanelSource(base: a, ld: lda, transposed: transposeA, rowCount: m),
                 b: StridedPanelSource(base: b, ld: ldb, transposed: !transposeB, rowCount: n),
                 m: m, n: n, k: k, c: c, ldc: ldc, start: .bias(bias))
    }

    /// C ← start ⊕ op(A)·op(B) for operands given as strip and panel sources: `start` is
    /// `.overwrite` (C = AB), `.add` (C += AB) or `.bias(b)` (C = b + AB); `rectify`
    /// then takes max(C, 0) as each tile is written for the last time.
    ///
    /// With `measuring`, each block of C also gets its `BlockMoments` measured right
    /// after its last write, while it is in cache: only for a plan whose blocks are
    /// whole consecutive rows (`measuredPieces` says how many; nil otherwise).
    static func multiply<A: GEMMStripSource, B: GEMMPanelSource>(
        a: A, b: B, m: Int, n: Int, k: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
        start: GEMMMicroKernel.Writeback, rectify: Bool = false,
        measuring moments: UnsafeMutablePointer<BlockMoments>? = nil, pool given: WorkerPool? = nil
    ) {
        guard m > 0 && n > 0 else { return }
        // Below a few microseconds of work, waking a second thread costs more than it saves.
        let pool = given ?? (m * n * k < GEMMPlan.serialMultiplyAdds ? WorkerPool.serial : WorkerPool.shared)
        let bPack = UnsafeMutablePointer<Float>.allocate(capacity: GEMMPlan.panelPackCount(n: n, k: k))
        defer { bPack.deallocate() }
        let panels = preparePanels(b, n: n, k: k, packingInto: bPack, pool)
        multiply(a: a, panels: panels, m: m, n: n, k: k, c: c, ldc: ldc, start: start, rectify: rectify,
                 measuring: moments, pool)
    }

    /// How many pieces `measuring` fills for this shape: one per row block, when every
    /// block spans all n columns of a C stored without gaps (ldc = n) over the whole
    /// depth in one sweep; nil when C is cut otherwise.
    static func measuredPieces(m: Int, n: Int, k: Int, ldc: Int) -> Int? {
        guard m > 0, n > 0, k > 0, ldc == n else { return nil }
        // The AVX2 plan decides, so that a trace's pieces are the same on every CPU (a
        // plan of whole rows is the same with paired panels).
        let plan = GEMMPlan(m: m, n: n, k: k, pairedPanels: false)
        return plan.columnBlocks == 1 && plan.segments == 1 ? plan.rowBlocks : nil
    }

    /// The rows of C in each of those pieces (the last piece may have fewer), where
    /// `measuredPieces` has them: a kernel that writes C another way measures the same cut.
    static func measuredPieceRows(m: Int, n: Int, k: Int, ldc: Int) -> Int? {
        measuredPieces(m: m, n: n, k: k, ldc: ldc).map { _ in GEMMPlan(m: m, n: n, k: k, pairedPanels: false).blockRows }
    }

    /// The same with op(B) already prepared by `preparePanels`, on `pool`: a caller
    /// running one GEMM per image against the same B prepares it once and passes
    /// `WorkerPool.serial` from inside its own parallel blocks.
    static func multiply<A: GEMMStripSource>(
        a: A, panels: [GEMMPanel], m: Int, n: Int, k: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
        start: GEMMMicroKernel.Writeback, rectify: Bool = false,
        measuring moments: UnsafeMutablePointer<BlockMoments>? = nil, _ pool: WorkerPool
    ) {
        panels.withUnsafeBufferPointer { panels in
            multiply(a: a, panels: panels, m: m, n: n, k: k, c: c, ldc: ldc, start: start, rectify: rectify,
                     measuring: moments, pool)
        }
    }

    /// The same with the panels borrowed: a caller inside a parallel region passes its
    /// panels so, since copying an array shared by the workers (`panels[ξ]` of an array
    /// of arrays) is a retain and release on a line every worker touches.
    static func multiply<A: GEMMStripSource>(
        a: A, panels: UnsafeBufferPointer<GEMMPanel>, m: Int, n: Int, k: Int, c: UnsafeMutablePointer<Float>,
        ldc: Int, start: GEMMMicroKernel.Writeback, rectify: Bool = false,
        measuring moments: UnsafeMutablePointer<BlockMoments>? = nil, _ pool: WorkerPool
    ) {
        guard m > 0 && n > 0 else { return }
        precondition(moments == nil || measuredPieces(m: m, n: n, k: k, ldc: ldc) != nil,
                     "GEMM: C of \(m)×\(n) (k \(k)) is not cut into whole rows")
        guard k > 0 else { return fill(c, ldc: ldc, m: m, n: n, start: start, rectify: rectify) }
        let plan = GEMMPlan(m: m, n: n, k: k)
        let workers = pool.workers(for: plan.totalBlocks)
        let aPacks = UnsafeMutablePointer<Float>.allocate(capacity: plan.aPackCount * workers)
        defer { aPacks.deallocate() }
        if plan.segments == 1 {
            pool.runWithWorker(blocks: plan.totalBlocks) { block, worker in
                runBlock(block, plan, a, panels, aPacks + worker * plan.aPackCount, c, ldc, start, rectify)
                if let moments {
                    // The block's rows are consecutive in C and still in L1/L2.
                    let row0 = block * plan.blockRows, rows = min(plan.blockRows, m - row0)
                    moments[block] = MomentsKernel.measure(c + row0 * ldc, count: rows * n)
                }
            }
            return
        }
        // Each depth segment writes its own partial C; they are then added in segment order.
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: plan.segments * m * n)
        defer { partials.deallocate() }
        pool.runWithWorker(blocks: plan.totalBlocks) { block, worker in
            let s = block / plan.blocksPerSegment
            runBlock(block, plan, a, panels, aPacks + worker * plan.aPackCount,
                     partials + s * m * n, n, .overwrite, false)
        }
        // Summing a small C's segments takes less than the barrier of a region would.
        let sumPool = m * n * plan.segments < GEMMPlan.serialSumValues ? WorkerPool.serial : pool
        addPartials(partials, segments: plan.segments, m: m, n: n, into: c, ldc: ldc, start: start,
                    rectify: rectify, sumPool)
    }

    /// Where the kernel reads each 16-row panel of op(B)ᵀ over the full depth: in
    /// place when B already stores those values adjacently, else packed into
    /// bPack[(q·k + p)·16 + r] (zero-padded past n; `GEMMPlan.panelPackCount` floats).
    /// Parallel over panels.
    static func preparePanels<B: GEMMPanelSource>(
        _ b: B, n: Int, k: Int, packingInto bPack: UnsafeMutablePointer<Float>, _ pool: WorkerPool
    ) -> [GEMMPanel] {
        let nr = GEMMMicroKernel.columns
        let count = (n + nr - 1) / nr
        // One allocation, the panels themselves (a per-image GEMM prepares its B hundreds of
        // times a step); the panels to pack are listed on the stack.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { toPack in
            var packs = 0
            let panels = (0..<count).map { q in
                if let panel = b.unpackedPanel(rows: (q * nr)..<(q * nr + nr)) {
                    return GEMMPanel(base: panel.base, stride: panel.stride)
                }
                toPack[packs] = q
                packs += 1
                return GEMMPanel(base: bPack + q * k * nr, stride: nr)
            }
            // Copying a small B takes less than the barrier of a parallel region.
            let packPool = packs * nr * k < GEMMPlan.serialPackValues ? WorkerPool.serial : pool
            packPool.run(blocks: packs) { t in
                let q = toPack[t]
                b.pack(rows: (q * nr)..<(q * nr + nr), depth: 0..<k, width: nr, into: bPack + q * k * nr)
            }
            return panels
        }
    }

    /// One block of C over one depth segment (`runTile`).
    private static func runBlock<A: GEMMStripSource>(
        _ block: Int, _ plan: GEMMPlan, _ a: A, _ panels: UnsafeBufferPointer<GEMMPanel>,
        _ aPack: UnsafeMutablePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
        _ start: GEMMMicroKernel.Writeback, _ rectify: Bool
    ) {
        let s = block / plan.blocksPerSegment, inSegment = block % plan.blocksPerSegment
        let row0 = (inSegment / plan.columnBlocks) * plan.blockRows
        let col0 = (inSegment % plan.columnBlocks) * plan.blockColumns
        runTile(a, panels, rows: row0..<min(row0 + plan.blockRows, plan.m),
                columns: col0..<min(col0 + plan.blockColumns, plan.n), depth: plan.segmentDepth(s),
                aPack: aPack, c: c, ldc: ldc, start: start, rectify: rectify)
    }

    /// C[rows, columns] ← start ⊕ Σ_{p ∈ depth} A[rows, p]·B[p, columns], chunk by chunk
    /// (`GEMMPlan.chunkDepth` of the depth's length) and strip by strip: fetch the A strip
    /// (in place or packed into `aPack`, where it stays in L1) and run it against every
    /// panel. The first chunk applies `start`, later chunks add. `columns` starts on a
    /// panel. A caller that walks a deep product's segments itself (`GEMMPlan`, one block
    /// per segment) gets the sums `multiply` gets, wherever A and B of a segment lie.
    static func runTile<A: GEMMStripSource>(
        _ a: A, _ panels: UnsafeBufferPointer<GEMMPanel>, rows: Range<Int>, columns: Range<Int>, depth: Range<Int>,
        aPack: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
        start: GEMMMicroKernel.Writeback, rectify: Bool
    ) {
        let mr = GEMMMicroKernel.rows, nr = GEMMMicroKernel.columns
        let (row0, col0) = (rows.lowerBound, columns.lowerBound)
        let strips = (rows.count + mr - 1) / mr
        let chunk = GEMMPlan.chunkDepth(for: depth.count)
        var writeback = start
        let wide = SIMDLevel.avx512
        for p0 in stride(from: depth.lowerBound, to: depth.upperBound, by: chunk) {
            let kc = min(chunk, depth.upperBound - p0)
            let last = p0 + kc == depth.upperBound
            // Whole strips lying evenly in place are walked by the kernel itself (AVX-512).
            var walked = 0
            if wide, rows.count >= 2 * mr, let even = a.evenStrips(rows: rows, depth: p0..<(p0 + kc)) {
                walked = rows.count / mr
                GEMMMicroKernel.runStrips(walked, depth: kc, first: even.first, stride: even.stride, panels: panels,
                                          firstPanel: col0 / nr, depthStart: p0, visit: columns.count,
                                          width: columns.count, c: c + row0 * ldc + col0, ldc: ldc,
                                          writeback: GEMMMicroKernel.offset(writeback, by: col0),
                                          rectify: rectify && last)
            }
            for t in walked..<strips {
                let i = t * mr
                let strip = a.strip(rows: (row0 + i)..<(row0 + i + mr), depth: p0..<(p0 + kc), buffer: aPack)
                GEMMMicroKernel.runRow(depth: kc, a: strip, panels: panels, firstPanel: col0 / nr, depthStart: p0,
                                       visit: columns.count, width: columns.count, c: c + (row0 + i) * ldc + col0,
                                       ldc: ldc, validRows: min(mr, rows.count - i),
                                       writeback: GEMMMicroKernel.offset(writeback, by: col0), rectify: rectify && last,
                                       wide: wide)
            }
            writeback = .add
        }
    }

    /// C = start ⊕ P₀ + P₁ + … in segment order, parallel over rows.
    static func addPartials(_ partials: UnsafePointer<Float>, segments: Int, m: Int, n: Int,
                                    into c: UnsafeMutablePointer<Float>, ldc: Int,
                                    start: GEMMMicroKernel.Writeback, rectify: Bool, _ pool: WorkerPool) {
        pool.run(blocks: m) { i in
            let row = c + i * ldc
            for j in 0..<n {
                var sum = partials[i * n + j]
                for s in 1..<segments { sum += partials[(s * m + i) * n + j] }
                switch start {
                case .overwrite: row[j] = sum
                case .add: row[j] = sum + row[j]
                case .bias(let bias): row[j] = sum + bias[j]
                }
                if rectify && row[j] < 0 { row[j] = 0 }
            }
        }
    }

    /// C = start when k = 0 (an empty sum).
    private static func fill(_ c: UnsafeMutablePointer<Float>, ldc: Int, m: Int, n: Int,
                             start: GEMMMicroKernel.Writeback, rectify: Bool) {
        for i in 0..<m {
            switch start {
            case .overwrite: (c + i * ldc).update(repeating: 0, count: n)
            case .add: break
            case .bias(let bias): (c + i * ldc).update(from: bias, count: n)
            }
            if rectify { for j in 0..<n where c[i * ldc + j] < 0 { c[i * ldc + j] = 0 } }
        }
    }
}

/// One 16-column panel of op(B) as the micro-kernel reads it: values for depth p
/// at base[p·stride ..< p·stride + 16].
struct GEMMPanel {
    let base: UnsafePointer<Float>
    let stride: Int
}
