/// Winograd F(4×4, 3×3)'s input transform for one tile, sixteen channels at a time, on
/// CPUs with AVX-512: `Tensor.WinogradTransforms.input`, the same operations in the same
/// order on each lane, here in zmm registers, so every transformed value is
/// bit-identical to the AVX2 path (`WideTileTests` compares them):
///
///     V = (Bᵀ d) B,   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0;
///                           0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
///
/// Bᵀ d three rows at a time: rows 0–2 from the five loads of d's rows 0–4 in each
/// column, rows 3–5 from those of rows 1–5; the eighteen values fit AVX-512's 32
/// registers, so each of d's values is loaded twice at most (AVX2's sixteen registers
/// took up to four loads of each). Call only when the CPU has AVX-512 (`Tensor.SIMDLevel`).
public enum WideWinogradInput {
    typealias V = SIMD16<Float>
    typealias Row = WidePlaneRow.Row

    /// One 6×6 tile of `channels` channels (a multiple of 16), d[i][j][c] at
    /// `d + i·rowStride + j·columnStride + c`, of which the first `rows` × `columns` lie in
    /// the image (zero past them, never read: an image's last tiles may reach a row and a
    /// column past it); V[ξ][c] (ξ = 6·i + j) stored at `v + ξ·plane + c`.
    @inline(never)
    public static func tile(_ d: UnsafePointer<Float>, rowStride: Int, columnStride: Int, channels: Int,
                            rows: Int = 6, columns: Int = 6, into v: UnsafeMutablePointer<Float>, plane: Int) {
        if rows >= 6 && columns >= 6 {
            transform(d, rowStride: rowStride, columnStride: columnStride, channels: channels, rows: 6, columns: 6,
                      into: v, plane: plane)
        } else {
            transform(d, rowStride: rowStride, columnStride: columnStride, channels: channels, rows: rows,
                      columns: columns, into: v, plane: plane)
        }
    }

    /// `tile` with its extent as given: constants at the call for whole tiles, so their
    /// loads carry no test.
    @_transparent
    static func transform(_ d: UnsafePointer<Float>, rowStride: Int, columnStride: Int, channels: Int, rows: Int,
                          columns: Int, into v: UnsafeMutablePointer<Float>, plane: Int) {
        for c in stride(from: 0, to: channels, by: 16) {
            let step = plane &* 4, rowStep = 6 &* step, at = UnsafeMutableRawPointer(v + c)
            // Each half stored before the next is formed: 36 values would not fit the registers.
            let top = half(d + c, rowStride: rowStride, columnStride: columnStride, lower: false, rows: rows,
                           columns: columns)
            WidePlaneRow.store(top.0, at, step)
            WidePlaneRow.store(top.1, at + rowStep, step)
            WidePlaneRow.store(top.2, at + 2 &* rowStep, step)
            let bottom = half(d + c, rowStride: rowStride, columnStride: columnStride, lower: true, rows: rows,
                              columns: columns)
            WidePlaneRow.store(bottom.0, at + 3 &* rowStep, step)
            WidePlaneRow.store(bottom.1, at + 4 &* rowStep, step)
            WidePlaneRow.store(bottom.2, at + 5 &* rowStep, step)
        }
    }

    /// Rows 0–2 of V (3–5 when `lower`): rows of Bᵀ d column by column, then each along its six.
    @_transparent
    static func half(_ d: UnsafePointer<Float>, rowStride: Int, columnStride: Int, lower: Bool, rows: Int,
                     columns: Int) -> (Row, Row, Row) {
        let first = lower ? 1 : 0
        let raw = UnsafeRawPointer(d) + first &* rowStride &* 4
        let rowStep = rowStride &* 4, columnStep = columnStride &* 4, inside = rows &- first
        let c0 = column(raw, rowStep, lower, rows: columns > 0 ? inside : 0)
        let c1 = column(raw + columnStep, rowStep, lower, rows: columns > 1 ? inside : 0)
        let c2 = column(raw + 2 &* columnStep, rowStep, lower, rows: columns > 2 ? inside : 0)
        let c3 = column(raw + 3 &* columnStep, rowStep, lower, rows: columns > 3 ? inside : 0)
        let c4 = column(raw + 4 &* columnStep, rowStep, lower, rows: columns > 4 ? inside : 0)
        let c5 = column(raw + 5 &* columnStep, rowStep, lower, rows: columns > 5 ? inside : 0)
        return (spread(c0.0, c1.0, c2.0, c3.0, c4.0, c5.0), spread(c0.1, c1.1, c2.1, c3.1, c4.1, c5.1),
                spread(c0.2, c1.2, c2.2, c3.2, c4.2, c5.2))
    }

    /// The value at `p`, or zero where it lies past the image.
    @_transparent
    static func load(_ p: UnsafeRawPointer, _ inside: Bool) -> V { inside ? p.loadUnaligned(as: V.self) : V() }

    /// Rows 0–2 of Bᵀ d in one column (3–5 when `lower`), from its five values at
    /// `at + k·rowStep`: d's rows 0–4, or 1–5; those from the `rows`-th on are zero.
    @_transparent
    static func column(_ at: UnsafeRawPointer, _ rowStep: Int, _ lower: Bool, rows: Int) -> (V, V, V) {
        let y0 = load(at, rows > 0), y1 = load(at + rowStep, rows > 1), y2 = load(at + 2 &* rowStep, rows > 2)
        let y3 = load(at + 3 &* rowStep, rows > 3), y4 = load(at + 4 &* rowStep, rows > 4)
        if lower {
            // d's rows 1–5 are y0 … y4.
            let e = y3 - y1, f = y2 - y0
            return (e.addingProduct(f, 2), e.addingProduct(f, -2), y4.addingProduct(y2, -5).addingProduct(y0, 4))
        }
        return (y4.addingProduct(y2, -5).addingProduct(y0, 4), (y3 + y4).addingProduct(y1 + y2, -4),
                (y4 - y3).addingProduct(y1 - y2, 4))
    }

    /// Bᵀ x for six values.
    @_transparent
    static func spread(_ x0: V, _ x1: V, _ x2: V, _ x3: V, _ x4: V, _ x5: V) -> Row {
        let a = x3 + x4, b = x1 + x2, c = x4 - x3, d = x1 - x2, e = x4 - x2, f = x3 - x1
        return (x4.addingProduct(x2, -5).addingProduct(x0, 4), a.addingProduct(b, -4), c.addingProduct(d, 4),
                e.addingProduct(f, 2), e.addingProduct(f, -2), x5.addingProduct(x3, -5).addingProduct(x1, 4))
    }
}
