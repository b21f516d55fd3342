/// Layer normalization over the last axis, row by row (Ba et al. 2016; Keras's
/// `LayerNormalization`), on rows of `width` values:
///
///     μ = mean(x)    σ² = mean((x − μ)²)    r = 1 / √(σ² + ε)    x̂ = (x − μ)·r    y = γ ⊙ x̂ + β
///
/// and backward, with g = dL/dy ⊙ γ:
///
///     dL/dx = r · (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))    dL/dγ = Σ_rows dL/dy ⊙ x̂    dL/dβ = Σ_rows dL/dy
///
/// Rows are cut into fixed blocks of `rowsPerBlock` that the cores take in parallel;
/// each block sums its own dγ, dβ and the blocks' sums are added in block order, so
/// the result is the same for any thread count. Eight values at a time.
public enum LayerNormKernel {
    public static let rowsPerBlock = 64
    typealias V = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ j: Int) -> V { UnsafeRawPointer(p + j).loadUnaligned(as: V.self) }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ j: Int) {
        UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self)
    }

    /// Σ x over one row, eight lanes then a fixed-order tail.
    @inline(__always)
    static func rowSum(_ width: Int, _ term: (Int) -> V, _ scalar: (Int) -> Float) -> Float {
        var acc = V(), j = 0
        while j + 8 <= width { acc += term(j); j += 8 }
        var s = acc.sum()
        while j < width { s += scalar(j); j += 1 }
        return s
    }

    /// y and x̂ (`normalized`) of every row, and r (`inverseDeviation`, one per row).
    static func forward(_ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, normalized xhat: UnsafeMutablePointer<Float>,
                        inverseDeviation: UnsafeMutablePointer<Float>, rows: Int, width n: Int, epsilon: Float) {
        forEachBlock(rows) { range in
            for row in range {
                let xr = x + row * n, yr = y + row * n, hr = xhat + row * n
                let mean = rowSum(n, { load(xr, $0) }, { xr[$0] }) / Float(n)
                let m = V(repeating: mean)
                let variance = rowSum(n, { let d = load(xr, $0) - m; return d * d },
                                      { let d = xr[$0] - mean; return d * d }) / Float(n)
                let r = 1 / (variance + epsilon).squareRoot()
                inverseDeviation[row] = r
                var j = 0
                while j + 8 <= n {
                    let h = (load(xr, j) - m) * r
                    store(h, hr, j)
                    store(load(gamma, j) * h + load(beta, j), yr, j)
                    j += 8
                }
                while j < n {
                    let h = (xr[j] - mean) * r
                    hr[j] = h
                    yr[j] = gamma[j] * h + beta[j]
                    j += 1
                }
            }
        }
    }

    /// dL/dx of every row (when `dx` is given) and dL/dγ, dL/dβ (when `dGamma` is given).
    static func backward(_ dy: UnsafePointer<Float>, normalized xhat: UnsafePointer<Float>,
                         inverseDeviation: UnsafePointer<Float>, gamma: UnsafePointer<Float>,
                         dx: UnsafeMutablePointer<Float>?, dGamma: UnsafeMutablePointer<Float>?,
                         dBeta: UnsafeMutablePointer<Float>?, rows: Int, width n: Int) {
        let blocks = (rows + rowsPerBlock - 1) / rowsPerBlock
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: max(1, blocks * 2 * n))
        defer { partials.deallocate() }
        partials.initialize(repeating: 0, count: max(1, blocks * 2 * n))
        forEachBlock(rows) { range in
            let block = range.lowerBound / rowsPerBlock
            let pg = partials + block * 2 * n, pb = pg + n
            for row in range {
                let dr = dy + row * n, hr = xhat + row * n
                if dGamma != nil {
                    var j = 0
                    while j + 8 <= n {
                        let d = load(dr, j)
                        store(load(pg, j) + d * load(hr, j), pg, j)
                        store(load(pb, j) + d, pb, j)
                        j += 8
                    }
                    while j < n { pg[j] += dr[j] * hr[j]; pb[j] += dr[j]; j += 1 }
                }
                guard let dx else { continue }
                let meanG = rowSum(n, { load(dr, $0) * load(gamma, $0) }, { dr[$0] * gamma[$0] }) / Float(n)
                let meanGH = rowSum(n, { load(dr, $0) * load(gamma, $0) * load(hr, $0) },
                                    { dr[$0] * gamma[$0] * hr[$0] }) / Float(n)
                let r = inverseDeviation[row], xr = dx + row * n
                let mg = V(repeating: meanG), mgh = V(repeating: meanGH)
                var j = 0
                while j + 8 <= n {
                    store(r * (load(dr, j) * load(gamma, j) - mg - load(hr, j) * mgh), xr, j)
                    j += 8
                }
                while j < n { xr[j] = r * (dr[j] * gamma[j] - meanG - hr[j] * meanGH); j += 1 }
            }
        }
        guard let dGamma, let dBeta else { return }
        dGamma.initialize(repeating: 0, count: n)
        dBeta.initialize(repeating: 0, count: n)
        for block in 0..<blocks {
            for j in 0..<n { dGamma[j] += partials[block * 2 * n + j]; dBeta[j] += partials[block * 2 * n + n + j] }
        }
    }

    static func forEachBlock(_ rows: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (rows + rowsPerBlock - 1) / rowsPerBlock
        WorkerPool.shared.run(blocks: blocks) { b in body((b * rowsPerBlock)..<min(rows, (b + 1) * rowsPerBlock)) }
    }
}

/// The tensors a layer normalization keeps for its backward pass.
public struct LayerNormCache: Sendable {
    /// x̂ `[rows, width]`.
    public var normalized: Tensor
    /// 1/√(σ² + ε) per row.
    public var inverseDeviation: [Float]
}

extension LayerNormKernel {
    /// y = γ ⊙ x̂ + β over the last axis of `x`, with what `backward` needs.
    public static func forward(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) -> (Tensor, LayerNormCache) {
        let n = x.shape.last ?? 1, rows = x.count / max(n, 1)
        precondition(gamma.count == n && beta.count == n, "LayerNormKernel: γ \(gamma.shape), β \(beta.shape) for \(x.shape)")
        // Every row of y, x̂ and r is written.
        var y = Tensor.uninitialized(x.shape), xhat = Tensor.uninitialized(x.shape)
        var inverse = [Float](repeating: 0, count: rows)
        guard rows > 0 && n > 0 else { return (y, LayerNormCache(normalized: xhat, inverseDeviation: inverse)) }
        x.scalars.withUnsafeBufferPointer { px in
            gamma.scalars.withUnsafeBufferPointer { pg in
                beta.scalars.withUnsafeBufferPointer { pb in
                    y.scalars.withUnsafeMutableBufferPointer { py in
                        xhat.scalars.withUnsafeMutableBufferPointer { ph in
                            inverse.withUnsafeMutableBufferPointer { pr in
                                forward(px.baseAddress!, gamma: pg.baseAddress!, beta: pb.baseAddress!, y: py.baseAddress!,
                                        normalized: ph.baseAddress!, inverseDeviation: pr.baseAddress!, rows: rows,
                                        width: n, epsilon: epsilon)
                            }
                        }
                    }
                }
            }
        }
        return (y, LayerNormCache(normalized: xhat, inverseDeviation: inverse))
    }

    /// (dL/dx or nil, dL/dγ and dL/dβ or nil) for upstream `dy`.
    public static func backward(_ dy: Tensor, cache: LayerNormCache, gamma: Tensor, inputGradient: Bool,
                                parameterGradients: Bool) -> (dx: Tensor?, dGamma: Tensor?, dBeta: Tensor?) {
        let n = gamma.count, rows = dy.count / max(n, 1)
        var dx = inputGradient ? Tensor.uninitialized(dy.shape) : nil   // every row written
        var dGamma = parameterGradients ? Tensor(shape: [n]) : nil, dBeta = parameterGradients ? Tensor(shape: [n]) : nil
        guard rows > 0 && n > 0 else { return (dx, dGamma, dBeta) }
        func withOptional(_ t: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> Void) {
            if t == nil { return body(nil) }
            t!.scalars.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
        }
        dy.scalars.withUnsafeBufferPointer { pdy in
            cache.normalized.scalars.withUnsafeBufferPointer { ph in
                cache.inverseDeviation.withUnsafeBufferPointer { pr in
                    gamma.scalars.withUnsafeBufferPointer { pg in
                        withOptional(&dx) { pdx in
                            withOptional(&dGamma) { pdg in
                                withOptional(&dBeta) { pdb in
                                    backward(pdy.baseAddress!, normalized: ph.baseAddress!, inverseDeviation: pr.baseAddress!,
                                             gamma: pg.baseAddress!, dx: pdx, dGamma: pdg, dBeta: pdb, rows: rows, width: n)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx, dGamma, dBeta)
    }
}
