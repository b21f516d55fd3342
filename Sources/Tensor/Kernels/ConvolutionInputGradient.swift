/// The input gradient of a convolution, dx = col2im(dY·Wᵀ), image by image.
///
/// Each image's rows of dcols = dY·Wᵀ (outHeight·outWidth × kh·kw·cin, e.g.
/// 121 × 288 floats for the seed CNN's second layer) are computed into the worker's
/// own scratch, where they are still in cache when `Im2Col.foldImage` sums them
/// into that image's gradient; the whole dcols matrix is never written to memory.
/// One block per image (or per group of small images), each owning its dx, so
/// the result does not depend on the thread count.
enum ConvolutionInputGradient {
    /// `measuring` (`blocks(g)` pieces) gets the moments of each block's dx once it is folded.
    static func compute(outputGradient dy: UnsafePointer<Float>, weight w: UnsafePointer<Float>,
                        into dx: UnsafeMutablePointer<Float>, _ g: Conv2DGeometry,
                        measuring moments: UnsafeMutablePointer<BlockMoments>? = nil) {
        let pixels = g.outHeight * g.outWidth, patch = g.patchSize, cout = g.outChannels
        // op(B) = Wᵀ, i.e. op(B)ᵀ = W read row by row: packed once for all images.
        let weightPack = UnsafeMutablePointer<Float>.allocate(capacity: GEMMPlan.panelPackCount(n: patch, k: cout))
        defer { weightPack.deallocate() }
        let panels = GEMM.preparePanels(StridedPanelSource(base: w, ld: cout, transposed: false, rowCount: patch),
                                        n: patch, k: cout, packingInto: weightPack, WorkerPool.shared)
        let imagesPerBlock = imagesPerBlock(g), blocks = blocks(g)
        let workers = WorkerPool.shared.workers(for: blocks)
        let scratchCount = imagesPerBlock * pixels * patch
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchCount)
        defer { scratch.deallocate() }
        WorkerPool.shared.runWithWorker(blocks: blocks) { block, worker in
            let first = block * imagesPerBlock, images = min(imagesPerBlock, g.batch - first)
            let dcols = scratch + worker * scratchCount
            let rows = StridedPanelSource(base: dy + first * pixels * cout, ld: cout, transposed: false,
                                          rowCount: images * pixels)
            GEMM.multiply(a: rows, panels: panels, m: images * pixels, n: patch, k: cout, c: dcols, ldc: patch,
                          start: .overwrite, WorkerPool.serial)
            let imageCount = g.height * g.width * g.inChannels
            for t in 0..<images {
                Im2Col.foldImage(dcols + t * pixels * patch, dx + (first + t) * imageCount, g)
            }
            moments?[block] = MomentsKernel.measure(dx + first * imageCount, count: images * imageCount)
        }
    }

    /// Small images are grouped so that each GEMM still has some 64 rows.
    static func imagesPerBlock(_ g: Conv2DGeometry) -> Int {
        (minimumRows + g.outHeight * g.outWidth - 1) / (g.outHeight * g.outWidth)
    }

    static func blocks(_ g: Conv2DGeometry) -> Int { (g.batch + imagesPerBlock(g) - 1) / imagesPerBlock(g) }

    static let minimumRows = 64
}
