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
/// Each sequence and head is a block the cores take in parallel; the dropout draw of
/// element (b, h, i, j) is the Philox value at that index of the stream `dropoutKey`:
/// the same for any thread count.
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

    /// Scales `scores` (raw q·k, `[batch · heads, time, time]`) in place by `scale` and returns
    /// the attention weights p, and p̃ when `dropout` is given.
    public static func forward(scores: inout Tensor, heads: Int, scale: Float, mask: Mask,
                               dropout: Dropout?) -> (weights: Tensor, dropped: Tensor?) {
        let time = scores.shape.last ?? 0, blocks = time == 0 ? 0 : scores.count / (time * time)
        let batch = blocks / max(heads, 1)
        precondition(mask.steps == nil || mask.steps!.shape == [batch, time],
                     "MaskedSoftmaxKernel: mask \(mask.steps!.shape) for batch \(batch), time \(time)")
        var weights = Tensor(shape: scores.shape)
        var dropped = dropout == nil ? nil : Tensor(shape: scores.shape)
        let steps = mask.steps?.scalars ?? [Float](repeating: 1, count: batch * time)
        scores.scalars.withUnsafeMutableBufferPointer { ps in
            weights.scalars.withUnsafeMutableBufferPointer { pw in
                steps.withUnsafeBufferPointer { pm in
                    let (s, w, m) = (ps.baseAddress!, pw.baseAddress!, pm.baseAddress!)
                    WorkerPool.shared.run(blocks: blocks) { block in
                        let b = block / heads
                        for i in 0..<time {
                            let row = (block * time + i) * time
                            softmaxRow(s + row, w + row, keys: m + b * time, time: time, scale: scale,
                                       queryReal: m[b * time + i] > 0.5, lastKey: mask.causal ? i : time - 1)
                        }
                    }
                }
            }
        }
        if let dropout {
            let keep = 1 / (1 - dropout.rate)
            weights.scalars.withUnsafeBufferPointer { pw in
                dropped!.scalars.withUnsafeMutableBufferPointer { pd in
                    let (w, d) = (pw.baseAddress!, pd.baseAddress!)
                    WorkerPool.shared.run(blocks: blocks) { block in
                        for e in (block * time * time)..<((block + 1) * time * time) {
                            d[e] = RandomStream.uniform(key: dropout.key, index: UInt64(e)) >= dropout.rate ? w[e] * keep : 0
                        }
                    }
                }
            }
        }
        return (weights, dropped)
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
        var maximum = maxV.max()
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

    /// dL/dz (of the raw products q·k) from dL/dp̃ `gradient`, the weights p and, with
    /// dropout, p̃ and its rate.
    public static func backward(_ gradient: Tensor, weights: Tensor, dropped: Tensor?, rate: Float, scale: Float) -> Tensor {
        let time = weights.shape.last ?? 0, rows = time == 0 ? 0 : weights.count / time
        var dz = Tensor(shape: weights.shape)
        let keep = 1 / (1 - rate)
        let rowsPerBlock = 64
        let blocks = (rows + rowsPerBlock - 1) / rowsPerBlock
        gradient.scalars.withUnsafeBufferPointer { pg in
            weights.scalars.withUnsafeBufferPointer { pw in
                (dropped ?? weights).scalars.withUnsafeBufferPointer { pd in
                    dz.scalars.withUnsafeMutableBufferPointer { pz in
                        let (g, w, d, z) = (pg.baseAddress!, pw.baseAddress!, pd.baseAddress!, pz.baseAddress!)
                        WorkerPool.shared.run(blocks: blocks) { block in
                            for r in (block * rowsPerBlock)..<min(rows, (block + 1) * rowsPerBlock) {
                                let o = r * time
                                if dropped != nil {
                                    // dL/dp = m / (1 − rate) · dL/dp̃, written into dz first.
                                    for j in 0..<time { z[o + j] = d[o + j] != 0 ? g[o + j] * keep : 0 }
                                    rowBackward(z + o, w + o, z + o, time: time, scale: scale)
                                } else {
                                    rowBackward(g + o, w + o, z + o, time: time, scale: scale)
                                }
                            }
                        }
                    }
                }
            }
        }
        return dz
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
