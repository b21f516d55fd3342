/// The A operand of the GEMM: a logical matrix op(A) (m×k) handed to the
/// micro-kernel 6 rows at a time.
///
/// The GEMM never indexes its operands directly, so transposition, strides and
/// implicit matrices (convolution windows that were never unfolded into memory)
/// are all resolved by the source, once per strip, outside the inner loop.
protocol GEMMStripSource {
    /// Rows `rows` over `depth` as the micro-kernel will read them: in place when the
    /// rows are stored with their depth adjacent, else copied into `buffer` (room for
    /// 6·depth.count floats) in whichever layout this source writes fastest.
    func strip(rows: Range<Int>, depth: Range<Int>, buffer: UnsafeMutablePointer<Float>) -> GEMMStrip
    /// The first 6-row strip of `rows` over `depth` and the floats between one strip and
    /// the next, where every strip of them lies in place that far after the one before
    /// (strip t is `strip(rows: rows.lowerBound + 6·t …)`), so that a kernel may walk them
    /// without asking for each; nil where strips are packed or placed unevenly.
    func evenStrips(rows: Range<Int>, depth: Range<Int>) -> (first: GEMMStrip, stride: Int)?
}

extension GEMMStripSource {
    func evenStrips(rows: Range<Int>, depth: Range<Int>) -> (first: GEMMStrip, stride: Int)? { nil }
}

/// The B operand of the GEMM, seen as op(B)ᵀ (n×k) and read in 16-row panels:
/// either where it lies, or packed depth-major,
///
///     dst[p·width + r] = self[row0 + r, depth0 + p]     (zero for rows past `rowCount`)
protocol GEMMPanelSource {
    /// Number of logical rows (n); rows past it pack as zeros.
    var rowCount: Int { get }
    func pack(rows: Range<Int>, depth: Range<Int>, width: Int, into dst: UnsafeMutablePointer<Float>)
    /// Where rows `rows` already sit in memory depth-major with their values adjacent
    /// (self[row0 + r, p] = base[p·stride + r]), so the kernel can read them unpacked.
    func unpackedPanel(rows: Range<Int>) -> (base: UnsafePointer<Float>, stride: Int)?
}

/// A 6-row strip of op(A) as the micro-kernel reads it: value (r, p) at
/// base[rowOffsets[r] + p·depthStride], or at base[rowOffsets[r] + depthOffsets[p]]
/// when a table of depth offsets is given, p counted from the chunk's first depth.
/// The table lets a convolution's im2col matrix be read where the image lies: its
/// rows (pixels) and columns (taps) are each a fixed offset into the image, but not
/// evenly spaced. Rows past the matrix's end are never read (the kernel repeats the
/// last valid row and masks its write-back), so a strip needs no zero padding.
struct GEMMStrip {
    let base: UnsafePointer<Float>
    /// Element offsets of rows 0…5 from `base`.
    let rowOffsets: (Int, Int, Int, Int, Int, Int)
    let depthStride: Int
    let depthOffsets: UnsafePointer<Int>?

    /// Rows evenly spaced by `rowStride`, depth steps by `depthStride`.
    init(base: UnsafePointer<Float>, rowStride: Int, depthStride: Int) {
        self.base = base
        rowOffsets = (0, rowStride, 2 * rowStride, 3 * rowStride, 4 * rowStride, 5 * rowStride)
        self.depthStride = depthStride
        depthOffsets = nil
    }

    /// `strip` with its base moved by `offset` floats (the next strip of an even source).
    init(moving strip: GEMMStrip, by offset: Int) {
        base = strip.base + offset
        rowOffsets = strip.rowOffsets
        depthStride = strip.depthStride
        depthOffsets = strip.depthOffsets
    }

    /// Rows at arbitrary offsets, depth step p at `depthOffsets[p]`.
    init(base: UnsafePointer<Float>, rowOffsets: (Int, Int, Int, Int, Int, Int), depthOffsets: UnsafePointer<Int>) {
        self.base = base
        self.rowOffsets = rowOffsets
        depthStride = 0
        self.depthOffsets = depthOffsets
    }

    /// The six rows' byte offsets as the 6×32 tile takes them (`rowByteOffset`).
    @inline(__always)
    func rowBytes(validRows: Int) -> (Int, Int, Int, Int, Int, Int) {
        (rowByteOffset(0, validRows: validRows), rowByteOffset(1, validRows: validRows),
         rowByteOffset(2, validRows: validRows), rowByteOffset(3, validRows: validRows),
         rowByteOffset(4, validRows: validRows), rowByteOffset(5, validRows: validRows))
    }

    /// Byte offset of row r, or of the last valid row for rows past it.
    @inline(__always)
    func rowByteOffset(_ r: Int, validRows: Int) -> Int {
        let o = rowOffsets
        switch min(r, validRows - 1) {
        case 0: return o.0 * 4
        case 1: return o.1 * 4
        case 2: return o.2 * 4
        case 3: return o.3 * 4
        case 4: return o.4 * 4
        default: return o.5 * 4
        }
    }
}

/// A row-major matrix in memory with leading dimension `ld`, read either as stored
/// (`self[i, p] = base[i·ld + p]`) or transposed (`self[i, p] = base[p·ld + i]`).
struct StridedPanelSource: GEMMStripSource, GEMMPanelSource {
    let base: UnsafePointer<Float>
    let ld: Int
    let transposed: Bool
    let rowCount: Int

    /// A full panel of a transposed view is a run of `rows.count` adjacent values per
    /// depth step; read in place while those runs are close (a long stride between
    /// depth steps would touch a new page each step, so such panels are packed).
    func unpackedPanel(rows: Range<Int>) -> (base: UnsafePointer<Float>, stride: Int)? {
        transposed && rows.upperBound <= rowCount && ld <= StridedPanelSource.maxInPlaceStride
            ? (base + rows.lowerBound, ld) : nil
    }

    static let maxInPlaceStride = 512

    /// Stored rows are read where they are: row r of the strip starts ld floats after row r − 1.
    /// A transposed view's six rows are adjacent at each depth step, read in place too
    /// while those steps are close (as `unpackedPanel`); a long stride is packed.
    func strip(rows: Range<Int>, depth: Range<Int>, buffer: UnsafeMutablePointer<Float>) -> GEMMStrip {
        if let strip = stripInPlace(rows: rows, depth: depth) { return strip }
        pack(rows: rows, depth: depth, width: GEMMMicroKernel.rows, into: buffer)
        return GEMMStrip(base: buffer, rowStride: 1, depthStride: GEMMMicroKernel.rows)
    }

    /// `strip`'s in-place layouts place strip t six rows after strip t − 1: 6·ld floats
    /// (stored rows) or 6 (a transposed view's adjacent rows).
    func evenStrips(rows: Range<Int>, depth: Range<Int>) -> (first: GEMMStrip, stride: Int)? {
        stripInPlace(rows: rows, depth: depth).map { ($0, GEMMMicroKernel.rows * (transposed ? 1 : ld)) }
    }

    /// The strip where the rows lie, or nil where `strip` packs it (a transposed view with a
    /// long stride).
    private func stripInPlace(rows: Range<Int>, depth: Range<Int>) -> GEMMStrip? {
        guard transposed else {
            return GEMMStrip(base: base + rows.lowerBound * ld + depth.lowerBound, rowStride: ld, depthStride: 1)
        }
        guard ld <= StridedPanelSource.maxInPlaceStride else { return nil }
        return GEMMStrip(base: base + depth.lowerBound * ld + rows.lowerBound, rowStride: 1, depthStride: ld)
    }

    func pack(rows: Range<Int>, depth: Range<Int>, width: Int, into dst: UnsafeMutablePointer<Float>) {
        let valid = max(0, min(rows.upperBound, rowCount) - rows.lowerBound)
        if transposed {
            packContiguousRows(rows.lowerBound, valid, depth, width, dst)
        } else {
            packStridedRows(rows.lowerBound, valid, depth, width, dst)
        }
    }

    /// Transposed storage: the `width` values of one depth step are adjacent in memory.
    @inline(__always)
    private func packContiguousRows(_ row0: Int, _ valid: Int, _ depth: Range<Int>, _ width: Int,
                                    _ dst: UnsafeMutablePointer<Float>) {
        var out = dst
        if valid == 16 && width == 16 {
            for p in depth {
                let src = UnsafeRawPointer(base + p * ld + row0)
                let raw = UnsafeMutableRawPointer(out)
                raw.storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                raw.storeBytes(of: src.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                               toByteOffset: 32, as: SIMD8<Float>.self)
                out += 16
            }
            return
        }
        if valid == 6 && width == 6 && row0 + 8 <= rowCount {
            // Eight in-bounds loads (rows row0 + 6, + 7 exist), six stores.
            for p in depth {
                let v = UnsafeRawPointer(base + p * ld + row0).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(out).storeBytes(of: v.lowHalf, as: SIMD4<Float>.self)
                out[4] = v[4]
                out[5] = v[5]
                out += 6
            }
            return
        }
        for p in depth {
            let src = base + p * ld + row0
            for r in 0..<valid { out[r] = src[r] }
            for r in valid..<width { out[r] = 0 }
            out += width
        }
    }

    /// Stored layout: each logical row is contiguous over depth; interleave `width` of them.
    @inline(__always)
    private func packStridedRows(_ row0: Int, _ valid: Int, _ depth: Range<Int>, _ width: Int,
                                 _ dst: UnsafeMutablePointer<Float>) {
        let kc = depth.count
        for r in 0..<valid {
            let src = base + (row0 + r) * ld + depth.lowerBound
            var out = dst + r
            for p in 0..<kc {
                out.pointee = src[p]
                out += width
            }
        }
        if valid < width {
            for p in 0..<kc {
                for r in valid..<width { dst[p * width + r] = 0 }
            }
        }
    }
}
