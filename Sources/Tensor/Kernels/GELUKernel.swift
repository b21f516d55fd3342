import TensorAVX512

/// GELU in its exact form, Keras's default (`approximate=False`), forward and backward,
/// eight values at a time and split over the cores in fixed blocks (elementwise, so
/// any split gives the same values):
///
///     y = x · Φ(x),   Φ(x) = ½ · erfc(−x/√2)        dy/dx = Φ(x) + x · φ(x),   φ(x) = e^(−x²/2) / √(2π)
///
/// erfc(z) for z ≥ 0 is Numerical Recipes' Chebyshev fit (`erfcc`), relative error
/// below 1.2e-7 everywhere, so Φ keeps its precision far into the negative tail:
///
///     t = 1 / (1 + z/2),   erfc(z) = t · exp(−z² − 1.26551223 + t·(1.00002368 + t·(… 0.17087277)))
///
/// and erfc(−z) = 2 − erfc(z). Where `SIMDLevel.avx512` is on, each block's whole groups of
/// sixteen run in `TensorAVX512.WideGELU` (the same operations on sixteen lanes, the same
/// bits) and this file's loops finish the rest.
public enum GELUKernel {
    static let blockLength = 16_384
    public typealias V = SIMD8<Float>

    /// erfc(z) for z ≥ 0, the polynomial in t by fused multiply-adds (half the
    /// instructions and latency of separate products and sums).
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
        return t * VectorMath.exp(p - z * z)
    }

    /// Φ(x), the standard normal's cumulative distribution.
    @inline(__always)
    public static func normalCDF(_ x: V) -> V {
        // |x| by clearing the sign bits (the standard library's lane-wise helpers do not vectorise).
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: V.self)
        let z = magnitude * 0.707_106_781_186_547_5
        let tail = 0.5 * erfcNonNegative(z)       // Φ(−|x|)
        var phi = 1 - tail
        phi.replace(with: tail, where: x .< 0)
        return phi
    }

    @inline(__always)
    public static func forward(_ x: V) -> V { x * normalCDF(x) }

    /// dL/dx = dL/dy · (Φ(x) + x · φ(x)).
    @inline(__always)
    public static func backward(_ dy: V, input x: V) -> V {
        let density = VectorMath.exp(-0.5 * x * x) * 0.398_942_280_401_432_7
        return dy * (normalCDF(x) + x * density)
    }

    /// dL/dx from Φ(x) kept by the forward pass: only φ(x) is left to compute, the same
    /// values as `backward(_:input:)`.
    @inline(__always)
    public static func backward(_ dy: V, input x: V, cdf: V) -> V {
        let density = VectorMath.exp(-0.5 * x * x) * 0.398_942_280_401_432_7
        return dy * (cdf + x * density)
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> V { UnsafeRawPointer(p + i).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: V.self)
    }

    /// y = x·Φ(x) and Φ(x) itself, for a layer whose backward pass will need it.
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, cdf: UnsafeMutablePointer<Float>,
                        count: Int) {
        forEachBlock(count) { range in
            var i = range.lowerBound
            if SIMDLevel.avx512 { i += WideGELU.forward(x + i, y + i, cdf: cdf + i, count: range.count) }
            while i + 8 <= range.upperBound {
                let v = load(x, i), phi = normalCDF(v)
                store(v * phi, y, i)
                store(phi, cdf, i)
                i += 8
            }
            while i < range.upperBound {
                let phi = normalCDF(V(repeating: x[i]))
                y[i] = (V(repeating: x[i]) * phi)[0]
                cdf[i] = phi[0]
                i += 1
            }
        }
    }

    static func backward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, cdf: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>, count: Int) {
        forEachBlock(count) { range in
            var i = range.lowerBound
            if SIMDLevel.avx512 { i += WideGELU.backward(dy + i, input: x + i, cdf: cdf + i, dx + i, count: range.count) }
            while i + 8 <= range.upperBound {
                store(backward(load(dy, i), input: load(x, i), cdf: load(cdf, i)), dx, i)
                i += 8
            }
            while i < range.upperBound {
                dx[i] = backward(V(repeating: dy[i]), input: V(repeating: x[i]), cdf: V(repeating: cdf[i]))[0]
                i += 1
            }
        }
    }

    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        forEachBlock(count) { range in
            var i = range.lowerBound
            if SIMDLevel.avx512 { i += WideGELU.forward(x + i, y + i, count: range.count) }
            while i + 8 <= range.upperBound {
                UnsafeMutableRawPointer(y + i).storeBytes(of: forward(UnsafeRawPointer(x + i).loadUnaligned(as: V.self)),
                                                          as: V.self)
                i += 8
            }
            while i < range.upperBound { y[i] = forward(V(repeating: x[i]))[0]; i += 1 }
        }
    }

    static func backward(_ dy: UnsafePointer<Float>, input x: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                         count: Int) {
        forEachBlock(count) { range in
            var i = range.lowerBound
            if SIMDLevel.avx512 { i += WideGELU.backward(dy + i, input: x + i, dx + i, count: range.count) }
            while i + 8 <= range.upperBound {
                let d = UnsafeRawPointer(dy + i).loadUnaligned(as: V.self), v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
                UnsafeMutableRawPointer(dx + i).storeBytes(of: backward(d, input: v), as: V.self)
                i += 8
            }
            while i < range.upperBound { dx[i] = backward(V(repeating: dy[i]), input: V(repeating: x[i]))[0]; i += 1 }
        }
    }

    /// Calls `body` for fixed blocks of `blockLength` values, in parallel.
    private static func forEachBlock(_ count: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (count + blockLength - 1) / blockLength
        WorkerPool.shared.run(blocks: blocks) { b in body((b * blockLength)..<min(count, (b + 1) * blockLength)) }
    }
}

extension Tensor {
    /// GELU(x) elementwise (`GELUKernel`).
    public func gelu() -> Tensor {
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { y, initialized in
            scalars.withUnsafeBufferPointer { x in
                if n > 0 { GELUKernel.forward(x.baseAddress!, y.baseAddress!, count: n) }
            }
            initialized = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// GELU(x) and Φ(x) elementwise: the output and what `geluGradient(input:cdf:)` reuses,
    /// so the backward pass does not evaluate erfc again.
    public func geluKeepingCDF() -> (output: Tensor, cdf: Tensor) {
        var y = Tensor.uninitialized(shape), phi = Tensor.uninitialized(shape)
        let n = count
        guard n > 0 else { return (y, phi) }
        scalars.withUnsafeBufferPointer { x in
            y.scalars.withUnsafeMutableBufferPointer { py in
                phi.scalars.withUnsafeMutableBufferPointer { pc in
                    GELUKernel.forward(x.baseAddress!, py.baseAddress!, cdf: pc.baseAddress!, count: n)
                }
            }
        }
        return (y, phi)
    }

    /// dL/dx = dL/dy · (Φ(x) + x·φ(x)) with Φ(x) from `geluKeepingCDF`: the same values as
    /// `geluGradient(input:)`.
    public func geluGradient(input x: Tensor, cdf: Tensor) -> Tensor {
        precondition(x.count == count && cdf.count == count, "geluGradient: \(shape) vs \(x.shape), \(cdf.shape)")
        var dx = Tensor.uninitialized(shape)
        let n = count
        guard n > 0 else { return dx }
        scalars.withUnsafeBufferPointer { dy in
            x.scalars.withUnsafeBufferPointer { px in
                cdf.scalars.withUnsafeBufferPointer { pc in
                    dx.scalars.withUnsafeMutableBufferPointer { pdx in
                        GELUKernel.backward(dy.baseAddress!, input: px.baseAddress!, cdf: pc.baseAddress!,
                                            pdx.baseAddress!, count: n)
                    }
                }
            }
        }
        return dx
    }

    /// dL/dx = dL/dy · GELU′(x) for `self` = dL/dy and x the GELU's input.
    public func geluGradient(input x: Tensor) -> Tensor {
        precondition(x.count == count, "geluGradient: \(shape) vs \(x.shape)")
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { dx, initialized in
            scalars.withUnsafeBufferPointer { dy in
                x.scalars.withUnsafeBufferPointer { x in
                    if n > 0 { GELUKernel.backward(dy.baseAddress!, input: x.baseAddress!, dx.baseAddress!, count: n) }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, scalars: out)
    }
}
