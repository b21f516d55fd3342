/// dL/dW and dL/db of a 3×3, stride-1 convolution by Winograd's F(3×3, 2×2), the
/// transpose of the forward pass's F(2×2, 3×3) (Lavin & Gray, 2015):
///
///     dW[r,s,c,o] = Σ_{b,i,j} x[b, i + r − padTop, j + s − padLeft, c] · dy[b,i,j,o]
///
/// Cut dy into the forward pass's 2×2 output tiles e_t; each meets the same 4×4 input
/// tile d_t as there, and its share of dW is a 3×3 correlation of d_t with e_t,
///
///     dW_t = A₃ᵀ [ (G₂ e_t G₂ᵀ) ⊙ (Bᵀ d_t B) ] A₃,
///
/// with the forward pass's Bᵀ (so `transformInput` serves as it is) and
/// G₂ = [1 0; ½ ½; ½ −½; 0 1], A₃ᵀ = [1 1 1 0; 0 1 −1 0; 0 1 1 −1]. Summed over tiles
/// before the output transform, the ⊙ becomes one GEMM per position ξ,
/// Mᵀ[ξ] (cout × cin) = E[ξ]ᵀ·V[ξ], k = tiles deep: 16 products per tile where
/// im2col's GEMM takes 9 per output pixel (4 pixels a tile), about 1.9× fewer for the
/// seed CNN's conv2 once the padded edge tiles are counted.
///
/// Blocks are runs of whole images, fixed by the shape: each transforms its tiles into
/// the worker's scratch (V and E of 4 images of the seed CNN, ~0.9 MB, stay in L2)
/// and writes its own partial M and column sums of dy; the partials are then added in
/// block order, so the result does not depend on the thread count. (Per-image GEMMs
/// only 36 tiles deep were measured slower than the im2col GEMM; a block's 144 are not.)
struct WinogradWeightGradient {
    /// The forward convolution's tiling, whose input tiles these are.
    let tiling: WinogradConvolution

    /// The weight gradient of `g`, where its forward pass takes Winograd (the same
    /// tiles, so the same test of whether they pay).
    init?(_ g: Conv2DGeometry) {
        guard let forward = WinogradConvolution.forward(g) else { return nil }
        tiling = forward
    }

    /// Tiles a block's GEMMs are deep: enough that each of its 16 products runs at the
    /// GEMM's speed, few enough that the block's V and E stay in L2.
    static let minimumTiles = 128

    var imagesPerBlock: Int { max(1, (Self.minimumTiles + tiling.tilesPerImage - 1) / tiling.tilesPerImage) }
    var blocks: Int { (tiling.batch + imagesPerBlock - 1) / imagesPerBlock }

    /// dW (`[3, 3, cin, cout]`, Keras's layout) and db (`[cout]`) for input x and dy = dL/dy.
    func run(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
             weightGradient dw: UnsafeMutablePointer<Float>, biasGradient db: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels
        let products = 16 * cout * cin, partialCount = products + cout
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: blocks * partialCount)
        defer { partials.deallocate() }
        // Room for one more tile than a block has: the 16 planes of E, 144 tiles × 64
        // channels each, would lie a multiple of 4 KiB apart and all fall in one set of L1.
        let tiles = imagesPerBlock * tiling.tilesPerImage + 1
        let scratchCount = 16 * tiles * (cin + cout)
        let workers = WorkerPool.shared.workers(for: blocks)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchCount)
        defer { scratch.deallocate() }
        WorkerPool.shared.runWithWorker(blocks: blocks) { block, worker in
            let v = scratch + worker * scratchCount, e = v + 16 * tiles * cin
            runBlock(block, x, dy, v: v, e: e, tiles: tiles, into: partials + block * partialCount)
        }
        // Σ over blocks in block order, a slice of positions per parallel block.
        let slices = 16
        let sliceLength = (partialCount + slices - 1) / slices
        WorkerPool.shared.run(blocks: slices) { s in
            let start = s * sliceLength, count = min(sliceLength, partialCount - start)
            guard count > 0 else { return }
            for b in 1..<max(1, blocks) {
                VectorAccumulate.add(partials + start, partials + b * partialCount + start, count: count)
            }
        }
        foldProducts(partials, into: dw)
        db.update(from: partials + products, count: cout)
    }

    /// One block's Mᵀ[ξ] = E[ξ]ᵀ·V[ξ] (16 × cout × cin) and Σ dy over its pixels (cout),
    /// written to `partial`.
    private func runBlock(_ block: Int, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                          v: UnsafeMutablePointer<Float>, e: UnsafeMutablePointer<Float>, tiles: Int,
                          into partial: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels, perImage = tiling.tilesPerImage
        let imageIn = tiling.height * tiling.width * cin, pixels = tiling.outHeight * tiling.outWidth
        let first = block * imagesPerBlock, images = min(imagesPerBlock, tiling.batch - first)
        let bias = partial + 16 * cout * cin
        bias.initialize(repeating: 0, count: cout)
        for t in 0..<images {
            let image = dy + (first + t) * pixels * cout
            tiling.transformInput(x + (first + t) * imageIn, into: v + t * perImage * cin, tiles: tiles)
            transformGradient(image, into: e + t * perImage * cout, tiles: tiles)
            // db = Σ over pixels of dy, pixel rows in order.
            for p in 0..<pixels { VectorAccumulate.add(bias, image + p * cout, count: cout) }
        }
        let count = images * perImage
        for xi in 0..<16 {
            GEMM.multiply(a: StridedPanelSource(base: e + xi * tiles * cout, ld: cout, transposed: true, rowCount: cout),
                          b: StridedPanelSource(base: v + xi * tiles * cin, ld: cin, transposed: true, rowCount: cin),
                          m: cout, n: cin, k: count, c: partial + xi * cout * cin, ldc: cin, start: .overwrite,
                          pool: WorkerPool.serial)
        }
    }

    /// E[ξ][t][o] = (G₂ e_t G₂ᵀ)[ξ] for every tile t of one image's dy, e_t the 2×2 block
    /// at (2·ty, 2·tx), zero past the last row or column (an odd size): read in place
    /// where the block and eight channels are whole, else through a zero-filled patch.
    private func transformGradient(_ dy: UnsafePointer<Float>, into e: UnsafeMutablePointer<Float>, tiles: Int) {
        let cout = tiling.outChannels, width = tiling.outWidth, plane = tiles &* cout
        // The patch: e[i][j] at patch + (2·i + j)·8; its 16 transformed values after them.
        let patch = UnsafeMutablePointer<Float>.allocate(capacity: (4 + 16) * 8)
        defer { patch.deallocate() }
        let transformed = patch + 4 * 8
        for ty in 0..<tiling.tileRows {
            let rows = min(2, tiling.outHeight - 2 * ty)
            for tx in 0..<tiling.tileColumns {
                let columns = min(2, width - 2 * tx)
                let corner = dy + ((2 &* ty) &* width &+ 2 &* tx) &* cout
                let out = e + (ty &* tiling.tileColumns &+ tx) &* cout
                for o in stride(from: 0, to: cout, by: 8) {
                    if rows == 2 && columns == 2 && o + 8 <= cout {
                        WinogradTransforms.gradient(corner + o, rowStride: width &* cout, columnStride: cout,
                                                    into: out + o, plane: plane)
                        continue
                    }
                    let lanes = min(8, cout - o)
                    for i in 0..<2 {
                        for j in 0..<2 {
                            let value = i < rows && j < columns
                                ? WinogradConvolution.load(corner + ((i &* width &+ j) &* cout &+ o), lanes) : .zero
                            WinogradConvolution.store(value, patch + ((2 &* i &+ j) &* 8), 8)
                        }
                    }
                    // Eight whole channels go straight to the planes (a cut tile of conv2's 11×11 dy:
                    // 11 of its 36); a short group through `transformed`, `lanes` of each kept.
                    if lanes == 8 {
                        WinogradTransforms.gradient(patch, rowStride: 16, columnStride: 8, into: out + o, plane: plane)
                        continue
                    }
                    WinogradTransforms.gradient(patch, rowStride: 16, columnStride: 8, into: transformed, plane: 8)
                    for xi in 0..<16 { (out + xi * plane + o).update(from: transformed + xi * 8, count: lanes) }
                }
            }
        }
    }

    /// dW[r,s,c,o] = (A₃ᵀ M A₃)[r,s] from the summed Mᵀ[ξ][o][c].
    private func foldProducts(_ m: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels, plane = cout * cin
        for o in 0..<cout {
            for c in 0..<cin {
                let at = m + o * cin + c
                @inline(__always) func value(_ xi: Int) -> Float { at[xi * plane] }
                // t = A₃ᵀ M (3×4), column by column; then each row times A₃.
                @inline(__always) func column(_ j: Int) -> (Float, Float, Float) {
                    WinogradTransforms.collapse(value(j), value(4 + j), value(8 + j), value(12 + j))
                }
                let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
                @inline(__always) func write(_ r: Int, _ row: (Float, Float, Float)) {
                    let out = dw + (r * 3 * cin + c) * cout + o
                    (out[0], out[cin * cout], out[2 * cin * cout]) = row
                }
                write(0, WinogradTransforms.collapse(c0.0, c1.0, c2.0, c3.0))
                write(1, WinogradTransforms.collapse(c0.1, c1.1, c2.1, c3.1))
                write(2, WinogradTransforms.collapse(c0.2, c1.2, c2.2, c3.2))
            }
        }
    }
}
