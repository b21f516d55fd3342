/// The lanes of a `BlockMoments` pass for CPUs with AVX-512: the loop of
/// `Tensor.MomentsKernel.narrowBlocks`, the same operations in the same order on the
/// same `SIMD16` lanes, here in zmm registers (one instruction where AVX2 takes two),
/// so every sum is bit-identical to the AVX2 path (`WideTileTests` compares them):
///
///     c = x − K:   shifted[j] = Σ c over lanes j,   squares[j] = Σ c² (fused multiply-add)
///
/// 32 values a turn in two sets of sums, so that no sum waits on its own last
/// addition, and the min and max of each pair before they meet `low` and `high`.
/// Call only when the CPU has AVX-512 (`Tensor.SIMDLevel`).
public enum WideMoments {
    typealias V = SIMD16<Float>

    /// The sums over the whole 16-value groups of `count` values at `x` (count > 0);
    /// the caller adds the last `count − consumed` values.
    @inline(never)
    public static func blocks(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> MomentsBlocks {
        let raw = UnsafeRawPointer(x), k = V(repeating: shift)
        var s = V(), d = V(), s2 = V(), d2 = V()
        var low = V(repeating: x[0]), high = low
        var i = 0
        while i + 2 * V.scalarCount <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: V.self)
            let w = raw.loadUnaligned(fromByteOffset: i * 4 + 64, as: V.self)
            let c = v - k, e = w - k
            s += c
            d.addProduct(c, c)
            s2 += e
            d2.addProduct(e, e)
            var smaller = v, larger = v
            smaller.replace(with: w, where: w .< v)
            larger.replace(with: w, where: w .> v)
            low.replace(with: smaller, where: smaller .< low)
            high.replace(with: larger, where: larger .> high)
            i += 2 * V.scalarCount
        }
        if i + V.scalarCount <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: V.self), c = v - k
            s += c
            d.addProduct(c, c)
            low.replace(with: v, where: v .< low)
            high.replace(with: v, where: v .> high)
            i += V.scalarCount
        }
        return MomentsBlocks(consumed: i, shifted: s + s2, squares: d + d2, low: low, high: high)
    }
}

/// What the vector loop of a moments pass leaves: per lane, Σ(x − K), Σ(x − K)², min
/// and max over the first `consumed` values.
public struct MomentsBlocks {
    public let consumed: Int
    public let shifted, squares, low, high: SIMD16<Float>

    public init(consumed: Int, shifted: SIMD16<Float>, squares: SIMD16<Float>, low: SIMD16<Float>, high: SIMD16<Float>) {
        (self.consumed, self.shifted, self.squares, self.low, self.high) = (consumed, shifted, squares, low, high)
    }
}
