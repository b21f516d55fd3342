/// A 3×3, stride-1 correlation over NHWC images by Winograd's F(4×4, 3×3)
/// (`WinogradTransforms`): 36 products per 4×4 output block where im2col needs 144,
///
///     y[b,i,j,o] = bias[o] + Σ_{r,s,c} x[b, i + r − padTop, j + s − padLeft, c] · w(r, s, c, o)
///
/// (x is zero outside the image). Per block of images: every 6×6 input tile (stride 4)
/// is transformed into V[ξ][tile][c], one GEMM per position ξ multiplies it by the
/// transformed filters U[ξ][c][o] into M[ξ][tile][o], and the output transform folds
/// M into y with the bias and an optional ReLU. V and M live in the worker's own
/// scratch (~125 KB for one 13×13×32 → 11×11×64 image), so they stay in L2.
///
/// Blocks are whole images and fixed by the shape, each writing its own outputs, so
/// the result does not depend on the thread count. The rounding differs from the
/// direct sum (the transforms scale, add and subtract before multiplying), by some
/// units in the last place of the largest term.
struct WinogradConvolution {
    let batch, height, width, inChannels, outChannels: Int
    let padTop, padLeft, outHeight, outWidth: Int

    var tileRows: Int { (outHeight + WinogradTransforms.outputs - 1) / WinogradTransforms.outputs }
    var tileColumns: Int { (outWidth + WinogradTransforms.outputs - 1) / WinogradTransforms.outputs }
    var tilesPerImage: Int { tileRows * tileColumns }

    /// The forward convolution of `g`, when Winograd pays: a 3×3 stride-1 kernel over
    /// enough channels on both sides for the 36 GEMMs (depth cin, width cout) to run
    /// at speed; a first layer's single channel does not.
    static func forward(_ g: Conv2DGeometry) -> WinogradConvolution? {
        guard eligible(g) else { return nil }
        let winograd = WinogradConvolution(batch: g.batch, height: g.height, width: g.width, inChannels: g.inChannels,
                                           outChannels: g.outChannels, padTop: g.padTop, padLeft: g.padLeft,
                                           outHeight: g.outHeight, outWidth: g.outWidth)
        return winograd.pays ? winograd : nil
    }

    /// The input gradient of `g` as a correlation of dy with the flipped filters
    /// (channels swapped): dx[i] = Σ_r dy[i + padTop − r]·w[r] = Σ_r′ dy[i − (2 − padTop) + r′]·w[2 − r′].
    static func inputGradient(_ g: Conv2DGeometry) -> WinogradConvolution? {
        guard eligible(g), g.height > 0, g.width > 0 else { return nil }
        let winograd = WinogradConvolution(batch: g.batch, height: g.outHeight, width: g.outWidth,
                                           inChannels: g.outChannels, outChannels: g.inChannels,
                                           padTop: 2 - g.padTop, padLeft: 2 - g.padLeft,
                                           outHeight: g.height, outWidth: g.width)
        return winograd.pays ? winograd : nil
    }

    /// Whether the tiles' 36 products cost well under im2col's 9 per output, at most
    /// 0.4 of them: small images waste much of their edge tiles (5×5 outputs take 4
    /// tiles, 144 products for 225), and the 36 GEMMs of a few tiles each run slower
    /// than one large one (the seed CNN's conv3, 3×3 outputs from one tile, 0.44 of
    /// im2col's products, took 1.3–1.6× as long as im2col that way).
    var pays: Bool { WinogradTransforms.positions * tilesPerImage * 5 <= 9 * outHeight * outWidth * 2 }

    private static func eligible(_ g: Conv2DGeometry) -> Bool {
        g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.outputPixels > 0
            && g.inChannels >= minimumChannels && g.outChannels >= minimumChannels
    }

    static let minimumChannels = 8

    /// Images per block: enough tiles for each GEMM to fill some 6-row strips (≥ 32 rows).
    var imagesPerBlock: Int { max(1, (Self.minimumTiles + tilesPerImage - 1) / tilesPerImage) }
    var blocks: Int { (batch + imagesPerBlock - 1) / imagesPerBlock }
    static let minimumTiles = 32

    /// y = correlation(x, filters) + bias, rectified when asked; `filters` holds
    /// U = G g Gᵀ (`transformedFilters`). `measuring` (`blocks` pieces) gets the
    /// moments of each block's outputs once they are written. With `pool` (one image's
    /// max pooling of the output), y gets each image's maxima instead: where nothing else is
    /// asked (a prediction pass) and the windows are 2×2 at stride 2, each output tile is
    /// pooled as it is formed (`transformOutputPooled`); otherwise the block's
    /// outputs go to the worker's scratch (~124 KB for 4 of conv2's images, in L2) and
    /// are pooled from there by `MaxPoolKernel.maxima(ofImage:)` (with `argmax`, by
    /// `MaxPoolKernel.pool(ofImage:)`, each winner's index counted in the batch's output),
    /// so the bits are those of the two passes. A caller that keeps the outputs too passes
    /// `convolved`: the block writes them there and pools them from there (still in L2),
    /// and `measuringPooled` (`batch · pool.outHeight` pieces) gets each pooled row's moments.
    /// `sampling` (with `pool`, for a caller that summarizes the outputs instead of keeping
    /// them, `TensorSummary`) gets the values of its runs from each block's outputs in scratch,
    /// the runs laid end to end.
    func run(input x: UnsafePointer<Float>, filters u: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
             rectify: Bool, into y: UnsafeMutablePointer<Float>, measuring moments: UnsafeMutablePointer<BlockMoments>?,
             pooledBy pool: MaxPoolKernel.Shape? = nil, argmax: UnsafeMutablePointer<Int32>? = nil,
             convolved: UnsafeMutablePointer<Float>? = nil,
             measuringPooled pooledMoments: UnsafeMutablePointer<BlockMoments>? = nil,
             sampling: SampledRunsSink? = nil) {
        precondition(sampling == nil || (pool != nil && convolved == nil), "WinogradConvolution: sampling a kept output")
        let cin = inChannels, cout = outChannels, positions = WinogradTransforms.positions
        // Each U[ξ] is op(B) of one GEMM, cin × cout: read in place when cout is a
        // multiple of 16, else packed once here for every block.
        let packCount = GEMMPlan.panelPackCount(n: cout, k: cin)
        let filterPacks = UnsafeMutablePointer<Float>.allocate(capacity: positions * packCount)
        defer { filterPacks.deallocate() }
        // U[ξ]'s panels are panels[ξ·perXi ..< (ξ + 1)·perXi], borrowed in the blocks: copying an
        // array that every worker shares is a retain and release on a line they all touch.
        let panels = (0..<positions).flatMap { xi in
            GEMM.preparePanels(StridedPanelSource(base: u + xi * cin * cout, ld: cout, transposed: true, rowCount: cout),
                               n: cout, k: cin, packingInto: filterPacks + xi * packCount, WorkerPool.serial)
        }
        let perXi = panels.count / positions
        // Room for one more tile than a block has: 36 planes a multiple of 4 KiB apart (the
        // seed CNN's conv2 input gradient: 32 tiles × 64 channels) fall in one set of L1,
        // and each tile's 36 stores evicted the last's.
        let tiles = imagesPerBlock * tilesPerImage + 1
        let imageIn = height * width * cin, imageOut = outHeight * outWidth * cout
        let pooledImage = pool.map { $0.outHeight * $0.outWidth * cout } ?? 0
        let scratchCount = positions * tiles * (cin + cout) + (pool == nil || convolved != nil ? 0 : imagesPerBlock * imageOut)
        let workers = WorkerPool.shared.workers(for: blocks)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchCount)
        defer { scratch.deallocate() }
        let paddedImages = PaddedImages(self, workers: workers)
        defer { paddedImages.deallocate() }
        panels.withUnsafeBufferPointer { panels in
            WorkerPool.shared.runWithWorker(blocks: blocks) { block, worker in
                let first = block * imagesPerBlock, images = min(imagesPerBlock, batch - first)
                let count = images * tilesPerImage
                let v = scratch + worker * scratchCount, m = v + positions * tiles * cin
                let padded = paddedImages.buffer(for: worker)
                for t in 0..<images {
                    transformInput(x + (first + t) * imageIn, into: v + t * tilesPerImage * cin, tiles: tiles,
                                   padded: padded)
                }
                for xi in 0..<positions {
                    let a = StridedPanelSource(base: v + xi * tiles * cin, ld: cin, transposed: false, rowCount: count)
                    GEMM.multiply(a: a, panels: UnsafeBufferPointer(rebasing: panels[(xi * perXi)..<((xi + 1) * perXi)]),
                                  m: count, n: cout, k: cin, c: m + xi * tiles * cout, ldc: cout,
                                  start: .overwrite, WorkerPool.serial)
                }
                // A prediction pass keeps only the pooled image: each tile is pooled as it is formed.
                if let pool, argmax == nil, convolved == nil, pooledMoments == nil, moments == nil, sampling == nil,
                   poolsInTiles(pool) {
                    for t in 0..<images {
                        transformOutputPooled(m + t * tilesPerImage * cout, tiles: tiles, bias: bias, rectify: rectify,
                                              pool: pool, into: y + (first + t) * pooledImage)
                    }
                    return
                }
                // The block's outputs: y itself, the kept convolution, or the scratch after M that
                // the pooling reads.
                let out = pool == nil ? y + first * imageOut : convolved.map { $0 + first * imageOut }
                    ?? m + positions * tiles * cout
                for t in 0..<images {
                    transformOutput(m + t * tilesPerImage * cout, tiles: tiles, bias: bias, rectify: rectify,
                                    into: out + t * imageOut)
                }
                if let pool {
                    for t in 0..<images {
                        let (image, pooled) = (out + t * imageOut, y + (first + t) * pooledImage)
                        if let argmax {
                            MaxPoolKernel.pool(ofImage: image, pooled, argmax + (first + t) * pooledImage, pool,
                                               first: (first + t) * imageOut)
                        } else {
                            MaxPoolKernel.maxima(ofImage: image, pooled, pool)
                        }
                        guard let pooledMoments else { continue }
                        let row = pool.outWidth * cout, rows = (first + t) * pool.outHeight
                        for i in 0..<pool.outHeight {
                            pooledMoments[rows + i] = MomentsKernel.measure(pooled + i * row, count: row)
                        }
                    }
                }
                moments?[block] = MomentsKernel.measure(out, count: images * imageOut)
                if let (runs, sampled) = sampling {
                    let held = (first * imageOut)..<((first + images) * imageOut)
                    for s in runs.runs(overlapping: held) {
                        runs.copy(s, from: out, holding: held, into: sampled)
                    }
                }
            }
        }
    }

}

extension WinogradConvolution {
    /// U[ξ][c][o] = (G g Gᵀ)[ξ] for the filter g = w(·, ·, c, o), w read from a Keras weight
    /// `[3, 3, cin, cout]`; `flipped` reads it as the input gradient's filter instead,
    /// w′(r, s, c′, o′) = w[2 − r, 2 − s, o′, c′], first copied into that layout. Eight
    /// output channels per vector: the scalar loop over 2·32·64 filters had taken 1.6 %
    /// of a training step, on the training thread alone (no parallel region of its own:
    /// the step keeps few, `ParallelRegionTests`).
    func transformedFilters(_ w: UnsafePointer<Float>, flipped: Bool) -> [Float] {
        let cin = inChannels, cout = outChannels
        let count = WinogradTransforms.positions * cin * cout
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            let u = buffer.baseAddress!
            if flipped {
                // w′[t][c][o] = w[8 − t][o][c]: a transpose of each tap's cout × cin block.
                let straight = UnsafeMutablePointer<Float>.allocate(capacity: 9 * cin * cout)
                defer { straight.deallocate() }
                for t in 0..<9 {
                    let from = w + (8 - t) * cout * cin, to = straight + t * cin * cout
                    for o in 0..<cout {
                        for c in 0..<cin { to[c &* cout &+ o] = from[o &* cin &+ c] }
                    }
                }
                transformFilters(straight, into: u)
            } else {
                transformFilters(w, into: u)
            }
            initialized = count
        }
    }

    /// g_t = w[t·cin·cout + c·cout + o]: eight output channels o per vector, lane by lane
    /// the arithmetic of the scalar transform (so the same bits).
    private func transformFilters(_ w: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let cin = inChannels, cout = outChannels
        for c in 0..<cin {
            var o = 0
            while o + 8 <= cout {
                let at = c &* cout &+ o
                WinogradTransforms.filters({ t in UnsafeRawPointer(w + (t &* cin &* cout &+ at)).loadUnaligned(as: Vector.self) },
                                           { xi, value in UnsafeMutableRawPointer(u + (xi &* cin &* cout &+ at)).storeBytes(of: value, as: Vector.self) })
                o += 8
            }
            for o in o..<cout { transformOneFilter(u, c, o) { t in w[t * cin * cout + c * cout + o] } }
        }
    }

    /// One filter by the scalar transform: g_t = `tap(t)`, U[ξ][c][o].
    private func transformOneFilter(_ u: UnsafeMutablePointer<Float>, _ c: Int, _ o: Int, _ tap: (Int) -> Float) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 9 + WinogradTransforms.positions) { buffer in
            let g = buffer.baseAddress!, filter = g + 9
            for t in 0..<9 { g[t] = tap(t) }
            WinogradTransforms.filter(g, into: filter)
            for xi in 0..<WinogradTransforms.positions { u[(xi * inChannels + c) * outChannels + o] = filter[xi] }
        }
    }
}
