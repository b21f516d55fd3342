/// The three small transforms of Winograd's F(2×2, 3×3) (Lavin & Gray, 2015), which
/// computes a 2×2 block of a 3×3 correlation with 16 multiplications instead of 36:
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
///
/// for a 4×4 input tile d and a 3×3 filter g, with
///
///     Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]
///     G  = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]
///     Aᵀ = [1 1 1 0; 0 1 −1 −1]
///
/// Over channels the ⊙ becomes, for each of the 16 positions ξ, a matrix product
/// (tiles × cin)·(cin × cout): that is what `WinogradConvolution` hands the GEMM.
/// Here each transform works on eight channels at once (one SIMD8 per tile value);
/// the tile's values are indexed ξ = 4·row + column.
enum WinogradTransforms {
    typealias Vector = SIMD8<Float>

    /// V = Bᵀ d B for one 4×4 tile of eight channels, d[i][j] at
    /// `d + i·rowStride + j·columnStride`, V[ξ] stored at `v + ξ·plane`. Straight-line
    /// code on locals, so the 16 values stay in registers; the stores walk the planes
    /// in order with one pointer (16 precomputed plane offsets spilled to the stack and
    /// were reloaded for every store).
    @inline(__always)
    static func input(_ d: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                      into v: UnsafeMutablePointer<Float>, plane: Int) {
        @inline(__always) func load(_ i: Int, _ j: Int) -> Vector {
            UnsafeRawPointer(d + (i &* rowStride &+ j &* columnStride)).loadUnaligned(as: Vector.self)
        }
        var at = UnsafeMutableRawPointer(v)
        let step = plane &* MemoryLayout<Float>.stride
        @inline(__always) func store(_ value: Vector) {
            at.storeBytes(of: value, as: Vector.self)
            at += step
        }
        // t = Bᵀ d: rows (d0 − d2, d1 + d2, d2 − d1, d1 − d3), column by column j.
        @inline(__always) func column(_ j: Int) -> (Vector, Vector, Vector, Vector) {
            let (d0, d1, d2, d3) = (load(0, j), load(1, j), load(2, j), load(3, j))
            return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
        }
        let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
        // V = t B: the same combination along each row i, stored at ξ = 4·i … 4·i + 3.
        @inline(__always) func row(_ i: Int, _ t0: Vector, _ t1: Vector, _ t2: Vector, _ t3: Vector) {
            store(t0 - t2)
            store(t1 + t2)
            store(t2 - t1)
            store(t1 - t3)
        }
        row(0, c0.0, c1.0, c2.0, c3.0)
        row(1, c0.1, c1.1, c2.1, c3.1)
        row(2, c0.2, c1.2, c2.2, c3.2)
        row(3, c0.3, c1.3, c2.3, c3.3)
    }

    /// Y = Aᵀ m A for one tile's 16 products of eight channels, m[ξ] at `m + ξ·plane`:
    /// the 2×2 outputs (y00, y01, y10, y11).
    @inline(__always)
    static func output(_ m: UnsafePointer<Float>, plane: Int) -> (Vector, Vector, Vector, Vector) {
        @inline(__always) func load(_ xi: Int) -> Vector {
            UnsafeRawPointer(m + xi &* plane).loadUnaligned(as: Vector.self)
        }
        // t = Aᵀ m (2×4): rows m0 + m1 + m2 and m1 − m2 − m3, column by column; then Y = t A.
        @inline(__always) func column(_ j: Int) -> (Vector, Vector) {
            let (m0, m1, m2, m3) = (load(j), load(4 &+ j), load(8 &+ j), load(12 &+ j))
            return (m0 + m1 + m2, m1 - m2 - m3)
        }
        let c0 = column(0), c1 = column(1), c2 = column(2), c3 = column(3)
        return (c0.0 + c1.0 + c2.0, c1.0 - c2.0 - c3.0, c0.1 + c1.1 + c2.1, c1.1 - c2.1 - c3.1)
    }

    /// U = G g Gᵀ for one 3×3 filter, g(r, s) = `g[3·r + s]`, written to u[4·a + b]
    /// (no allocation: it runs once per channel pair at every step).
    @inline(__always)
    static func filter(_ g: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        // Column by column Gg (4×3), then row by row (Gg)Gᵀ.
        @inline(__always) func spread(_ v0: Float, _ v1: Float, _ v2: Float) -> (Float, Float, Float, Float) {
            (v0, 0.5 * (v0 + v1 + v2), 0.5 * (v0 - v1 + v2), v2)
        }
        let c0 = spread(g[0], g[3], g[6]), c1 = spread(g[1], g[4], g[7]), c2 = spread(g[2], g[5], g[8])
        func row(_ r: Int, _ v: (Float, Float, Float, Float)) {
            (u[4 * r], u[4 * r + 1], u[4 * r + 2], u[4 * r + 3]) = v
        }
        row(0, spread(c0.0, c1.0, c2.0))
        row(1, spread(c0.1, c1.1, c2.1))
        row(2, spread(c0.2, c1.2, c2.2))
        row(3, spread(c0.3, c1.3, c2.3))
    }

    /// `filter` for eight filters at once, lane by lane the same arithmetic (so the same
    /// bits): g(r, s) = `load(3·r + s)`, U[4·a + b] handed to `store(4·a + b, ·)`.
    @inline(__always)
    static func filters(_ load: (Int) -> Vector, _ store: (Int, Vector) -> Void) {
        @inline(__always) func spread(_ v0: Vector, _ v1: Vector, _ v2: Vector) -> (Vector, Vector, Vector, Vector) {
            (v0, 0.5 * (v0 + v1 + v2), 0.5 * (v0 - v1 + v2), v2)
        }
        let c0 = spread(load(0), load(3), load(6)), c1 = spread(load(1), load(4), load(7))
        let c2 = spread(load(2), load(5), load(8))
        @inline(__always) func row(_ r: Int, _ v: (Vector, Vector, Vector, Vector)) {
            store(4 &* r, v.0)
            store(4 &* r &+ 1, v.1)
            store(4 &* r &+ 2, v.2)
            store(4 &* r &+ 3, v.3)
        }
        row(0, spread(c0.0, c1.0, c2.0))
        row(1, spread(c0.1, c1.1, c2.1))
        row(2, spread(c0.2, c1.2, c2.2))
        row(3, spread(c0.3, c1.3, c2.3))
    }

    /// E = G₂ e G₂ᵀ for one 2×2 block e of a weight gradient's dy (eight channels),
    /// G₂ = [1 0; ½ ½; ½ −½; 0 1], e[i][j] at `e + i·rowStride + j·columnStride`, E[ξ]
    /// stored at `u + ξ·plane`. The F(3×3, 2×2) twin of `filter` (`WinogradWeightGradient`).
    @inline(__always)
    static func gradient(_ e: UnsafePointer<Float>, rowStride: Int, columnStride: Int,
                         into u: UnsafeMutablePointer<Float>, plane: Int) {
        @inline(__always) func load(_ i: Int, _ j: Int) -> Vector {
            UnsafeRawPointer(e + (i &* rowStride &+ j &* columnStride)).loadUnaligned(as: Vector.self)
        }
        @inline(__always) func store(_ value: Vector, _ xi: Int) {
            UnsafeMutableRawPointer(u + xi &* plane).storeBytes(of: value, as: Vector.self)
        }
        @inline(__always) func spread(_ a: Vector, _ b: Vector) -> (Vector, Vector, Vector, Vector) {
            (a, 0.5 * (a + b), 0.5 * (a - b), b)
        }
        // Column by column G₂e (4×2), then row by row (G₂e)G₂ᵀ.
        let c0 = spread(load(0, 0), load(1, 0)), c1 = spread(load(0, 1), load(1, 1))
        @inline(__always) func row(_ i: Int, _ a: Vector, _ b: Vector) {
            let r = spread(a, b)
            store(r.0, 4 &* i)
            store(r.1, 4 &* i &+ 1)
            store(r.2, 4 &* i &+ 2)
            store(r.3, 4 &* i &+ 3)
        }
        row(0, c0.0, c1.0)
        row(1, c0.1, c1.1)
        row(2, c0.2, c1.2)
        row(3, c0.3, c1.3)
    }

    /// A₃ᵀ m for four values down one column of a weight gradient's 4×4 products,
    /// A₃ᵀ = [1 1 1 0; 0 1 −1 0; 0 1 1 −1]: three of the 3×3 dW.
    @inline(__always)
    static func collapse(_ m0: Float, _ m1: Float, _ m2: Float, _ m3: Float) -> (Float, Float, Float) {
        (m0 + m1 + m2, m1 - m2, m1 + m2 - m3)
    }
}
