/// The softmax of attention, row by row over the keys, with its masks, forward and
/// backward, eight keys at a time. Per sequence b, head h and query i, on the raw
/// products z_ij = q_i · k_j (`[batch, heads, time, time]`):
///
///     s_ij = z_ij / √d                                  (kept: the scores before mask and softmax)
///     allowed_ij = query i real ∧ key j real ∧ (j ≤ i when causal)
///     p_ij = allowed_ij ? e^(s_ij − max_allowed s) / Σ_allowed e^(s − max) : 0
///     p̃_ij = p_ij · m_ij / (1 − rate)                  (attention dropout in training, m_ij ~ Bernoulli(1 − rate))
///
/// A row with no allowed key (a padded query) is all zeros, as Keras's masked `Softmax`
/// leaves it. Backward, from dL/dp̃:
///
///     dL/dp_ij = m_ij / (1 − rate) · dL/dp̃_ij       dL/dz_ij = p_ij · (dL/dp_ij − Σ_j dL/dp_ij · p_ij) / √d
///
/// where m_ij is read back as p̃_ij ≠ 0 (where p_ij = 0 the product is 0 either way).
/// It runs one sequence and head at a time, inside a block of `AttentionKernel`'s
/// parallel pass; the dropout draw of element (b, h, i, j) is the Philox value at that
/// index of the step's stream: the same for any thread count.
public enum MaskedSoftmaxKernel {
    typealias V = SIMD8<Float>

    /// Which keys each query may attend to.
    public struct Mask: Sendable {
        /// Key j > query i is masked.
        public var causal: Bool
        /// `[batch, time]`, 1 for a real step and 0 for padding (queries and keys alike); nil: all real.
        public var steps: Tensor?

        public init(causal: Bool, steps: Tensor?) {
            self.causal = causal
            self.steps = steps
        }
    }

    /// Attention dropout: its rate and the key of the step's random stream.
    public struct Dropout: Sendable {
        public var rate: Float
        public var key: UInt64

        public init(rate: Float, key: UInt64) {
            self.rate = rate
            self.key = key
        }
    }

    /// The rows of one sequence and head (`block` = b·heads + h, `time` × `time` values at
    /// block·time², the raw q·k on entry): s ← z·scale in place, p into `weights`, and p̃ into
    /// `dropped` when `dropout` is given. `steps` is the `[batch, time]` mask of real steps.
    /// Under a causal mask row i reads and scales only its first `width(query: i)` scores.
    @inline(__always)
    static func forward(block: Int, scores s: UnsafeMutablePointer<Float>, weights w: UnsafeMutablePointer<Float>,
                        dropped: UnsafeMutablePointer<Float>?, steps: UnsafePointer<Float>, time: Int, heads: Int,
                        scale: Float, causal: Bool, dropout: Dropout?) {
        let b = block / heads, first = block * time * time
        for i in 0..<time {
            let row = first + i * time, width = causal ? Self.width(query: i, time: time) : time
            softmaxRow(s + row, w + row, keys: steps + b * time, time: width, scale: scale,
                       queryReal: steps[b * time + i] > 0.5, lastKey: causal ? i : time - 1)
            (w + row + width).update(repeating: 0, count: time - width)
        }
        guard let dropout, let d = dropped else { return }
        let keep = 1 / (1 - dropout.rate)
        for i in 0..<time {
            let row = first + i * time, width = causal ? Self.width(query: i, time: time) : time
            for e in row..<(row + width) {
                d[e] = RandomStream.uniform(key: dropout.key, index: UInt64(e)) >= dropout.rate ? w[e] * keep : 0
            }
            (d + row + width).update(repeating: 0, count: time - width)
        }
    }

    /// Keys that query i's softmax reads under a causal mask: 0...i rounded up to whole
    /// groups of eight (at most `time`). Past them every weight is 0, and the groups read
    /// are the full row's first ones, its scalar tail only when `time` is reached, so the
    /// row's maximum and sum (masked lanes add exact zeros) come out as over the full row.
    @inline(__always)
    static func width(query i: Int, time: Int) -> Int {
        min(time, (i + 8) / 8 * 8)
    }

    /// Keys of dL/dz that the backward products read from query i's row under a causal
    /// mask: up to the end of its 6-row GEMM strip (dS·K and dSᵀ·Q run by strips,
    /// `GEMMCausalBand`), rounded up to groups of eight as in `width(query:time:)`.
    @inline(__always)
    static func gradientWidth(query i: Int, time: Int) -> Int {
        let stripEnd = (i / GEMMMicroKernel.rows + 1) * GEMMMicroKernel.rows
        return min(time, (stripEnd + 7) / 8 * 8)
    }

    /// One query's row: s ← z·scale in place, p over keys 0...lastKey that are real.
    @inline(__always)
    static func softmaxRow(_ s: UnsafeMutablePointer<Float>, _ p: UnsafeMutablePointer<Float>,
                           keys: UnsafePointer<Float>, time: Int, scale: Float, queryReal: Bool, lastKey: Int) {
        let lane = V(0, 1, 2, 3, 4, 5, 6, 7), half = V(repeating: 0.5), negative = V(repeating: -.infinity)
        @inline(__always) func allowed(_ j: Int) -> SIMDMask<V.MaskStorage> {
            (UnsafeRawPointer(keys + j).loadUnaligned(as: V.self) .> half) .& (lane + Float(j) .<= V(repeating: Float(lastKey)))
        }
        var maxV = negative, j = 0
        while j + 8 <= time {
            let v = UnsafeRawPointer(s + j).loadUnaligned(as: V.self) * scale
            UnsafeMutableRawPointer(s + j).storeBytes(of: v, as: V.self)
            maxV.replace(with: v, where: allowed(j) .& (v .> maxV))
            j += 8
        }
        // The lanes' maximum by hand: the standard library's `max()` on SIMD8 is a generic call.
        var maximum = maxV[0]
        for l in 1..<8 where maxV[l] > maximum { maximum = maxV[l] }
        while j < time {
            s[j] *= scale
            if keys[j] > 0.5 && j <= lastKey { maximum = max(maximum, s[j]) }
            j += 1
        }
        guard queryReal, maximum > -.infinity else {
            p.update(repeating: 0, count: time)
            return
        }
        let top = V(repeating: maximum)
        var sumV = V()
        j = 0
        while j + 8 <= time {
            let e = VectorMath.exp(UnsafeRawPointer(s + j).loadUnaligned(as: V.self) - top).replacing(with: 0, where: .!allowed(j))
            UnsafeMutableRawPointer(p + j).storeBytes(of: e, as: V.self)
            sumV += e
            j += 8
        }
        var sum = sumV.sum()
        while j < time {
            p[j] = keys[j] > 0.5 && j <= lastKey ? VectorMath.exp(V(repeating: s[j] - maximum))[0] : 0
            sum += p[j]
            j += 1
        }
        let inverse = V(repeating: 1 / sum)
        j = 0
        while j + 8 <= time {
            let v = UnsafeRawPointer(p + j).loadUnaligned(as: V.self) * inverse
            UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self)
            j += 8
        }
        while j < time { p[j] *= inverse[0]; j += 1 }
    }

    /// dL/dz (of the raw products q·k) of one sequence and head from dL/dp̃, in place in
    /// `gradient`, with the weights p and, with dropout, p̃ and its rate. Under a causal
    /// mask only each row's first `gradientWidth` keys are read and written (p is 0 past
    /// them, and the dot product adds exact zeros there).
    @inline(__always)
    static func backward(block: Int, gradient g: UnsafeMutablePointer<Float>, weights w: UnsafePointer<Float>,
                         dropped: UnsafePointer<Float>?, rate: Float, time: Int, scale: Float, causal: Bool) {
        let keep = 1 / (1 - rate)
        for i in 0..<time {
            let o = (block * time + i) * time, width = causal ? gradientWidth(query: i, time: time) : time
            if let d = dropped {
                // dL/dp = m / (1 − rate) · dL/dp̃.
                for j in 0..<width { g[o + j] = d[o + j] != 0 ? g[o + j] * keep : 0 }
            }
            rowBackward(g + o, w + o, g + o, time: width, scale: scale)
        }
    }

    /// dz = p ⊙ (dp − Σ dp ⊙ p) · scale for one row (`dp` may be `dz`).
    @inline(__always)
    static func rowBackward(_ dp: UnsafePointer<Float>, _ p: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>,
                            time: Int, scale: Float) {
        var dotV = V(), j = 0
        while j + 8 <= time {
            dotV += UnsafeRawPointer(dp + j).loadUnaligned(as: V.self) * UnsafeRawPointer(p + j).loadUnaligned(as: V.self)
            j += 8
        }
        var dot = dotV.sum()
        while j < time { dot += dp[j] * p[j]; j += 1 }
        let d = V(repeating: dot)
        j = 0
        while j + 8 <= time {
            let pv = UnsafeRawPointer(p + j).loadUnaligned(as: V.self)
            let v = pv * (UnsafeRawPointer(dp + j).loadUnaligned(as: V.self) - d) * scale
            UnsafeMutableRawPointer(dz + j).storeBytes(of: v, as: V.self)
            j += 8
        }
        while j < time { dz[j] = p[j] * (dp[j] - dot) * scale; j += 1 }
    }
}
