/// GELU forward and backward sixteen lanes at a time, for CPUs with AVX-512: the
/// operations of `Tensor.GELUKernel` (and of `Tensor.VectorMath.exp` inside it) in the
/// same order, on `SIMD16` instead of `SIMD8`, so every lane's value is bit-identical
/// to the AVX2 path (`WideTileTests` compares them over a sweep of inputs):
///
///     y = x · Φ(x),   Φ(x) = ½ · erfc(−x/√2)        dy/dx = Φ(x) + x · φ(x),   φ(x) = e^(−x²/2) / √(2π)
///
/// with erfc from Numerical Recipes' `erfcc` and eˣ from Cephes (see those files for the
/// formulas). Each function handles the whole 16-lane groups of `count` and returns
/// how many values it wrote; the caller finishes the last few with its own loop.
/// Call only when the CPU has AVX-512 (`Tensor.SIMDLevel`).
public enum WideGELU {
    typealias V = SIMD16<Float>

    /// y = x·Φ(x) and Φ(x).
    @inline(never)
    public static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                               cdf: UnsafeMutablePointer<Float>, count: Int) -> Int {
        var i = 0
        while i + 16 <= count {
            let v = load(x, i), phi = normalCDF(v)
            store(v * phi, y, i)
            store(phi, cdf, i)
            i += 16
        }
        return i
    }

    /// y = x·Φ(x).
    @inline(never)
    public static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) -> Int {
        var i = 0
        while i + 16 <= count {
            let v = load(x, i)
            store(v * normalCDF(v), y, i)
            i += 16
        }
        return i
    }

    /// dx = dy · (Φ(x) + x·φ(x)) with Φ(x) given.
    @inline(never)
    public static func backward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, cdf: UnsafePointer<Float>,
                                _ dx: UnsafeMutablePointer<Float>, count: Int) -> Int {
        var i = 0
        while i + 16 <= count {
            let v = load(x, i)
            store(load(dy, i) * (load(cdf, i) + v * density(v)), dx, i)
            i += 16
        }
        return i
    }

    /// dx = dy · (Φ(x) + x·φ(x)).
    @inline(never)
    public static func backward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>,
                                _ dx: UnsafeMutablePointer<Float>, count: Int) -> Int {
        var i = 0
        while i + 16 <= count {
            let v = load(x, i)
            store(load(dy, i) * (normalCDF(v) + v * density(v)), dx, i)
            i += 16
        }
        return i
    }

    /// φ(x) = e^(−x²/2) / √(2π).
    @inline(__always)
    static func density(_ x: V) -> V { exp(-0.5 * x * x) * 0.398_942_280_401_432_7 }

    /// Φ(x): ½·erfc(|x|/√2) on the negative side, 1 minus it on the positive side.
    @inline(__always)
    static func normalCDF(_ x: V) -> V {
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: V.self)
        let z = magnitude * 0.707_106_781_186_547_5
        let tail = 0.5 * erfcNonNegative(z)
        var phi = 1 - tail
        phi.replace(with: tail, where: x .< 0)
        return phi
    }

    /// erfc(z) for z ≥ 0: t·exp(−z² + P(t)), t = 1/(1 + z/2), P by fused multiply-adds.
    @inline(__always)
    static func erfcNonNegative(_ z: V) -> V {
        let t = 1 / (1 + 0.5 * z)
        @inline(__always) func step(_ p: V, _ c: Float) -> V { V(repeating: c).addingProduct(p, t) }
        var p = V(repeating: 0.170_872_77)
        p = step(p, -0.822_152_23)
        p = step(p, 1.488_515_87)
        p = step(p, -1.135_203_98)
        p = step(p, 0.278_868_07)
        p = step(p, -0.186_288_06)
        p = step(p, 0.096_784_18)
        p = step(p, 0.374_091_96)
        p = step(p, 1.000_023_68)
        p = step(p, -1.265_512_23)
        return t * exp(p - z * z)
    }

    /// Cephes's eˣ: 2ⁿ·(1 + r + r²·P(r)), n = round(x·log₂e), x clamped to [−87.3, 88.3].
    @inline(__always)
    static func exp(_ x: V) -> V {
        var clamped = x
        clamped.replace(with: V(repeating: -87.3), where: x .< -87.3)
        clamped.replace(with: V(repeating: 88.3), where: x .> 88.3)
        let n = (clamped * 1.442_695_04).rounded(.toNearestOrEven)
        var r = clamped - n * 0.693_359_375
        r = r + n * 2.121_944_4e-4
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let polynomial = p * (r * r) + r + 1
        // 2ⁿ from its bit pattern (n whole, |n| < 2²²: added to 1.5·2²³ it sits in the low bits).
        let shifted = unsafeBitCast(n + 12_582_912, to: SIMD16<Int32>.self) &- 0x4B40_0000
        return polynomial * unsafeBitCast((shifted &+ 127) &<< 23, to: V.self)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> V { UnsafeRawPointer(p + i).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
    }
}
