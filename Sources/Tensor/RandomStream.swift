/// A counter-based random number generator (Philox-4×32-10, Salmon et al. 2011).
///
/// The n-th number of a stream is a pure function of `(key, n)`, so a dropout
/// mask or an initialisation is the same whatever thread computes it and
/// whatever else was drawn before. Streams are named: `RandomStream(seed: 42,
/// name: "conv1.weight")` and `RandomStream(seed: 42, name: "shuffle", index: 3)`
/// are independent and reproducible on every machine.
///
/// ```swift
/// var rng = RandomStream(seed: 7, name: "dropout", index: step)
/// let keep = rng.nextUniform() >= rate
/// ```
public struct RandomStream: RandomNumberGenerator, Sendable {
    public let key: UInt64
    /// Index of the next 128-bit block.
    public private(set) var counter: UInt64 = 0
    private var buffer: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
    private var buffered = 0

    /// A stream keyed directly by `key`.
    public init(key: UInt64) { self.key = key }

    /// A stream for `(seed, name, index)`; the name is hashed with FNV-1a, which,
    /// unlike Swift's `Hasher`, is the same in every process.
    public init(seed: UInt64, name: String, index: UInt64 = 0) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        self.key = RandomStream.mix(seed ^ RandomStream.mix(h) ^ RandomStream.mix(index &+ 0x9e37_79b9_7f4a_7c15))
    }

    /// SplitMix64's finaliser: a bijective avalanche of 64 bits.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The Philox-4×32-10 block for counter `n` under `key`.
    public static func block(key: UInt64, counter n: UInt64) -> (UInt32, UInt32, UInt32, UInt32) {
        var c0 = UInt32(truncatingIfNeeded: n), c1 = UInt32(truncatingIfNeeded: n >> 32)
        var c2: UInt32 = 0, c3: UInt32 = 0
        var k0 = UInt32(truncatingIfNeeded: key), k1 = UInt32(truncatingIfNeeded: key >> 32)
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            let hi0 = UInt32(p0 >> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(p1 >> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
            k0 = k0 &+ 0x9E37_79B9
            k1 = k1 &+ 0xBB67_AE85
        }
        return (c0, c1, c2, c3)
    }

    public mutating func next() -> UInt64 {
        if buffered == 0 {
            buffer = RandomStream.block(key: key, counter: counter)
            counter &+= 1
            buffered = 2
        }
        buffered -= 1
        return buffered == 1
            ? UInt64(buffer.0) | UInt64(buffer.1) << 32
            : UInt64(buffer.2) | UInt64(buffer.3) << 32
    }

    /// Uniform in [0, 1) with 24 bits of precision.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal by Box–Muller (one value per call; the pair's second is dropped
    /// so that the n-th value depends only on n).
    public mutating func nextNormal() -> Float {
        let u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let r = (-2.0 * log(max(u1, 1e-300))).squareRoot()
        return Float(r * cos(2.0 * Double.pi * u2))
    }

    /// Uniform in `[low, high)`.
    public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUniform()
    }

    /// Normal with mean 0 and `stddev`, redrawn outside ±2σ (Keras's truncated normal).
    public mutating func nextTruncatedNormal(stddev: Float) -> Float {
        while true {
            let z = nextNormal()
            if abs(z) <= 2 { return z * stddev }
        }
    }

    /// The uniform value at position `index` of stream `key`, without state: the
    /// way parallel kernels (dropout masks) draw per element.
    @inlinable
    public static func uniform(key: UInt64, index: UInt64) -> Float {
        let b = block(key: key, counter: index)
        return Float(b.0 >> 8) * (1.0 / 16_777_216.0)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
