/// The GEMM's register tile: a 6×16 block of C held in twelve `SIMD8<Float>`
/// accumulators while one A strip (6 rows, see `GEMMStrip`) and one B panel
/// (16 wide, `bStride` bytes from one depth step to the next: 64 when packed)
/// stream past over `depth` steps:
///
///     acc[r, 0..<16] += a[r, p] · b[p·stride ..< p·stride + 16]   for p in 0..<depth
///
/// where a[r, p] is read as `GEMMStrip` says: evenly strided, or through its table
/// of depth offsets (a convolution's im2col read in place).
///
/// With `-target-cpu haswell` each `addingProduct` is one `vfmadd…ps ymm`.
/// Padding columns of B panels are zero and missing A rows repeat the last one,
/// so edge tiles run the same SIMD loop and only the write-back is masked.
enum GEMMMicroKernel {
    static let rows = 6
    static let columns = 16

    /// How a tile's sum meets C: C = acc (overwrite), C = C + acc, or C = bias + acc.
    /// With `rectify` (the last chunk of a convolution with a ReLU) the result is
    /// then max(·, 0): the activation costs no extra pass over the output.
    enum Writeback {
        case overwrite
        case add
        case bias(UnsafePointer<Float>)
    }

    @inline(__always)
    static func run(depth: Int, a: GEMMStrip, b: UnsafePointer<Float>, bStride: Int,
                    c: UnsafeMutablePointer<Float>, ldc: Int, validRows: Int, validColumns: Int,
                    writeback: Writeback, rectify: Bool = false) {
        if let table = a.depthOffsets {
            run(depth: depth, a: a, walk: OffsetTable(offsets: table), b: b, bStride: bStride, c: c, ldc: ldc,
                validRows: validRows, validColumns: validColumns, writeback: writeback, rectify: rectify)
        } else {
            run(depth: depth, a: a, walk: EvenSteps(bytes: a.depthStride * 4), b: b, bStride: bStride, c: c,
                ldc: ldc, validRows: validRows, validColumns: validColumns, writeback: writeback, rectify: rectify)
        }
    }

    @inline(__always)
    private static func run<Walk: DepthWalk>(depth: Int, a: GEMMStrip, walk: Walk, b: UnsafePointer<Float>,
                                             bStride: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                             validRows: Int, validColumns: Int, writeback: Writeback,
                                             rectify: Bool) {
        typealias V = SIMD8<Float>
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        // Byte offsets of rows 0...5; rows past the last valid one repeat it.
        let o0 = a.rowByteOffset(0, validRows: validRows), o1 = a.rowByteOffset(1, validRows: validRows)
        let o2 = a.rowByteOffset(2, validRows: validRows), o3 = a.rowByteOffset(3, validRows: validRows)
        let o4 = a.rowByteOffset(4, validRows: validRows), o5 = a.rowByteOffset(5, validRows: validRows)
        let base = UnsafeRawPointer(a.base)
        var pb = UnsafeRawPointer(b)
        for p in 0..<depth {
            let pa = base + walk.byteOffset(p)
            let b0 = pb.loadUnaligned(as: V.self)
            let b1 = pb.loadUnaligned(fromByteOffset: 32, as: V.self)
            var s = V(repeating: pa.load(fromByteOffset: o0, as: Float.self))
            c00 = c00.addingProduct(s, b0); c01 = c01.addingProduct(s, b1)
            s = V(repeating: pa.load(fromByteOffset: o1, as: Float.self))
            c10 = c10.addingProduct(s, b0); c11 = c11.addingProduct(s, b1)
            s = V(repeating: pa.load(fromByteOffset: o2, as: Float.self))
            c20 = c20.addingProduct(s, b0); c21 = c21.addingProduct(s, b1)
            s = V(repeating: pa.load(fromByteOffset: o3, as: Float.self))
            c30 = c30.addingProduct(s, b0); c31 = c31.addingProduct(s, b1)
            s = V(repeating: pa.load(fromByteOffset: o4, as: Float.self))
            c40 = c40.addingProduct(s, b0); c41 = c41.addingProduct(s, b1)
            s = V(repeating: pa.load(fromByteOffset: o5, as: Float.self))
            c50 = c50.addingProduct(s, b0); c51 = c51.addingProduct(s, b1)
            pb += bStride
        }
        if validColumns == columns {
            store(c00, c01, c, writeback, rectify)
            if validRows > 1 { store(c10, c11, c + ldc, writeback, rectify) }
            if validRows > 2 { store(c20, c21, c + 2 * ldc, writeback, rectify) }
            if validRows > 3 { store(c30, c31, c + 3 * ldc, writeback, rectify) }
            if validRows > 4 { store(c40, c41, c + 4 * ldc, writeback, rectify) }
            if validRows > 5 { store(c50, c51, c + 5 * ldc, writeback, rectify) }
            return
        }
        withUnsafeTemporaryAllocation(of: V.self, capacity: 12) { t in
            (t[0], t[1], t[2], t[3], t[4], t[5]) = (c00, c01, c10, c11, c20, c21)
            (t[6], t[7], t[8], t[9], t[10], t[11]) = (c30, c31, c40, c41, c50, c51)
            let tile = UnsafeRawPointer(t.baseAddress!).assumingMemoryBound(to: Float.self)
            storePartial(tile, c, ldc, validRows, validColumns, writeback, rectify)
        }
    }

    /// One full 16-wide row of the tile into C.
    @inline(__always)
    private static func store(_ lo: SIMD8<Float>, _ hi: SIMD8<Float>, _ dst: UnsafeMutablePointer<Float>,
                              _ writeback: Writeback, _ rectify: Bool) {
        var lo = lo, hi = hi
        let raw = UnsafeMutableRawPointer(dst)
        switch writeback {
        case .overwrite:
            break
        case .add:
            lo += raw.loadUnaligned(as: SIMD8<Float>.self)
            hi += raw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        case .bias(let bias):
            let rb = UnsafeRawPointer(bias)
            lo += rb.loadUnaligned(as: SIMD8<Float>.self)
            hi += rb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
        }
        if rectify {
            // max(x, 0) as the separate ReLU pass computes it (NaN stays NaN).
            lo.replace(with: SIMD8<Float>(), where: lo .< SIMD8<Float>())
            hi.replace(with: SIMD8<Float>(), where: hi .< SIMD8<Float>())
        }
        raw.storeBytes(of: lo, as: SIMD8<Float>.self)
        raw.storeBytes(of: hi, toByteOffset: 32, as: SIMD8<Float>.self)
    }

    /// An edge tile (fewer than 16 valid columns) from its spilled 6×16 sum.
    private static func storePartial(_ tile: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>, _ ldc: Int,
                                     _ validRows: Int, _ validColumns: Int, _ writeback: Writeback,
                                     _ rectify: Bool) {
        for r in 0..<validRows {
            let src = tile + r * columns, dst = c + r * ldc
            switch writeback {
            case .overwrite:
                for j in 0..<validColumns { dst[j] = src[j] }
            case .add:
                for j in 0..<validColumns { dst[j] = src[j] + dst[j] }
            case .bias(let bias):
                for j in 0..<validColumns { dst[j] = src[j] + bias[j] }
            }
            if rectify {
                for j in 0..<validColumns where dst[j] < 0 { dst[j] = 0 }
            }
        }
    }
}

/// How the micro-kernel's A pointer moves from one depth step to the next.
protocol DepthWalk {
    /// Bytes from the strip's base to depth step p.
    func byteOffset(_ p: Int) -> Int
}

/// Depth steps a fixed number of bytes apart (a packed strip or a strided matrix).
struct EvenSteps: DepthWalk {
    let bytes: Int
    @inline(__always) func byteOffset(_ p: Int) -> Int { p &* bytes }
}

/// Depth steps wherever a table puts them (convolution taps or pixels in the image).
struct OffsetTable: DepthWalk {
    let offsets: UnsafePointer<Int>
    @inline(__always) func byteOffset(_ p: Int) -> Int { offsets[p] &<< 2 }
}
