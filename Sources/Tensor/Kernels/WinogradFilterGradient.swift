/// The weight gradient of a Winograd convolution, dL/dw, by the same transforms run
/// backwards. Y_t = Aᵀ[(G g Gᵀ) ⊙ V_t]A for each tile t is linear in g, so
///
///     dL/dU[ξ] = Σ_t V_t[ξ] ⊗ (A dY_t Aᵀ)[ξ]          (one GEMM per ξ: cin × tiles times tiles × cout)
///     dL/dg    = Gᵀ (dL/dU) G
///
/// with V_t = Bᵀ d_t B the forward's input tiles and dY_t the tile's 2×2 block of dL/dy
/// (zero past the output's edge): 16 products per tile where im2col's Xᵀ·dY takes 36
/// per 2×2 outputs. The batch is cut into a fixed number of blocks of images (by the
/// batch size alone); each sums its images into its own dU, and the blocks' dU are
/// then added in block order, so the result does not depend on the thread count.
extension WinogradConvolution {
    /// dL/dw `[3, 3, cin, cout]` into `dw`, for input `x` and output gradient `dy`.
    func filterGradient(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                        into dw: UnsafeMutablePointer<Float>) {
        let cin = inChannels, cout = outChannels, tiles = tilesPerImage
        let blocks = min(batch, Self.gradientBlocks), uCount = 16 * cin * cout
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: blocks * uCount)
        defer { partials.deallocate() }
        let scratchCount = 16 * tiles * (cin + cout)
        let workers = WorkerPool.shared.workers(for: blocks)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchCount)
        defer { scratch.deallocate() }
        let imageIn = height * width * cin, imageOut = outHeight * outWidth * cout
        WorkerPool.shared.runWithWorker(blocks: blocks) { block, worker in
            let v = scratch + worker * scratchCount, dm = v + 16 * tiles * cin
            let du = partials + block * uCount
            for b in (batch * block / blocks)..<(batch * (block + 1) / blocks) {
                transformInput(x + b * imageIn, into: v, tiles: tiles)
                transformOutputGradient(dy + b * imageOut, into: dm)
                let first = b == batch * block / blocks
                for xi in 0..<16 {
                    GEMM.multiply(a: StridedPanelSource(base: v + xi * tiles * cin, ld: cin, transposed: true, rowCount: cin),
                                  b: StridedPanelSource(base: dm + xi * tiles * cout, ld: cout, transposed: true,
                                                        rowCount: cout),
                                  m: cin, n: cout, k: tiles, c: du + xi * cin * cout, ldc: cout,
                                  start: first ? .overwrite : .add, pool: WorkerPool.serial)
                }
            }
        }
        for block in 1..<blocks { VectorAccumulate.add(partials, partials + block * uCount, count: uCount) }
        untransformFilters(partials, into: dw)
    }

    /// Blocks of images for the weight gradient: enough to keep many cores busy, few
    /// enough that their partial dU (16·cin·cout floats each) stay cheap to add.
    static let gradientBlocks = 16

    /// dM_t = A dY_t Aᵀ for every tile of one image's output gradient, into
    /// dm[ξ·tiles·cout + t·cout + o]; A = [1 0; 1 1; 1 −1; 0 −1].
    func transformOutputGradient(_ dy: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>) {
        let cout = outChannels, plane = tilesPerImage &* cout
        for ty in 0..<tileRows {
            for tx in 0..<tileColumns {
                let rows = min(2, outHeight - 2 * ty), columns = min(2, outWidth - 2 * tx)
                let corner = dy + ((2 &* ty) &* outWidth &+ 2 &* tx) &* cout
                let out = dm + (ty &* tileColumns &+ tx) &* cout
                for o in stride(from: 0, to: cout, by: 8) {
                    let lanes = min(8, cout - o)
                    @inline(__always) func load(_ i: Int, _ j: Int) -> Vector {
                        i < rows && j < columns ? Self.load(corner + ((i &* outWidth &+ j) &* cout &+ o), lanes) : .zero
                    }
                    @inline(__always) func store(_ value: Vector, _ xi: Int) {
                        Self.store(value, out + (xi &* plane &+ o), lanes)
                    }
                    // A dY (4×2) row by row, then (A dY) Aᵀ along each row: (a, a + b, a − b, −b).
                    @inline(__always) func row(_ i: Int, _ a: Vector, _ b: Vector) {
                        store(a, 4 &* i)
                        store(a + b, 4 &* i &+ 1)
                        store(a - b, 4 &* i &+ 2)
                        store(-b, 4 &* i &+ 3)
                    }
                    let (y00, y01, y10, y11) = (load(0, 0), load(0, 1), load(1, 0), load(1, 1))
                    row(0, y00, y01)
                    row(1, y00 + y10, y01 + y11)
                    row(2, y00 - y10, y01 - y11)
                    row(3, -y10, -y11)
                }
            }
        }
    }

    /// dw[r, s, c, o] = (Gᵀ dU[·][c][o] G)[r, s]; Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1].
    func untransformFilters(_ du: UnsafePointer<Float>, into dw: UnsafeMutablePointer<Float>) {
        let cin = inChannels, cout = outChannels, pair = cin * cout
        @inline(__always) func fold(_ u0: Float, _ u1: Float, _ u2: Float, _ u3: Float) -> (Float, Float, Float) {
            (u0 + 0.5 * (u1 + u2), 0.5 * (u1 - u2), 0.5 * (u1 + u2) + u3)
        }
        for p in 0..<pair {
            @inline(__always) func u(_ a: Int, _ b: Int) -> Float { du[(4 * a + b) * pair + p] }
            // Gᵀ dU (3×4), column by column, then (Gᵀ dU) G along each row.
            let c0 = fold(u(0, 0), u(1, 0), u(2, 0), u(3, 0)), c1 = fold(u(0, 1), u(1, 1), u(2, 1), u(3, 1))
            let c2 = fold(u(0, 2), u(1, 2), u(2, 2), u(3, 2)), c3 = fold(u(0, 3), u(1, 3), u(2, 3), u(3, 3))
            @inline(__always) func row(_ r: Int, _ values: (Float, Float, Float)) {
                (dw[(3 * r) * pair + p], dw[(3 * r + 1) * pair + p], dw[(3 * r + 2) * pair + p]) = values
            }
            row(0, fold(c0.0, c1.0, c2.0, c3.0))
            row(1, fold(c0.1, c1.1, c2.1, c3.1))
            row(2, fold(c0.2, c1.2, c2.2, c3.2))
        }
    }
}
