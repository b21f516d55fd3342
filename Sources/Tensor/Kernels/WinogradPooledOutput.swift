extension WinogradConvolution {
    /// Whether `transformOutputPooled` can take `pool`: 2×2 windows at stride 2 lie whole
    /// inside the 4×4 output tiles, and channels come in whole groups of eight.
    func poolsInTiles(_ pool: MaxPoolKernel.Shape) -> Bool {
        pool.size == 2 && pool.stride == 2 && WinogradTransforms.outputs % 2 == 0 && outChannels % 8 == 0
    }

    /// `transformOutput` followed by a 2×2, stride-2 max pooling, for a caller that keeps only
    /// the pooled image (a prediction pass): each tile's 16 outputs of a group of eight channels,
    /// f(bias + (Aᵀ M_t A)[i, j]) as `transformOutput` forms them, go to a buffer in L1
    /// instead of the image, and each window inside the tile takes its maximum there:
    ///
    ///     pooled[a, b, o] = max over y[2a + r, 2b + s, o], r, s ∈ {0, 1}
    ///
    /// in `MaxPoolKernel.windowMaximum`'s order, the maxima pass's own, so every pooled value, NaN
    /// included, is that of the two passes, and the convolution's output is never written.
    /// Windows past the pooled image's edge (an odd output size leaves its last row or column
    /// out) are dropped. Needs `poolsInTiles(pool)`.
    @inline(never)
    func transformOutputPooled(_ m: UnsafePointer<Float>, tiles: Int, bias: UnsafePointer<Float>?, rectify: Bool,
                               pool: MaxPoolKernel.Shape, into pooled: UnsafeMutablePointer<Float>) {
        let cout = outChannels, plane = tiles &* cout, step = WinogradTransforms.outputs, half = step / 2
        let tile = UnsafeMutablePointer<Vector>.allocate(capacity: step * step)
        defer { tile.deallocate() }
        for ty in 0..<tileRows {
            let windowRows = min(half, pool.outHeight - half * ty)
            for tx in 0..<tileColumns {
                let windowColumns = min(half, pool.outWidth - half * tx)
                guard windowRows > 0, windowColumns > 0 else { continue }
                let source = m + (ty &* tileColumns &+ tx) &* cout
                let corner = pooled + ((half &* ty) &* pool.outWidth &+ half &* tx) &* cout
                for o in stride(from: 0, to: cout, by: 8) {
                    let b = bias.map { Self.load($0 + o, 8) } ?? .zero
                    WinogradTransforms.output(source + o, plane: plane) { i, j, value in
                        var out = value + b
                        if rectify { out.replace(with: 0, where: out .< 0) }
                        tile[i &* step &+ j] = out
                    }
                    for a in 0..<windowRows {
                        for c in 0..<windowColumns {
                            let topLeft = tile + (2 &* a &* step &+ 2 &* c)
                            let best = MaxPoolKernel.windowMaximum(topLeft[0], topLeft[1], topLeft[step],
                                                                   topLeft[step &+ 1])
                            Self.store(best, corner + ((a &* pool.outWidth &+ c) &* cout &+ o), 8)
                        }
                    }
                }
            }
        }
    }
}
