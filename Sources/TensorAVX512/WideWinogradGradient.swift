/// The weight gradient's transform of dy for one 4×4 block, sixteen channels at a time,
/// on CPUs with AVX-512: `Tensor.WinogradTransforms.gradient`, the same operations in the
/// same order on each lane, here in zmm registers, so every transformed value is
/// bit-identical to the AVX2 path (`WideTileTests` compares them):
///
///     E = (A e) Aᵀ,   A = [1 0 0 0; 1 1 1 1; 1 −1 1 −1; 1 2 4 8; 1 −2 4 −8; 0 0 0 1]
///
/// each of e's columns spread to six values of A e from its four loads, then each row
/// of A e along its four. The 24 values of A e fit AVX-512's 32 registers, so each of
/// e's values is loaded once (AVX2's sixteen registers took it once per row of A e).
/// Call only when the CPU has AVX-512 (`Tensor.SIMDLevel`).
public enum WideWinogradGradient {
    typealias V = SIMD16<Float>

    /// One block of `channels` channels (a multiple of 16), e[i][j][c] at
    /// `e + i·rowStride + j·columnStride + c`; E[ξ][c] (ξ = 6·a + b) stored at `u + ξ·plane + c`.
    @inline(never)
    public static func tile(_ e: UnsafePointer<Float>, rowStride: Int, columnStride: Int, channels: Int,
                            into u: UnsafeMutablePointer<Float>, plane: Int) {
        let rowStep = rowStride &* 4, columnStep = columnStride &* 4, step = plane &* 4
        for c in stride(from: 0, to: channels, by: 16) {
            let at = UnsafeRawPointer(e + c)
            let c0 = column(at, rowStep), c1 = column(at + columnStep, rowStep)
            let c2 = column(at + 2 &* columnStep, rowStep), c3 = column(at + 3 &* columnStep, rowStep)
            let out = UnsafeMutableRawPointer(u + c), rowOut = 6 &* step
            WidePlaneRow.store(spread(c0.0, c1.0, c2.0, c3.0), out, step)
            WidePlaneRow.store(spread(c0.1, c1.1, c2.1, c3.1), out + rowOut, step)
            WidePlaneRow.store(spread(c0.2, c1.2, c2.2, c3.2), out + 2 &* rowOut, step)
            WidePlaneRow.store(spread(c0.3, c1.3, c2.3, c3.3), out + 3 &* rowOut, step)
            WidePlaneRow.store(spread(c0.4, c1.4, c2.4, c3.4), out + 4 &* rowOut, step)
            WidePlaneRow.store(spread(c0.5, c1.5, c2.5, c3.5), out + 5 &* rowOut, step)
        }
    }

    typealias Six = WidePlaneRow.Row

    /// A x of one column of e: its four values at `at + k·rowStep`, spread to six.
    @_transparent
    static func column(_ at: UnsafeRawPointer, _ rowStep: Int) -> Six {
        spread(at.loadUnaligned(as: V.self), (at + rowStep).loadUnaligned(as: V.self),
               (at + 2 &* rowStep).loadUnaligned(as: V.self), (at + 3 &* rowStep).loadUnaligned(as: V.self))
    }

    /// A x for four values: six.
    @_transparent
    static func spread(_ x0: V, _ x1: V, _ x2: V, _ x3: V) -> Six {
        let even = x0 + x2, odd = x1 + x3, evenFour = x0.addingProduct(x2, 4), oddFour = x1.addingProduct(x3, 4)
        return (x0, even + odd, even - odd, evenFour.addingProduct(oddFour, 2), evenFour.addingProduct(oddFour, -2), x3)
    }
}
