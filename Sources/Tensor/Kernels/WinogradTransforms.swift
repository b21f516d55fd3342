/// The small transforms of Winograd's F(4×4, 3×3) (Lavin & Gray, 2015; interpolation
/// points 0, ±1, ±2, ∞), which computes a 4×4 block of a 3×3 correlation with 36
/// multiplications instead of 144:
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
///
/// for a 6×6 input tile d and a 3×3 filter g, with
///
///     Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1]
///     G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1]
///     Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1]
///
/// Over channels the ⊙ becomes, for each of the 36 positions ξ, a matrix product
/// (tiles × cin)·(cin × cout): that is what `WinogradConvolution` hands the GEMM. The
/// weight gradient is the same trilinear form read for g (`WinogradWeightGradient`):
/// dW = Gᵀ [ (A e Aᵀ) ⊙ (Bᵀ d B) ] G for a 4×4 block e of dy.
///
/// Each transform works on eight channels at once (one SIMD8 per tile value), in two
/// one-dimensional passes: row i of the first product (Bᵀ d, Aᵀ m, G g, A e) is formed
/// straight from loads of the tile, then spread along the row (all 36 values of a pass
/// would not fit in 16 registers, and a stack array between the passes stalled on
/// store forwarding). Tile values are indexed ξ = 6·row + column. On AVX-512 CPUs the
/// input, output and dy transforms run sixteen channels wide instead, lane for lane the
/// same operations (`WideWinogradInput`, `WideWinogradOutput`, `WideWinogradGradient` in
/// `TensorAVX512`), where 32 registers hold a pass's values. F(2×2, 3×3), which
/// this replaced, spent 16 products per 4 outputs where this spends 36 per 16: 1.8×
/// fewer for a large image, for about twice the transforms' arithmetic per output.
enum WinogradTransforms {
    typealias Vector = SIMD8<Float>

    /// Outputs along each side of a tile (m of F(m×m, 3×3)).
    static let outputs = 4
    /// Input values along each side of a tile, m + 2.
    static let span = 6
    /// Products per tile, one GEMM each: span².
    static let positions = 36

    // G's fractions as Floats (`Float(1 / 6)` would divide the integers), computed
    // properties so that they fold into the code rather than live in a global.
    private static var sixth: Float { 1 / 6 }
    private static var twelfth: Float { 1 / 12 }
    private static var twentyFourth: Float { 1 / 24 }

    /// V = Bᵀ d B for one 6×6 tile of eight channels, d[i][j] at
    /// `d + i·rowStride + j·columnStride`, V[ξ] stored at `v + ξ·plane`. Row i of Bᵀ d
    /// is formed straight from the tile's loads, column by column (`inputRow`), so
    /// nothing is stored and read back: through a stack array, the compiler's
    /// half-width stores made every read-back miss store forwarding, a third of the
    /// transform's time.
    @inline(__always)
    static func input(_ d: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                      into v: UnsafeMutablePointer<Float>, plane: Int) {
        @inline(__always) func load(_ i: Int, _ j: Int) -> Vector {
            UnsafeRawPointer(d + (i &* rowStride &+ j &* columnStride)).loadUnaligned(as: Vector.self)
        }
        // V = (Bᵀ d) B: the same combination along each row i, stored at ξ = 6·i … 6·i + 5.
        storeRows(into: v, plane: plane) { i in
            @inline(__always) func t(_ j: Int) -> Vector { inputRow(i) { k in load(k, j) } }
            return spreadInput(t(0), t(1), t(2), t(3), t(4), t(5))
        }
    }

    /// One row of Y = Aᵀ m A: its four outputs.
    typealias OutputRow = (Vector, Vector, Vector, Vector)

    /// Y = Aᵀ m A for one tile's 36 products of eight channels, m[ξ] at `m + ξ·plane`:
    /// each of the 4×4 outputs handed to `write(i, j, y)`, two rows at a time (`outputRows`).
    @inline(__always)
    static func output(_ m: UnsafePointer<Float>, plane: Int, _ write: (Int, Int, Vector) -> Void) {
        @inline(__always) func rows(_ lower: Bool) {
            let (upper, under) = outputRows(m, plane: plane, lower: lower)
            let i = lower ? 2 : 0
            write(i, 0, upper.0)
            write(i, 1, upper.1)
            write(i, 2, upper.2)
            write(i, 3, upper.3)
            write(i + 1, 0, under.0)
            write(i + 1, 1, under.1)
            write(i + 1, 2, under.2)
            write(i + 1, 3, under.3)
        }
        rows(false)
        rows(true)
    }

    /// Rows 0 and 1 of Y = Aᵀ m A (`output`), or rows 2 and 3 when `lower`, formed from
    /// the loads of m alone: column j of the two rows of Aᵀ m from five loads of m's
    /// column j (rows 0–4 of m, or 1–5), then each row of Y from its six. Each value is
    /// `outputRow`'s combination followed by `gatherOutput`'s, so a row pair's bits do not
    /// depend on which pair is formed first.
    @_transparent
    static func outputRows(_ m: UnsafePointer<Float>, plane: Int, lower: Bool) -> (OutputRow, OutputRow) {
        let step = plane &* MemoryLayout<Float>.stride, rowStep = 6 &* step
        let top = UnsafeRawPointer(m) + (lower ? rowStep : 0)
        let c0 = outputColumn(top, rowStep: rowStep, lower: lower)
        let c1 = outputColumn(top + step, rowStep: rowStep, lower: lower)
        let c2 = outputColumn(top + 2 &* step, rowStep: rowStep, lower: lower)
        let c3 = outputColumn(top + 3 &* step, rowStep: rowStep, lower: lower)
        let c4 = outputColumn(top + 4 &* step, rowStep: rowStep, lower: lower)
        let c5 = outputColumn(top + 5 &* step, rowStep: rowStep, lower: lower)
        return (gatherOutput(c0.0, c1.0, c2.0, c3.0, c4.0, c5.0), gatherOutput(c0.1, c1.1, c2.1, c3.1, c4.1, c5.1))
    }

    /// Rows 0 and 1 of Aᵀ m in one column (rows 2 and 3 when `lower`), from the five values
    /// of m's column at `at + k·rowStep`: m's rows 0–4, or 1–5 when `lower`.
    @_transparent
    static func outputColumn(_ at: UnsafeRawPointer, rowStep: Int, lower: Bool) -> (Vector, Vector) {
        let x = (at.loadUnaligned(as: Vector.self), (at + rowStep).loadUnaligned(as: Vector.self),
                 (at + 2 &* rowStep).loadUnaligned(as: Vector.self), (at + 3 &* rowStep).loadUnaligned(as: Vector.self),
                 (at + 4 &* rowStep).loadUnaligned(as: Vector.self))
        if lower {
            return (outputRow(2) { r in element(x, r - 1) }, outputRow(3) { r in element(x, r - 1) })
        }
        return (outputRow(0) { r in element(x, r) }, outputRow(1) { r in element(x, r) })
    }

    /// Element `k` of five values.
    @_transparent
    static func element(_ x: (Vector, Vector, Vector, Vector, Vector), _ k: Int) -> Vector {
        switch k {
        case 0: return x.0
        case 1: return x.1
        case 2: return x.2
        case 3: return x.3
        default: return x.4
        }
    }

    /// U = G g Gᵀ for one 3×3 filter, g(r, s) = `g[3·r + s]`, written to u[6·a + b]:
    /// lane 0 of `filters`, so the same bits as eight filters at once.
    static func filter(_ g: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        filters({ t in Vector(repeating: g[t]) }, { xi, value in u[xi] = value[0] })
    }

    /// U = G g Gᵀ for eight filters at once: g(r, s) = `load(3·r + s)`, U[6·a + b]
    /// handed to `store(6·a + b, ·)`. Row a of G g is formed straight from the loads,
    /// as in `input`.
    @inline(__always)
    static func filters(_ load: (Int) -> Vector, _ store: (Int, Vector) -> Void) {
        @inline(__always) func row(_ a: Int) {
            @inline(__always) func t(_ s: Int) -> Vector { filterRow(a) { r in load(3 &* r &+ s) } }
            let u = spreadFilter(t(0), t(1), t(2))
            store(6 &* a, u.0)
            store(6 &* a &+ 1, u.1)
            store(6 &* a &+ 2, u.2)
            store(6 &* a &+ 3, u.3)
            store(6 &* a &+ 4, u.4)
            store(6 &* a &+ 5, u.5)
        }
        row(0)
        row(1)
        row(2)
        row(3)
        row(4)
        row(5)
    }

    /// E = A e Aᵀ for one 4×4 block e of a weight gradient's dy (eight channels),
    /// e[i][j] at `e + i·rowStride + j·columnStride`, E[ξ] stored at `u + ξ·plane`: the
    /// weight gradient's twin of `filter` (`WinogradWeightGradient`). Row a of A e is
    /// formed straight from the loads, as in `input`.
    @inline(__always)
    static func gradient(_ e: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                         into u: UnsafeMutablePointer<Float>, plane: Int) {
        @inline(__always) func load(_ i: Int, _ j: Int) -> Vector {
            UnsafeRawPointer(e + (i &* rowStride &+ j &* columnStride)).loadUnaligned(as: Vector.self)
        }
        storeRows(into: u, plane: plane) { a in
            @inline(__always) func t(_ j: Int) -> Vector { gradientRow(a) { k in load(k, j) } }
            return spreadGradient(t(0), t(1), t(2), t(3))
        }
    }

    /// The six rows `row(0)` … `row(5)` of a transformed tile, ξ = 6·i + j stored at
    /// `v + ξ·plane`: the stores walk the planes in order with one pointer (36
    /// precomputed plane offsets would spill to the stack and be reloaded per store).
    @inline(__always)
    private static func storeRows(into v: UnsafeMutablePointer<Float>, plane: Int,
                                  _ row: (Int) -> (Vector, Vector, Vector, Vector, Vector, Vector)) {
        var at = UnsafeMutableRawPointer(v)
        let step = plane &* MemoryLayout<Float>.stride
        @inline(__always) func store(_ value: Vector) {
            at.storeBytes(of: value, as: Vector.self)
            at += step
        }
        @inline(__always) func stored(_ i: Int) {
            let r = row(i)
            store(r.0)
            store(r.1)
            store(r.2)
            store(r.3)
            store(r.4)
            store(r.5)
        }
        stored(0)
        stored(1)
        stored(2)
        stored(3)
        stored(4)
        stored(5)
    }

    /// Row i of Bᵀ x for six values x(0) … x(5): `spreadInput`'s i-th value, formed alone.
    @inline(__always)
    static func inputRow(_ i: Int, _ x: (Int) -> Vector) -> Vector {
        switch i {
        case 0: return x(4).addingProduct(x(2), -5).addingProduct(x(0), 4)
        case 1: return (x(3) + x(4)).addingProduct(x(1) + x(2), -4)
        case 2: return (x(4) - x(3)).addingProduct(x(1) - x(2), 4)
        case 3: return (x(4) - x(2)).addingProduct(x(3) - x(1), 2)
        case 4: return (x(4) - x(2)).addingProduct(x(3) - x(1), -2)
        default: return x(5).addingProduct(x(3), -5).addingProduct(x(1), 4)
        }
    }

    /// Row i of Aᵀ x for six values: `gatherOutput`'s i-th value, formed alone.
    @inline(__always)
    static func outputRow(_ i: Int, _ x: (Int) -> Vector) -> Vector {
        switch i {
        case 0: return x(0) + (x(1) + x(2)) + (x(3) + x(4))
        case 1: return (x(1) - x(2)).addingProduct(x(3) - x(4), 2)
        case 2: return (x(1) + x(2)).addingProduct(x(3) + x(4), 4)
        default: return (x(1) - x(2) + x(5)).addingProduct(x(3) - x(4), 8)
        }
    }

    /// Row a of G x for three values: `spreadFilter`'s a-th value, formed alone.
    @inline(__always)
    static func filterRow(_ a: Int, _ x: (Int) -> Vector) -> Vector {
        switch a {
        case 0: return x(0) * 0.25
        case 1: return (x(0) + x(2) + x(1)) * -sixth
        case 2: return (x(0) + x(2) - x(1)) * -sixth
        case 3, 4:
            let even: Vector = x(0) * twentyFourth + x(2) * sixth, odd: Vector = x(1) * twelfth
            return a == 3 ? even + odd : even - odd
        default: return x(2)
        }
    }

    /// Row a of A x for four values: `spreadGradient`'s a-th value, formed alone.
    @inline(__always)
    static func gradientRow(_ a: Int, _ x: (Int) -> Vector) -> Vector {
        switch a {
        case 0: return x(0)
        case 1: return (x(0) + x(2)) + (x(1) + x(3))
        case 2: return (x(0) + x(2)) - (x(1) + x(3))
        case 3: return x(0).addingProduct(x(2), 4).addingProduct(x(1).addingProduct(x(3), 4), 2)
        case 4: return x(0).addingProduct(x(2), 4).addingProduct(x(1).addingProduct(x(3), 4), -2)
        default: return x(3)
        }
    }

    /// Bᵀ x for six values (fused multiply-adds where a product meets a sum).
    @inline(__always)
    static func spreadInput(_ x0: Vector, _ x1: Vector, _ x2: Vector, _ x3: Vector, _ x4: Vector,
                            _ x5: Vector) -> (Vector, Vector, Vector, Vector, Vector, Vector) {
        let a = x3 + x4, b = x1 + x2, c = x4 - x3, d = x1 - x2, e = x4 - x2, f = x3 - x1
        return (x4.addingProduct(x2, -5).addingProduct(x0, 4), a.addingProduct(b, -4), c.addingProduct(d, 4),
                e.addingProduct(f, 2), e.addingProduct(f, -2), x5.addingProduct(x3, -5).addingProduct(x1, 4))
    }

    /// Aᵀ x for six values: four.
    @inline(__always)
    static func gatherOutput(_ x0: Vector, _ x1: Vector, _ x2: Vector, _ x3: Vector, _ x4: Vector,
                             _ x5: Vector) -> (Vector, Vector, Vector, Vector) {
        let sum12 = x1 + x2, difference12 = x1 - x2, sum34 = x3 + x4, difference34 = x3 - x4
        return (x0 + sum12 + sum34, difference12.addingProduct(difference34, 2), sum12.addingProduct(sum34, 4),
                (difference12 + x5).addingProduct(difference34, 8))
    }

    /// G x for three values: six.
    @inline(__always)
    static func spreadFilter(_ x0: Vector, _ x1: Vector, _ x2: Vector) -> (Vector, Vector, Vector, Vector, Vector, Vector) {
        let outer = x0 + x2, even: Vector = x0 * twentyFourth + x2 * sixth, odd: Vector = x1 * twelfth
        return (x0 * 0.25, (outer + x1) * -sixth, (outer - x1) * -sixth, even + odd, even - odd, x2)
    }

    /// A x for four values: six.
    @inline(__always)
    static func spreadGradient(_ x0: Vector, _ x1: Vector, _ x2: Vector,
                               _ x3: Vector) -> (Vector, Vector, Vector, Vector, Vector, Vector) {
        let even = x0 + x2, odd = x1 + x3, evenFour = x0.addingProduct(x2, 4), oddFour = x1.addingProduct(x3, 4)
        return (x0, even + odd, even - odd, evenFour.addingProduct(oddFour, 2), evenFour.addingProduct(oddFour, -2), x3)
    }

    /// Gᵀ x for six values of a weight gradient's products: three of the 3×3 dW (eight
    /// channels a lane, each lane the arithmetic of one scalar).
    @inline(__always)
    static func collapse(_ x0: Vector, _ x1: Vector, _ x2: Vector, _ x3: Vector, _ x4: Vector,
                         _ x5: Vector) -> (Vector, Vector, Vector) {
        let sum12 = x1 + x2, sum34 = x3 + x4
        return (x0 * 0.25 - sum12 * sixth + sum34 * twentyFourth, (x2 - x1) * sixth + (x3 - x4) * twelfth,
                (sum34 - sum12) * sixth + x5)
    }
}
