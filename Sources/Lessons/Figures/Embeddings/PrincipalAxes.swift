/// The two directions along which a set of vectors varies most (principal component
/// analysis), to draw high-dimensional word vectors on a page.
///
/// With the vectors centred on their mean μ, the covariance C = (1/n) Σ (x − μ)(x − μ)ᵀ
/// has eigenvectors e₁, e₂ of the two largest eigenvalues λ₁ ≥ λ₂; a vector x is drawn
/// at ((x − μ)·e₁, (x − μ)·e₂), and λ₁ + λ₂ over the trace of C is the share of the
/// variance the picture keeps. Found by power iteration (each axis from a fixed start,
/// the second with the first projected out), so the same vectors give the same map;
/// each axis's sign is chosen so that the first vector has a non-negative coordinate.
struct PrincipalAxes {
    let mean: [Double]
    let axes: [[Double]]
    /// λ_k / trace(C) of each axis.
    let explained: [Double]

    init(_ vectors: [[Double]], count: Int = 2, iterations: Int = 300) {
        let n = Double(vectors.count), d = vectors[0].count
        let mu = (0..<d).map { j in vectors.map { $0[j] }.reduce(0, +) / n }
        mean = mu
        let centred = vectors.map { zip($0, mu).map { $0 - $1 } }
        var covariance = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for x in centred { for i in 0..<d { for j in 0..<d { covariance[i][j] += x[i] * x[j] / n } } }
        let total = (0..<d).map { covariance[$0][$0] }.reduce(0, +)
        var axes: [[Double]] = [], explained: [Double] = []
        for k in 0..<min(count, d) {
            var e = (0..<d).map { 1 + Double(($0 * 7 + k * 3) % 5) / 10 }
            for _ in 0..<iterations {
                e = covariance.map { row in zip(row, e).map { $0 * $1 }.reduce(0, +) }
                for a in axes { let p = zip(a, e).map { $0 * $1 }.reduce(0, +); e = zip(e, a).map { $0 - p * $1 } }
                let norm = e.map { $0 * $0 }.reduce(0, +).squareRoot()
                guard norm > 0 else { break }
                e = e.map { $0 / norm }
            }
            if let first = centred.first, zip(first, e).map({ $0 * $1 }).reduce(0, +) < 0 { e = e.map { -$0 } }
            let lambda = zip(covariance.map { row in zip(row, e).map { $0 * $1 }.reduce(0, +) }, e).map { $0 * $1 }.reduce(0, +)
            axes.append(e)
            explained.append(total > 0 ? lambda / total : 0)
        }
        self.axes = axes
        self.explained = explained
    }

    /// x's coordinates along the axes.
    func project(_ x: [Double]) -> [Double] {
        axes.map { a in zip(zip(x, mean).map { $0 - $1 }, a).map { $0 * $1 }.reduce(0, +) }
    }
}
