import Foundation

/// The hot loop of Word2Vec's skip-gram with negative sampling: one SGD step for one
/// centre word and its targets, in place on the two embedding matrices (row-major,
/// `dimension` floats per word).
///
/// For the centre word c with input vector v = V[c] and targets j (the true context
/// word first, label y = 1, then the k negatives, label y = 0), with output vectors
/// u_j = U[j] and scores s_j = u_j · v:
///
///     L      = −log σ(s_o) − Σ_k log σ(−s_k)
///     ∂L/∂s_j = σ(s_j) − y_j                      =: g_j
///     ∂L/∂u_j = g_j · v          ∂L/∂v = Σ_j g_j · u_j
///
/// Each u_j moves by −η·g_j·v as soon as its score is known; v moves once, at the end,
/// by −η·Σ_j g_j·u_j summed over the u_j as they were before their own update (as in
/// Mikolov's word2vec.c). A target listed twice is updated twice, each time from the
/// same v. The loss returned is L before the step. `scratch` holds `dimension` floats.
public enum SkipGramKernel {
    public typealias V = SIMD8<Float>

    @discardableResult
    public static func step(input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, dimension d: Int,
                            centre: Int, targets: UnsafeBufferPointer<Int32>, rate: Float,
                            scratch: UnsafeMutablePointer<Float>) -> Float {
        let v = input + centre * d
        scratch.update(repeating: 0, count: d)
        var loss: Float = 0
        for (position, target) in targets.enumerated() {
            let u = output + Int(target) * d
            let s = dot(u, v, d)
            let label: Float = position == 0 ? 1 : 0
            let g = VectorMath.sigmoid(s) - label
            // −log σ(s) for the context word, −log σ(−s) for a negative: softplus(∓s).
            loss += softplus(position == 0 ? -s : s)
            axpy(g, u, scratch, d)        // Σ_j g_j·u_j, before u_j moves
            axpy(-rate * g, v, u, d)      // u_j ← u_j − η·g_j·v
        }
        axpy(-rate, scratch, v, d)        // v ← v − η·Σ_j g_j·u_j
        return loss
    }

    /// The loss of one centre word and its targets, nothing updated.
    public static func loss(input: UnsafePointer<Float>, output: UnsafePointer<Float>, dimension d: Int,
                            centre: Int, targets: UnsafeBufferPointer<Int32>) -> Float {
        let v = input + centre * d
        var loss: Float = 0
        for (position, target) in targets.enumerated() {
            let s = dot(output + Int(target) * d, v, d)
            loss += softplus(position == 0 ? -s : s)
        }
        return loss
    }

    /// softplus(x) = log(1 + eˣ) = max(x, 0) + log(1 + e^−|x|), without overflow.
    @inline(__always)
    public static func softplus(_ x: Float) -> Float {
        max(x, 0) + Float(log1p(Double(exp(-abs(x)))))
    }

    /// Σ a[i]·b[i], eight lanes at a time, then the tail in order.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var sum = V(repeating: 0)
        var i = 0
        while i + 8 <= n {
            sum.addProduct(UnsafeRawPointer(a + i).loadUnaligned(as: V.self),
                           UnsafeRawPointer(b + i).loadUnaligned(as: V.self))
            i += 8
        }
        var total = sum.sum()
        while i < n { total += a[i] * b[i]; i += 1 }
        return total
    }

    /// y ← y + α·x.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = V(repeating: alpha)
        var i = 0
        while i + 8 <= n {
            var yv = UnsafeRawPointer(y + i).loadUnaligned(as: V.self)
            yv.addProduct(a, UnsafeRawPointer(x + i).loadUnaligned(as: V.self))
            UnsafeMutableRawPointer(y + i).storeBytes(of: yv, as: V.self)
            i += 8
        }
        while i < n { y[i] += alpha * x[i]; i += 1 }
    }
}
