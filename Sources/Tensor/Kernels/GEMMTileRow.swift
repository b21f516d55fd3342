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

    /// The 6×32 tile over panels `left` and `right` from depth `p0` on.
    @inline(__always)
    private static func runWide(depth: Int, a: GEMMStrip, left: GEMMPanel, right: GEMMPanel, depthStart p0: Int,
                                c: UnsafeMutablePointer<Float>, ldc: Int, validRows: Int, writeback: Writeback,
                                rectify: Bool) {
        let rowBytes = (a.rowByteOffset(0, validRows: validRows), a.rowByteOffset(1, validRows: validRows),
                        a.rowByteOffset(2, validRows: validRows), a.rowByteOffset(3, validRows: validRows),
                        a.rowByteOffset(4, validRows: validRows), a.rowByteOffset(5, validRows: validRows))
        var add = false, bias: UnsafePointer<Float>? = nil
        switch writeback {
        case .overwrite: break
        case .add: add = true
        case .bias(let b): bias = b
        }
        WideMicroKernel.run(depth: depth, a: UnsafeRawPointer(a.base), rowBytes: rowBytes,
                            depthStrideBytes: a.depthStride * 4, depthOffsets: a.depthOffsets,
                            b0: UnsafeRawPointer(left.base + p0 * left.stride), stride0: left.stride * 4,
                            b1: UnsafeRawPointer(right.base + p0 * right.stride), stride1: right.stride * 4,
                            c: c, ldc: ldc, validRows: validRows, add: add, bias: bias, rectify: rectify)
    }

    /// The write-back as seen from column `j` (a bias pointer moves along).
    @inline(__always)
    static func offset(_ w: Writeback, by j: Int) -> Writeback {
        if case .bias(let bias) = w { return .bias(bias + j) }
        return w
    }
}
