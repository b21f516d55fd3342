import TensorAVX512

extension WinogradConvolution {
    /// Whether `transformOutputPooled` can take `pool`: 2×2 windows at stride 2 lie whole
    /// inside the 4×4 output tiles, and channels come in whole groups of eight.
    func poolsInTiles(_ pool: MaxPoolKernel.Shape) -> Bool {
        pool.size == 2 && pool.stride == 2 && WinogradTransforms.outputs % 2 == 0 && outChannels % 8 == 0
    }

    /// `transformOutput` followed by a 2×2, stride-2 max pooling, for a caller that keeps only
    /// the pooled image (a prediction pass): each tile's 16 outputs of a group of eight channels,
    /// f(bias + (Aᵀ M_t A)[i, j]) as `transformOutput` forms them row by row, stay in registers
    /// instead of going to the image, and each window inside the tile takes its maximum there:
    ///
    ///     pooled[a, b, o] = max over y[2a + r, 2b + s, o], r, s ∈ {0, 1}
    ///
    /// in `MaxPoolKernel.windowMaximum`'s order, the maxima pass's own, so every pooled value, NaN
    /// included, is that of the two passes, and the convolution's output is never written.
    /// Windows past the pooled image's edge (an odd output size leaves its last row or column
    /// out) are dropped. Sixteen channels at a time on AVX-512 CPUs where the channels allow
    /// (`WideWinogradOutput.pooledTile`, the same bits). Needs `poolsInTiles(pool)`.
    @inline(never)
    func transformOutputPooled(_ m: UnsafePointer<Float>, tiles: Int, bias: UnsafePointer<Float>?, rectify: Bool,
                               pool: MaxPoolKernel.Shape, into pooled: UnsafeMutablePointer<Float>) {
        let cout = outChannels, plane = tiles &* cout, half = WinogradTransforms.outputs / 2
        for ty in 0..<tileRows {
            let windowRows = min(half, pool.outHeight - half * ty)
            for tx in 0..<tileColumns {
                let windowColumns = min(half, pool.outWidth - half * tx)
                guard windowRows > 0, windowColumns > 0 else { continue }
                let source = m + (ty &* tileColumns &+ tx) &* cout
                let corner = pooled + ((half &* ty) &* pool.outWidth &+ half &* tx) &* cout
                if Self.runsWide(cout) {
                    WideWinogradOutput.pooledTile(source, plane: plane, channels: cout, bias: bias, rectify: rectify,
                                                  windowRows: windowRows, windowColumns: windowColumns, into: corner,
                                                  rowStride: pool.outWidth &* cout)
                    continue
                }
                for o in stride(from: 0, to: cout, by: 8) {
                    let b = bias.map { Self.load($0 + o, 8) } ?? .zero
                    @inline(__always) func finished(_ value: Vector) -> Vector {
                        var out = value + b
                        if rectify { out.replace(with: 0, where: out .< 0) }
                        return out
                    }
                    // Each pair of output rows, formed in registers, gives a row of windows; rows whose
                    // windows fall past the pooled image are not formed.
                    @inline(__always) func windows(_ upper: WinogradTransforms.OutputRow,
                                                   _ under: WinogradTransforms.OutputRow, _ row: UnsafeMutablePointer<Float>) {
                        Self.store(MaxPoolKernel.windowMaximum(finished(upper.0), finished(upper.1),
                                                               finished(under.0), finished(under.1)), row, 8)
                        guard windowColumns > 1 else { return }
                        Self.store(MaxPoolKernel.windowMaximum(finished(upper.2), finished(upper.3),
                                                               finished(under.2), finished(under.3)), row + cout, 8)
                    }
                    let top = WinogradTransforms.outputRows(source + o, plane: plane, lower: false)
                    windows(top.0, top.1, corner + o)
                    guard windowRows > 1 else { continue }
                    let bottom = WinogradTransforms.outputRows(source + o, plane: plane, lower: true)
                    windows(bottom.0, bottom.1, corner + (pool.outWidth &* cout &+ o))
                }
            }
        }
    }
}
