/// How one GEMM call is cut into work, decided from the shape alone.
///
/// C is cut into blocks of `blockRows` × `blockColumns`, and the depth k into
/// `segments` contiguous ranges (more than one only when C is too small to keep
/// the cores busy and k is long, as in a weight gradient Xᵀ·dY over a batch).
/// Each segment is walked in chunks of at most `maxChunkDepth`, the depth for which
/// a 6-row A strip (chunk × 6 floats) stays in L1 while the B chunk it meets sits in L2.
/// None of these numbers depend on the thread count, so neither does any sum:
///
///     C[i,j] = start + Σ_s ( Σ_chunks ( Σ_{p in chunk} A[i,p]·B[p,j] ) )   in this order.
struct GEMMPlan {
    let m, n, k: Int
    let blockRows, blockColumns: Int
    let rowBlocks, columnBlocks: Int
    let segments: Int

    static let maxChunkDepth = 384
    /// Rows of C per block: 16 register tiles.
    static let preferredBlockRows = 96
    /// Enough blocks to give two cores several each and even out their load.
    static let targetBlocks = 8
    /// A segment shorter than this gains less from the split than its partial sum costs.
    static let minSegmentDepth = 512
    /// Products smaller than this (m·n·k) run on the calling thread alone.
    static let serialMultiplyAdds = 64 * 64 * 64
    /// Depth segments' partial sums (m·n·segments values) and B panels to pack (floats)
    /// below these sizes are handled on the calling thread: a few microseconds of adding
    /// or copying, less than a parallel region's barrier.
    static let serialSumValues = 32_768
    static let serialPackValues = 65_536
    /// Floats of B one block may cycle through per chunk (256 KB, half of L2).
    static let l2Floats = 65_536
    /// k ≥ this × m marks a deep product (Xᵀ·dY over a batch of pixels).
    static let deepRatio = 8

    /// `pairedPanels` (the AVX-512 tile, `SIMDLevel.avx512`): a block spans an even number
    /// of panels where the AVX2 plan would give it an odd number, so that the 6×32 tile
    /// runs on pairs instead of the 6×16 tile on lone panels. Only the cut of C into
    /// blocks moves; the depth segments and chunks, and so every sum, stay the AVX2 plan's.
    init(m: Int, n: Int, k: Int, pairedPanels: Bool = SIMDLevel.avx512) {
        (self.m, self.n, self.k) = (m, n, k)
        let mr = GEMMMicroKernel.rows, nr = GEMMMicroKernel.columns
        let strips = (m + mr - 1) / mr, panels = (n + nr - 1) / nr
        if k >= GEMMPlan.deepRatio * m {
            // A weight gradient: all of C in one block per depth segment, so B (long
            // and thin) streams through the caches once instead of once per row block.
            (blockRows, blockColumns, rowBlocks, columnBlocks) = (strips * mr, panels * nr, 1, 1)
            segments = min(GEMMPlan.targetBlocks, max(1, k / GEMMPlan.minSegmentDepth))
            return
        }
        // Shrink row blocks (down to 4 tiles) before splitting columns, which re-packs A.
        var stripsPerBlock = min(strips, GEMMPlan.preferredBlockRows / mr)
        while stripsPerBlock > 4 && (strips + stripsPerBlock - 1) / stripsPerBlock < GEMMPlan.targetBlocks {
            stripsPerBlock = max(4, stripsPerBlock / 2)
        }
        let rowBlocks = (strips + stripsPerBlock - 1) / stripsPerBlock
        // A strip meets every panel of its block within one chunk: keep those panels in L2.
        let chunk = GEMMPlan.chunkDepth(for: k)
        let panelsInL2 = max(1, GEMMPlan.l2Floats / (chunk * nr))
        let columnBlocks = min(panels, max(1, GEMMPlan.targetBlocks / rowBlocks, (panels + panelsInL2 - 1) / panelsInL2))
        var panelsPerBlock = (panels + columnBlocks - 1) / columnBlocks
        let blocks = rowBlocks * ((panels + panelsPerBlock - 1) / panelsPerBlock)
        segments = blocks >= GEMMPlan.targetBlocks
            ? 1 : max(1, min(GEMMPlan.targetBlocks / blocks, k / GEMMPlan.minSegmentDepth))
        if pairedPanels && panelsPerBlock % 2 == 1 && panelsPerBlock < panels { panelsPerBlock += 1 }
        blockRows = stripsPerBlock * mr
        blockColumns = panelsPerBlock * nr
        self.rowBlocks = rowBlocks
        self.columnBlocks = (panels + panelsPerBlock - 1) / panelsPerBlock
    }

    var blocksPerSegment: Int { rowBlocks * columnBlocks }
    var totalBlocks: Int { blocksPerSegment * segments }

    /// Depth range of segment `s`: k split as evenly as possible.
    func segmentDepth(_ s: Int) -> Range<Int> {
        (k * s / segments)..<(k * (s + 1) / segments)
    }

    /// Chunk length for a segment of `length`: balanced chunks of at most `maxChunkDepth`.
    static func chunkDepth(for length: Int) -> Int {
        let chunks = max(1, (length + maxChunkDepth - 1) / maxChunkDepth)
        return (length + chunks - 1) / chunks
    }

    /// Floats of one worker's A buffer: one strip over one chunk, and two more for a
    /// source that copies eight values per depth step where six are wanted.
    var aPackCount: Int { GEMMMicroKernel.rows * GEMMPlan.maxChunkDepth + 2 }
    /// Floats of the shared B pack: every 16-column panel over all of k.
    static func panelPackCount(n: Int, k: Int) -> Int {
        (n + GEMMMicroKernel.columns - 1) / GEMMMicroKernel.columns * GEMMMicroKernel.columns * k
    }
}
