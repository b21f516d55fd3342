/// Adam's update of one parameter, eight values at a time (`Adam` in NeuralNet gives
/// the rule and where α comes from):
///
///     m ← β1·m + (1−β1)·g        v ← β2·v + (1−β2)·g²        θ ← θ − α·m / (√v + ε̂)
///
/// m and v are flushed to zero below the smallest normal float (`SubnormalFlush`: a
/// dead unit's m would otherwise decay into subnormals and stay there).
///
/// m, v and θ in one pass over memory. Each lane does the scalar rule's operations in
/// its order (no fused multiply-adds), so the bits equal the scalar loop's.
public enum AdamKernel {
    public static func step(_ θ: inout [Float], _ m: inout [Float], _ v: inout [Float], _ g: [Float],
                            α: Float, β1: Float, β2: Float, ε: Float) {
        let n = θ.count
        precondition(m.count == n && v.count == n && g.count == n, "Adam: \(n) values, slots \(m.count), \(v.count), gradient \(g.count)")
        θ.withUnsafeMutableBufferPointer { θ in
            m.withUnsafeMutableBufferPointer { m in
                v.withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { g in
                        guard n > 0 else { return }
                        step(θ.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!, count: n,
                             α: α, β1: β1, β2: β2, ε: ε)
                    }
                }
            }
        }
    }

    static func step(_ θ: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                     _ g: UnsafePointer<Float>, count n: Int, α: Float, β1: Float, β2: Float, ε: Float) {
        typealias V = SIMD8<Float>
        let (b1, c1, b2, c2) = (V(repeating: β1), V(repeating: 1 - β1), V(repeating: β2), V(repeating: 1 - β2))
        let (a, e) = (V(repeating: α), V(repeating: ε))
        var i = 0
        while i + 8 <= n {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let mi = SubnormalFlush.flush(b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * gi)
            let vi = SubnormalFlush.flush(b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * gi * gi)
            let θi = UnsafeRawPointer(θ + i).loadUnaligned(as: V.self) - a * mi / (vi.squareRoot() + e)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(θ + i).storeBytes(of: θi, as: V.self)
            i += 8
        }
        while i < n {
            m[i] = SubnormalFlush.flush(β1 * m[i] + (1 - β1) * g[i])
            v[i] = SubnormalFlush.flush(β2 * v[i] + (1 - β2) * g[i] * g[i])
            θ[i] -= α * m[i] / (v[i].squareRoot() + ε)
            i += 1
        }
    }
}
