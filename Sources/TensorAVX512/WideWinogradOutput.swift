/// Winograd F(4×4, 3×3)'s output transform for one tile, sixteen channels at a time, on
/// CPUs with AVX-512, alone (`tile`) or with the 2×2, stride-2 max pooling after it
/// (`pooledTile`): `Tensor.WinogradConvolution.transformOutput` and
/// `transformOutputPooled`, the same operations in the same order on each lane, here in
/// zmm registers, so every value is bit-identical to the AVX2 path (`WideTileTests`
/// compares them):
///
///     t = Aᵀ m (each column of the tile's 6×6 products),  y = f(bias + t A),
///     pooled[a, b] = max over y[2a + r, 2b + s], r, s ∈ {0, 1}, scanned in that order
///
/// with Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]; a later window
/// value wins only where strictly greater, and f is max(·, 0) (x < 0 → 0) when
/// `rectify`. The eight values of a row pair and the twelve of Aᵀ m they come from fit
/// AVX-512's 32 registers, where AVX2's sixteen spill a third of them to the stack.
/// Call only when the CPU has AVX-512 (`Tensor.SIMDLevel`).
public enum WideWinogradOutput {
    typealias V = SIMD16<Float>

    /// One tile's products m[ξ][o] at `m + ξ·plane + o` (ξ = 6·row + column), `channels`
    /// of them (a multiple of 16), into its first `rows` × `columns` outputs: output
    /// (i, j) at `y + i·rowStride + j·channels`.
    @inline(never)
    public static func tile(_ m: UnsafePointer<Float>, plane: Int, channels: Int, bias: UnsafePointer<Float>?,
                            rectify: Bool, rows: Int, columns: Int, into y: UnsafeMutablePointer<Float>,
                            rowStride: Int) {
        for o in stride(from: 0, to: channels, by: 16) {
            let b = bias.map { UnsafeRawPointer($0 + o).loadUnaligned(as: V.self) } ?? V()
            @_transparent func write(_ row: Row, _ at: UnsafeMutablePointer<Float>) {
                store(finished(row.0, b, rectify), at)
                if columns > 1 { store(finished(row.1, b, rectify), at + channels) }
                if columns > 2 { store(finished(row.2, b, rectify), at + 2 &* channels) }
                if columns > 3 { store(finished(row.3, b, rectify), at + 3 &* channels) }
            }
            let top = rowPair(m + o, plane: plane, lower: false)
            write(top.0, y + o)
            if rows > 1 { write(top.1, y + rowStride + o) }
            guard rows > 2 else { continue }
            let bottom = rowPair(m + o, plane: plane, lower: true)
            write(bottom.0, y + 2 &* rowStride + o)
            if rows > 3 { write(bottom.1, y + 3 &* rowStride + o) }
        }
    }

    /// `tile`'s outputs pooled into `windowRows` × `windowColumns` (1 or 2 each) windows:
    /// window (a, b) at `pooled + a·rowStride + b·channels`; outputs of windows left out are
    /// not formed.
    @inline(never)
    public static func pooledTile(_ m: UnsafePointer<Float>, plane: Int, channels: Int, bias: UnsafePointer<Float>?,
                                  rectify: Bool, windowRows: Int, windowColumns: Int,
                                  into pooled: UnsafeMutablePointer<Float>, rowStride: Int) {
        for o in stride(from: 0, to: channels, by: 16) {
            let b = bias.map { UnsafeRawPointer($0 + o).loadUnaligned(as: V.self) } ?? V()
            let top = rowPair(m + o, plane: plane, lower: false)
            store(window(top.0.0, top.0.1, top.1.0, top.1.1, b, rectify), pooled + o)
            if windowColumns > 1 { store(window(top.0.2, top.0.3, top.1.2, top.1.3, b, rectify), pooled + channels + o) }
            guard windowRows > 1 else { continue }
            let bottom = rowPair(m + o, plane: plane, lower: true)
            store(window(bottom.0.0, bottom.0.1, bottom.1.0, bottom.1.1, b, rectify), pooled + rowStride + o)
            guard windowColumns > 1 else { continue }
            store(window(bottom.0.2, bottom.0.3, bottom.1.2, bottom.1.3, b, rectify), pooled + rowStride + channels + o)
        }
    }

    /// f(value + bias).
    @_transparent
    static func finished(_ value: V, _ bias: V, _ rectify: Bool) -> V {
        var out = value + bias
        if rectify { out.replace(with: 0, where: out .< 0) }
        return out
    }

    /// A window's four outputs, each f(value + bias), then their maximum in scan order:
    /// a later value wins only where strictly greater.
    @_transparent
    static func window(_ topLeft: V, _ right: V, _ below: V, _ belowRight: V, _ bias: V, _ rectify: Bool) -> V {
        var best = finished(topLeft, bias, rectify)
        let r = finished(right, bias, rectify), b = finished(below, bias, rectify)
        let br = finished(belowRight, bias, rectify)
        best.replace(with: r, where: r .> best)
        best.replace(with: b, where: b .> best)
        best.replace(with: br, where: br .> best)
        return best
    }

    typealias Row = (V, V, V, V)

    /// Rows 0 and 1 of y = Aᵀ m A, or rows 2 and 3 when `lower`: rows i, i + 1 of Aᵀ m in
    /// each column from that column's five loads (m's rows 0–4, or 1–5), then each row
    /// along its six values.
    @_transparent
    static func rowPair(_ m: UnsafePointer<Float>, plane: Int, lower: Bool) -> (Row, Row) {
        let step = plane &* 4, rowStep = 6 &* step
        let top = UnsafeRawPointer(m) + (lower ? rowStep : 0)
        let c0 = column(top, rowStep, lower), c1 = column(top + step, rowStep, lower)
        let c2 = column(top + 2 &* step, rowStep, lower), c3 = column(top + 3 &* step, rowStep, lower)
        let c4 = column(top + 4 &* step, rowStep, lower), c5 = column(top + 5 &* step, rowStep, lower)
        return (along(c0.0, c1.0, c2.0, c3.0, c4.0, c5.0), along(c0.1, c1.1, c2.1, c3.1, c4.1, c5.1))
    }

    /// Rows i and i + 1 of Aᵀ m in one column, from its five values at `at + k·rowStep`.
    @_transparent
    static func column(_ at: UnsafeRawPointer, _ rowStep: Int, _ lower: Bool) -> (V, V) {
        let x0 = at.loadUnaligned(as: V.self), x1 = (at + rowStep).loadUnaligned(as: V.self)
        let x2 = (at + 2 &* rowStep).loadUnaligned(as: V.self), x3 = (at + 3 &* rowStep).loadUnaligned(as: V.self)
        let x4 = (at + 4 &* rowStep).loadUnaligned(as: V.self)
        if lower {
            // m's rows 1–5 are x0 … x4: Aᵀ's rows 2 and 3.
            return ((x0 + x1).addingProduct(x2 + x3, 4), (x0 - x1 + x4).addingProduct(x2 - x3, 8))
        }
        return (x0 + (x1 + x2) + (x3 + x4), (x1 - x2).addingProduct(x3 - x4, 2))
    }

    /// x A for one row of six values: four.
    @_transparent
    static func along(_ x0: V, _ x1: V, _ x2: V, _ x3: V, _ x4: V, _ x5: V) -> Row {
        let sum12 = x1 + x2, difference12 = x1 - x2, sum34 = x3 + x4, difference34 = x3 - x4
        return (x0 + sum12 + sum34, difference12.addingProduct(difference34, 2), sum12.addingProduct(sum34, 4),
                (difference12 + x5).addingProduct(difference34, 8))
    }

    @_transparent
    static func store(_ value: V, _ at: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(at).storeBytes(of: value, as: V.self)
    }
}
