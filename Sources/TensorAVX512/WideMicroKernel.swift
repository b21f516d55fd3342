/// The GEMM's register tile for CPUs with AVX-512: 6 rows × 32 columns of C in
/// twelve `SIMD16<Float>` accumulators (zmm registers), fed by one 6-row A strip and
/// two adjacent 16-wide B panels of the engine's ordinary layout:
///
///     acc[r, 0..<16]  += a[r, p] · b0[p·stride0 ..< p·stride0 + 16]
///     acc[r, 16..<32] += a[r, p] · b1[p·stride1 ..< p·stride1 + 16]    for p in 0..<depth
///
/// Each C value is the same sequential chain of fused multiply-adds over depth as in
/// the 6×16 `SIMD8` tile (`Tensor.GEMMMicroKernel`), so results are bit-identical;
/// only twice as many lanes advance per instruction. On a CPU with full 512-bit FMA
/// units (AMD Zen 5, Intel server cores) that is twice the multiply-adds per cycle.
///
/// This module alone is compiled with `-target-cpu skylake-avx512` (Package.swift),
/// so nothing in it may run before the caller has checked that the CPU has AVX-512
/// (`Tensor.SIMDLevel`). Its functions are `@inline(never)` so that the zmm code
/// stays here and is not copied into modules built for AVX2.
public enum WideMicroKernel {
    /// One 6×32 tile. A value (r, p) is at `a + rowBytes.r + step(p)`, where step(p) is
    /// p·`depthStrideBytes`, or `depthOffsets[p]`·4 bytes when a table is given. Rows
    /// past `validRows` must repeat a valid row (their results are not stored). The
    /// sum meets C as `C = acc` (`add` false, `bias` nil), `C = C + acc` (`add`) or
    /// `C = bias + acc`; then max(·, 0) with `rectify`.
    @inline(never)
    public static func run(depth: Int, a: UnsafeRawPointer, rowBytes: (Int, Int, Int, Int, Int, Int),
                           depthStrideBytes: Int, depthOffsets: UnsafePointer<Int>?,
                           b0: UnsafeRawPointer, stride0: Int, b1: UnsafeRawPointer, stride1: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, validRows: Int,
                           add: Bool, bias: UnsafePointer<Float>?, rectify: Bool) {
        let sink = TileSink(c: c, ldc: ldc, validRows: validRows, add: add, bias: bias, rectify: rectify)
        let panels = PanelPair(b0: b0, stride0: stride0, b1: b1, stride1: stride1)
        if let table = depthOffsets {
            accumulate(depth, a, rowBytes, OffsetSteps(offsets: table), panels, sink)
        } else {
            accumulate(depth, a, rowBytes, EvenSteps(bytes: depthStrideBytes), panels, sink)
        }
    }

    /// A tile of two or four valid rows runs only those rows' multiply-adds (a 2×32 or 4×32
    /// tile) where the 6-row tile would compute rows it then drops: the short last strip
    /// of a block (Winograd's input gradient: 32 tiles, five strips and two rows).
    @inline(__always)
    private static func accumulate<Walk: StepWalk>(_ depth: Int, _ a: UnsafeRawPointer,
                                                   _ o: (Int, Int, Int, Int, Int, Int), _ walk: Walk,
                                                   _ panels: PanelPair, _ sink: TileSink) {
        switch sink.validRows {
        case ...2: accumulate(depth, a, o, walk, panels, sink, TwoRows.self)
        case 3, 4: accumulate(depth, a, o, walk, panels, sink, FourRows.self)
        default: accumulate(depth, a, o, walk, panels, sink, SixRows.self)
        }
    }

    /// `run` over `count` whole strips (six valid rows each) and the same two panels: strip t
    /// reads A from `a + t·stripBytes` and writes C from `c + t·cStride`, with `rowBytes` and
    /// the depth steps of the first. One call walks a block's column of tiles, where a call
    /// per tile went through the tile row's setup each time. Each tile's sums are `run`'s.
    @inline(never)
    public static func runStrips(count: Int, stripBytes: Int, cStride: Int, depth: Int, a: UnsafeRawPointer,
                                 rowBytes: (Int, Int, Int, Int, Int, Int), depthStrideBytes: Int,
                                 b0: UnsafeRawPointer, stride0: Int, b1: UnsafeRawPointer, stride1: Int,
                                 c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool, bias: UnsafePointer<Float>?,
                                 rectify: Bool) {
        let panels = PanelPair(b0: b0, stride0: stride0, b1: b1, stride1: stride1)
        let walk = EvenSteps(bytes: depthStrideBytes)
        for t in 0..<count {
            let sink = TileSink(c: c + t &* cStride, ldc: ldc, validRows: 6, add: add, bias: bias, rectify: rectify)
            accumulate(depth, a + t &* stripBytes, rowBytes, walk, panels, sink, SixRows.self)
        }
    }

    /// The tile's chains of multiply-adds over depth for its first `Rows.count` rows (the
    /// rest stay zero and are not stored): each row's chain is the same whatever the count.
    @inline(__always)
    private static func accumulate<Walk: StepWalk, Rows: TileRows>(_ depth: Int, _ a: UnsafeRawPointer,
                                                                   _ o: (Int, Int, Int, Int, Int, Int), _ walk: Walk,
                                                                   _ panels: PanelPair, _ sink: TileSink,
                                                                   _ rows: Rows.Type) {
        typealias V = SIMD16<Float>
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        var pb0 = panels.b0, pb1 = panels.b1
        for p in 0..<depth {
            let pa = a + walk.byteOffset(p)
            let b0 = pb0.loadUnaligned(as: V.self), b1 = pb1.loadUnaligned(as: V.self)
            var s = V(repeating: pa.load(fromByteOffset: o.0, as: Float.self))
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            s = V(repeating: pa.load(fromByteOffset: o.1, as: Float.self))
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            if Rows.count > 2 {
                s = V(repeating: pa.load(fromByteOffset: o.2, as: Float.self))
                c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
                s = V(repeating: pa.load(fromByteOffset: o.3, as: Float.self))
                c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
            }
            if Rows.count > 4 {
                s = V(repeating: pa.load(fromByteOffset: o.4, as: Float.self))
                c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
                s = V(repeating: pa.load(fromByteOffset: o.5, as: Float.self))
                c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
            }
            pb0 += panels.stride0
            pb1 += panels.stride1
        }
        sink.store(c00, c01, row: 0)
        if sink.validRows > 1 { sink.store(c10, c11, row: 1) }
        if sink.validRows > 2 { sink.store(c20, c21, row: 2) }
        if sink.validRows > 3 { sink.store(c30, c31, row: 3) }
        if sink.validRows > 4 { sink.store(c40, c41, row: 4) }
        if sink.validRows > 5 { sink.store(c50, c51, row: 5) }
    }
}

/// Two 16-wide B panels read side by side; strides in bytes per depth step.
private struct PanelPair {
    let b0: UnsafeRawPointer, stride0: Int
    let b1: UnsafeRawPointer, stride1: Int
}

/// Where a finished tile goes and how it meets what C holds.
private struct TileSink {
    let c: UnsafeMutablePointer<Float>
    let ldc: Int
    let validRows: Int
    let add: Bool
    let bias: UnsafePointer<Float>?
    let rectify: Bool

    /// One 32-wide row: the same additions (acc + C, acc + bias) and max(·, 0) as the
    /// 6×16 tile's write-back, lane for lane, so the stored values are identical.
    @inline(__always)
    func store(_ lo: SIMD16<Float>, _ hi: SIMD16<Float>, row: Int) {
        var lo = lo, hi = hi
        let raw = UnsafeMutableRawPointer(c + row * ldc)
        if add {
            lo += raw.loadUnaligned(as: SIMD16<Float>.self)
            hi += raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        } else if let bias {
            let rb = UnsafeRawPointer(bias)
            lo += rb.loadUnaligned(as: SIMD16<Float>.self)
            hi += rb.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
        }
        if rectify {
            // max(x, 0) as the 6×16 tile computes it (NaN stays NaN).
            lo.replace(with: SIMD16<Float>(), where: lo .< SIMD16<Float>())
            hi.replace(with: SIMD16<Float>(), where: hi .< SIMD16<Float>())
        }
        raw.storeBytes(of: lo, as: SIMD16<Float>.self)
        raw.storeBytes(of: hi, toByteOffset: 64, as: SIMD16<Float>.self)
    }
}

/// How many rows of a tile run their multiply-adds: 2, 4 or all 6.
private protocol TileRows {
    static var count: Int { get }
}

private enum TwoRows: TileRows { static var count: Int { 2 } }
private enum FourRows: TileRows { static var count: Int { 4 } }
private enum SixRows: TileRows { static var count: Int { 6 } }

/// How the A pointer moves from one depth step to the next.
private protocol StepWalk {
    func byteOffset(_ p: Int) -> Int
}

/// Depth steps a fixed number of bytes apart (a packed strip or a strided matrix).
private struct EvenSteps: StepWalk {
    let bytes: Int
    @inline(__always) func byteOffset(_ p: Int) -> Int { p &* bytes }
}

/// Depth steps wherever a table of element offsets puts them (convolution taps).
private struct OffsetSteps: StepWalk {
    let offsets: UnsafePointer<Int>
    @inline(__always) func byteOffset(_ p: Int) -> Int { offsets[p] &<< 2 }
}
