/// Σx² in Double over a run of floats, in four Double lanes (one long dependent
/// chain of Double additions ran at one element per four cycles: a quarter of a
/// millisecond per training step for the gradient and update norms of a 93 k
/// parameter network). The lane order is fixed, so the sum does not depend on
/// anything but the data.
enum SquaredNorm {
    static func sum(_ x: UnsafeBufferPointer<Float>) -> Double {
        guard let base = x.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var a = SIMD4<Double>(), b = SIMD4<Double>()
        var i = 0
        while i + 8 <= x.count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let lo = SIMD4<Double>(v.lowHalf), hi = SIMD4<Double>(v.highHalf)
            a = a.addingProduct(lo, lo)
            b = b.addingProduct(hi, hi)
            i += 8
        }
        var total = (a + b).sum()
        while i < x.count {
            total += Double(x[i]) * Double(x[i])
            i += 1
        }
        return total
    }
}

extension Tensor {
    /// ‖self‖₂ = √Σx², accumulated in Double.
    public var l2Norm: Double { squaredNorm.squareRoot() }

    /// Σx², accumulated in Double.
    public var squaredNorm: Double {
        scalars.withUnsafeBufferPointer { SquaredNorm.sum($0) }
    }
}
