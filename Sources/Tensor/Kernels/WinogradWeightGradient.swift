import TensorAVX512

/// dL/dW and dL/db of a 3×3, stride-1 convolution by Winograd's F(3×3, 4×4), the
/// transpose of the forward pass's F(4×4, 3×3) (Lavin & Gray, 2015):
///
///     dW[r,s,c,o] = Σ_{b,i,j} x[b, i + r − padTop, j + s − padLeft, c] · dy[b,i,j,o]
///
/// Cut dy into the forward pass's 4×4 output tiles e_t; each meets the same 6×6 input
/// tile d_t as there, and its share of dW is a 3×3 correlation of d_t with e_t. The
/// forward pass's algebra gives the trilinear form
/// Σ_{i,j} e[i,j]·(d ⋆ g)[i,j] = Σ_ξ (A e Aᵀ)[ξ]·(G g Gᵀ)[ξ]·(Bᵀ d B)[ξ]; its
/// derivative in g is
///
///     dW_t = Gᵀ [ (A e_t Aᵀ) ⊙ (Bᵀ d_t B) ] G,
///
/// with the forward pass's Bᵀ (so `transformInput` serves as it is), its A and its G
/// (`WinogradTransforms`). Summed over tiles before the output transform, the ⊙
/// becomes one GEMM per position ξ, Mᵀ[ξ] (cout × cin) = E[ξ]ᵀ·V[ξ], k = tiles deep:
/// 36 products per tile where im2col's GEMM takes 9 per output pixel (16 pixels a
/// tile), about 3.4× fewer for the seed CNN's conv2 once the padded edge tiles are counted.
///
/// Blocks are runs of whole images, fixed by the shape: each transforms its tiles into
/// the worker's scratch (V and E of 8 images of the seed CNN, ~1 MB, stay in L2)
/// and writes its own partial M and column sums of dy; the partials are then added in
/// block order, so the result does not depend on the thread count. (Per-image GEMMs
/// only a few tiles deep run far below the GEMM's speed; a block's 72 do not.)
struct WinogradWeightGradient {
    typealias Vector = WinogradTransforms.Vector

    /// The forward convolution's tiling, whose input tiles these are.
    let tiling: WinogradConvolution

    /// The weight gradient of `g`, where its forward pass takes Winograd (the same
    /// tiles, so the same test of whether they pay).
    init?(_ g: Conv2DGeometry) {
        guard let forward = WinogradConvolution.forward(g) else { return nil }
        tiling = forward
    }

    /// Tiles a block's GEMMs are deep: enough that each of its 36 products runs at the
    /// GEMM's speed, few enough that the block's V and E stay in L2.
    static let minimumTiles = 64

    var imagesPerBlock: Int { max(1, (Self.minimumTiles + tiling.tilesPerImage - 1) / tiling.tilesPerImage) }
    var blocks: Int { (tiling.batch + imagesPerBlock - 1) / imagesPerBlock }

    /// dW (`[3, 3, cin, cout]`, Keras's layout) and db (`[cout]`) for input x and dy = dL/dy.
    func run(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
             weightGradient dw: UnsafeMutablePointer<Float>, biasGradient db: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels, positions = WinogradTransforms.positions
        let products = positions * cout * cin, partialCount = products + cout
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: blocks * partialCount)
        defer { partials.deallocate() }
        // Room for one more tile than a block has: planes of E a multiple of 4 KiB apart
        // (with 2×2 tiles, 144 tiles × 64 channels) would all fall in one set of L1.
        let tiles = imagesPerBlock * tiling.tilesPerImage + 1
        let scratchCount = positions * tiles * (cin + cout)
        let workers = WorkerPool.shared.workers(for: blocks)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchCount)
        defer { scratch.deallocate() }
        let paddedImages = WinogradConvolution.PaddedImages(tiling, workers: workers)
        defer { paddedImages.deallocate() }
        WorkerPool.shared.runWithWorker(blocks: blocks) { block, worker in
            let v = scratch + worker * scratchCount, e = v + positions * tiles * cin
            runBlock(block, x, dy, v: v, e: e, tiles: tiles, padded: paddedImages.buffer(for: worker),
                     into: partials + block * partialCount)
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

    /// One block's Mᵀ[ξ] = E[ξ]ᵀ·V[ξ] (36 × cout × cin) and Σ dy over its pixels (cout),
    /// written to `partial`.
    private func runBlock(_ block: Int, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                          v: UnsafeMutablePointer<Float>, e: UnsafeMutablePointer<Float>, tiles: Int,
                          padded: UnsafeMutablePointer<Float>, into partial: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels, perImage = tiling.tilesPerImage
        let imageIn = tiling.height * tiling.width * cin, pixels = tiling.outHeight * tiling.outWidth
        let first = block * imagesPerBlock, images = min(imagesPerBlock, tiling.batch - first)
        let bias = partial + WinogradTransforms.positions * cout * cin
        bias.initialize(repeating: 0, count: cout)
        for t in 0..<images {
            let image = dy + (first + t) * pixels * cout
            tiling.transformInput(x + (first + t) * imageIn, into: v + t * perImage * cin, tiles: tiles, padded: padded)
            transformGradient(image, into: e + t * perImage * cout, tiles: tiles)
            // db = Σ over pixels of dy, pixel rows in order.
            for p in 0..<pixels { VectorAccumulate.add(bias, image + p * cout, count: cout) }
        }
        let count = images * perImage
        for xi in 0..<WinogradTransforms.positions {
            GEMM.multiply(a: StridedPanelSource(base: e + xi * tiles * cout, ld: cout, transposed: true, rowCount: cout),
                          b: StridedPanelSource(base: v + xi * tiles * cin, ld: cin, transposed: true, rowCount: cin),
                          m: cout, n: cin, k: count, c: partial + xi * cout * cin, ldc: cin, start: .overwrite,
                          pool: WorkerPool.serial)
        }
    }

    /// E[ξ][t][o] = (A e_t Aᵀ)[ξ] for every tile t of one image's dy, e_t the 4×4 block
    /// at (4·ty, 4·tx), zero past the last row or column (a size not a multiple of 4):
    /// read in place where the block and eight channels are whole, else through a
    /// zero-filled patch.
    private func transformGradient(_ dy: UnsafePointer<Float>, into e: UnsafeMutablePointer<Float>, tiles: Int) {
        let cout = tiling.outChannels, width = tiling.outWidth, plane = tiles &* cout
        let step = WinogradTransforms.outputs, positions = WinogradTransforms.positions
        // The patch: e[i][j] at patch + (4·i + j)·8; its 36 transformed values after them.
        let patch = UnsafeMutablePointer<Float>.allocate(capacity: (16 + positions) * 8)
        defer { patch.deallocate() }
        let transformed = patch + 16 * 8
        // Sixteen channels at a time on AVX-512 (`WideWinogradGradient`), a cut block through a
        // zero-padded patch of all its channels: e[i][j][o] at widePatch + (4·i + j)·cout.
        let wide = WinogradConvolution.runsWide(cout)
        let widePatch = UnsafeMutablePointer<Float>.allocate(capacity: wide ? step * step * cout : 0)
        defer { widePatch.deallocate() }
        for ty in 0..<tiling.tileRows {
            let rows = min(step, tiling.outHeight - step * ty)
            for tx in 0..<tiling.tileColumns {
                let columns = min(step, width - step * tx)
                let corner = dy + ((step &* ty) &* width &+ step &* tx) &* cout
                let out = e + (ty &* tiling.tileColumns &+ tx) &* cout
                if wide {
                    let whole = rows == step && columns == step
                    if !whole {
                        widePatch.initialize(repeating: 0, count: step * step * cout)
                        for i in 0..<rows {
                            (widePatch + step &* i &* cout).update(from: corner + i &* width &* cout, count: columns &* cout)
                        }
                    }
                    WideWinogradGradient.tile(whole ? corner : UnsafePointer(widePatch),
                                              rowStride: (whole ? width : step) &* cout, columnStride: cout,
                                              channels: cout, into: out, plane: plane)
                    continue
                }
                for o in stride(from: 0, to: cout, by: 8) {
                    if rows == step && columns == step && o + 8 <= cout {
                        WinogradTransforms.gradient(corner + o, rowStride: width &* cout, columnStride: cout,
                                                    into: out + o, plane: plane)
                        continue
                    }
                    let lanes = min(8, cout - o)
                    for i in 0..<step {
                        for j in 0..<step {
                            let value = i < rows && j < columns
                                ? WinogradConvolution.load(corner + ((i &* width &+ j) &* cout &+ o), lanes) : .zero
                            WinogradConvolution.store(value, patch + ((step &* i &+ j) &* 8), 8)
                        }
                    }
                    // Eight whole channels go straight to the planes (a cut tile of conv2's 11×11 dy:
                    // 5 of its 9); a short group through `transformed`, `lanes` of each kept.
                    if lanes == 8 {
                        WinogradTransforms.gradient(patch, rowStride: step * 8, columnStride: 8, into: out + o, plane: plane)
                        continue
                    }
                    WinogradTransforms.gradient(patch, rowStride: step * 8, columnStride: 8, into: transformed, plane: 8)
                    for xi in 0..<positions { (out + xi * plane + o).update(from: transformed + xi * 8, count: lanes) }
                }
            }
        }
    }

    /// dW[r,s,c,o] = (Gᵀ M G)[r,s] from the summed Mᵀ[ξ][o][c], eight input channels c at a
    /// time (adjacent in M; a short last group copied into a zero-padded patch first). One
    /// channel at a time, each of the 36 loads of a filter was a plane cout·cin floats
    /// away, and the fold took 2.3 % of a one-thread training step.
    private func foldProducts(_ m: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels, plane = cout * cin
        let positions = WinogradTransforms.positions
        let patch = UnsafeMutablePointer<Float>.allocate(capacity: positions * 8)
        defer { patch.deallocate() }
        patch.initialize(repeating: 0, count: positions * 8)
        for o in 0..<cout {
            for c in stride(from: 0, to: cin, by: 8) {
                let lanes = min(8, cin - c)
                if lanes == 8 {
                    fold(m + o * cin + c, plane: plane, lanes: 8, into: dw + c * cout + o)
                    continue
                }
                for xi in 0..<positions { (patch + xi * 8).update(from: m + xi * plane + o * cin + c, count: lanes) }
                fold(patch, plane: 8, lanes: lanes, into: dw + c * cout + o)
            }
        }
    }

    /// One group of eight channels' dW = Gᵀ M G: M[ξ] at `m + ξ·plane`, the 3×3 results of
    /// the first `lanes` lanes written to `dw + (3·r + s)·cin·cout + l·cout`.
    @inline(__always)
    private func fold(_ m: UnsafePointer<Float>, plane: Int, lanes: Int, into dw: UnsafeMutablePointer<Float>) {
        let cin = tiling.inChannels, cout = tiling.outChannels
        @inline(__always) func value(_ xi: Int) -> Vector { UnsafeRawPointer(m + xi &* plane).loadUnaligned(as: Vector.self) }
        // t = Gᵀ M (3×6), column by column; then each row times G.
        @inline(__always) func column(_ j: Int) -> (Vector, Vector, Vector) {
            WinogradTransforms.collapse(value(j), value(6 + j), value(12 + j), value(18 + j), value(24 + j),
                                        value(30 + j))
        }
        let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3), c4 = column(4), c5 = column(5)
        @inline(__always) func write(_ r: Int, _ row: (Vector, Vector, Vector)) {
            let out = dw + r &* 3 &* cin &* cout
            for l in 0..<lanes {
                out[l &* cout] = row.0[l]
                out[(cin &+ l) &* cout] = row.1[l]
                out[(2 &* cin &+ l) &* cout] = row.2[l]
            }
        }
        write(0, WinogradTransforms.collapse(c0.0, c1.0, c2.0, c3.0, c4.0, c5.0))
        write(1, WinogradTransforms.collapse(c0.1, c1.1, c2.1, c3.1, c4.1, c5.1))
        write(2, WinogradTransforms.collapse(c0.2, c1.2, c2.2, c3.2, c4.2, c5.2))
    }
}
