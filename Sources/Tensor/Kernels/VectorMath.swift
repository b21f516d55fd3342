/// exp, σ and tanh on eight lanes at once, for the recurrent layers' gates (a GRU or
/// LSTM step evaluates 3–5 of them per unit per example: scalar libm calls were most
/// of a step's time). Cephes's single-precision exp: with n = round(x·log₂e) and
/// r = x − n·ln 2 (ln 2 split in two for exactness),
///
///     eˣ = 2ⁿ · (1 + r + r²·P(r)),   P a degree-5 polynomial,   |r| ≤ ln2 / 2
///
/// accurate to about 1 ulp on [−87, 88] (inputs are clamped there: σ and tanh
/// saturate long before). Then
///
///     σ(x) = 1 / (1 + e⁻ˣ)       tanh(x) = 1 − 2 / (1 + e²ˣ)
///
/// both with absolute error below 2e-7 everywhere (`VectorMathTests`).
public enum VectorMath {
    public typealias V = SIMD8<Float>

    @inline(__always)
    public static func exp(_ x: V) -> V {
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
        // 2ⁿ from its bit pattern, exponent field n + 127. n is whole and |n| < 2²²:
        // added to 1.5·2²³ its value sits in the low mantissa bits (no lane-by-lane
        // float-to-int conversion, which Swift does not vectorise).
        let shifted = unsafeBitCast(n + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return polynomial * unsafeBitCast((shifted &+ 127) &<< 23, to: V.self)
    }

    @inline(__always)
    public static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    @inline(__always)
    public static func tanh(_ x: V) -> V { 1 - 2 / (1 + exp(2 * x)) }

    /// σ and tanh of one Float through the vector path (lane 0), for loop tails, so a
    /// value does not depend on whether it fell in a full vector.
    @inline(__always)
    public static func sigmoid(_ x: Float) -> Float { sigmoid(V(repeating: x))[0] }

    @inline(__always)
    public static func tanh(_ x: Float) -> Float { tanh(V(repeating: x))[0] }
}
