import TensorAVX512

extension GEMMMicroKernel {
    /// One A strip against the panels of a row of tiles: tiles start at columns
    /// j = 0, 16, 32, … < `visit` (relative to `c` and to panel `firstPanel`), and
    /// tile j writes min(16, `width` − j) columns. `writeback` is as seen from column 0
    /// (a bias moves along with j).
    ///
    /// With `wide` (`SIMDLevel.avx512`, read once by the caller per block: each read of
    /// a global is a call on Linux), two neighbouring tiles that are both visited and
    /// both full run as one 6×32 AVX-512 tile (same sums, twice the lanes per
    /// instruction); the rest, and every tile on an AVX2 CPU, run the 6×16 tile.
    @inline(__always)
    static func runRow(depth: Int, a: GEMMStrip, panels: UnsafeBufferPointer<GEMMPanel>, firstPanel: Int,
                       depthStart p0: Int, visit: Int, width: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                       validRows: Int, writeback: Writeback, rectify: Bool, wide: Bool) {
        var j = 0
        if wide {
            while j + columns < visit && j + 2 * columns <= width {
                let q = firstPanel + j / columns
                runWide(depth: depth, a: a, left: panels[q], right: panels[q + 1], depthStart: p0, c: c + j, ldc: ldc,
                        validRows: validRows, writeback: offset(writeback, by: j), rectify: rectify)
                j += 2 * columns
            }
        }
        while j < visit {
            let panel = panels[firstPanel + j / columns]
            run(depth: depth, a: a, b: panel.base + p0 * panel.stride, bStride: panel.stride * 4, c: c + j, ldc: ldc,
                validRows: validRows, validColumns: min(columns, width - j), writeback: offset(writeback, by: j),
                rectify: rectify)
            j += columns
        }
    }

    /// `runRow` for `count` whole strips lying evenly in place (`GEMMStripSource.evenStrips`:
    /// strip t is `first` moved by t·`stride` floats, its tiles `c` + 6·t rows), on an AVX-512
    /// CPU: each pair of full panels walks every strip in one call of the 6×32 tile; a lone
    /// last panel takes the 6×16 tile strip by strip, as `runRow` would. Same sums as `runRow`
    /// strip by strip.
    static func runStrips(_ count: Int, depth: Int, first a: GEMMStrip, stride: Int,
                          panels: UnsafeBufferPointer<GEMMPanel>, firstPanel: Int, depthStart p0: Int, visit: Int,
                          width: Int, c: UnsafeMutablePointer<Float>, ldc: Int, writeback: Writeback, rectify: Bool) {
        precondition(a.depthOffsets == nil, "GEMM: even strips step through depth evenly")
        var j = 0
        while j + columns < visit && j + 2 * columns <= width {
            let left = panels[firstPanel + j / columns], right = panels[firstPanel + j / columns + 1]
            let (add, bias) = wideWriteback(offset(writeback, by: j))
            let b0 = UnsafeRawPointer(left.base + p0 * left.stride), b1 = UnsafeRawPointer(right.base + p0 * right.stride)
            WideMicroKernel.runStrips(count: count, stripBytes: stride * 4, cStride: rows * ldc, depth: depth,
                                      a: UnsafeRawPointer(a.base), rowBytes: a.rowBytes(validRows: rows),
                                      depthStrideBytes: a.depthStride * 4, b0: b0, stride0: left.stride * 4,
                                      b1: b1, stride1: right.stride * 4, c: c + j, ldc: ldc, add: add, bias: bias,
                                      rectify: rectify)
            j += 2 * columns
        }
        guard j < visit else { return }
        for t in 0..<count {
            runRow(depth: depth, a: GEMMStrip(moving: a, by: t * stride), panels: panels, firstPanel: firstPanel + j / columns,
                   depthStart: p0, visit: visit - j, width: width - j, c: c + t * rows * ldc + j, ldc: ldc,
                   validRows: rows, writeback: offset(writeback, by: j), rectify: rectify, wide: false)
        }
    }

    /// The 6×32 tile over panels `left` and `right` from depth `p0` on.
    @inline(__always)
    private static func runWide(depth: Int, a: GEMMStrip, left: GEMMPanel, right: GEMMPanel, depthStart p0: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, validRows: Int, writeback: Writeback,
                                rectify: Bool) {
        let (add, bias) = wideWriteback(writeback)
        WideMicroKernel.run(depth: depth, a: UnsafeRawPointer(a.base), rowBytes: a.rowBytes(validRows: validRows),
                            depthStrideBytes: a.depthStride * 4, depthOffsets: a.depthOffsets,
                            b0: UnsafeRawPointer(left.base + p0 * left.stride), stride0: left.stride * 4,
                            b1: UnsafeRawPointer(right.base + p0 * right.stride), stride1: right.stride * 4,
                            c: c, ldc: ldc, validRows: validRows, add: add, bias: bias, rectify: rectify)
    }

    /// A write-back as the 6×32 tile takes it: add to C, or start from a bias row (neither: overwrite).
    @inline(__always)
    private static func wideWriteback(_ w: Writeback) -> (add: Bool, bias: UnsafePointer<Float>?) {
        switch w {
        case .overwrite: return (false, nil)
        case .add: return (true, nil)
        case .bias(let b): return (false, b)
        }
    }

    /// The write-back as seen from column `j` (a bias pointer moves along).
    @inline(__always)
    static func offset(_ w: Writeback, by j: Int) -> Writeback {
        if case .bias(let bias) = w { return .bias(bias + j) }
        return w
    }
}
