/// dst += src over a run of floats, eight lanes at a time: the inner step of
/// col2im and of column sums. Each element is one addition, so the order of a
/// caller's sum is exactly the order of its calls.
enum VectorAccumulate {
    @inline(__always)
    static func add(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, count: Int) {
        let d = UnsafeMutableRawPointer(dst), s = UnsafeRawPointer(src)
        var t = 0
        while t + 8 <= count {
            let v = d.loadUnaligned(fromByteOffset: t * 4, as: SIMD8<Float>.self)
                + s.loadUnaligned(fromByteOffset: t * 4, as: SIMD8<Float>.self)
            d.storeBytes(of: v, toByteOffset: t * 4, as: SIMD8<Float>.self)
            t += 8
        }
        while t < count {
            dst[t] += src[t]
            t += 1
        }
    }
}
