import Foundation
import Tensor

/// Euclidean distances between images as vectors of pixels in [0, 1] (784 numbers for
/// an MNIST digit): the nearest training image of a generated sample (is the generator
/// copying?), and the mean distance between the members of a set (how varied it is).
/// Distances of many pairs come from one matrix product,
/// ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b.
struct PixelDistances {
    /// The reference set, one image per row `[N, pixels]`, and each row's ‖b‖².
    let set: Tensor
    private let squaredNorms: [Float]

    /// `images`: `[N, h, w, c]` (or any `[N, …]`), pixels in [0, 1].
    init(_ images: Tensor) {
        set = Self.rows(images)
        squaredNorms = Self.squaredNorms(set)
    }

    static func rows(_ images: Tensor) -> Tensor {
        images.reshaped([images.shape[0], images.count / max(images.shape[0], 1)])
    }

    static func squaredNorms(_ rows: Tensor) -> [Float] {
        let d = rows.shape[1]
        return (0..<rows.shape[0]).map { i in
            var s: Float = 0
            for k in (i * d)..<((i + 1) * d) { s += rows.scalars[k] * rows.scalars[k] }
            return s
        }
    }

    /// ‖q_i − b_j‖ for every query image i and set image j, `[queries][N]`.
    func distances(_ queries: Tensor) -> [[Double]] {
        let q = Self.rows(queries)
        let qNorms = Self.squaredNorms(q)
        let dots = matmul(q, set, transposeB: true)
        let n = set.shape[0]
        return (0..<q.shape[0]).map { i in
            (0..<n).map { j in Double(max(0, qNorms[i] + squaredNorms[j] - 2 * dots.scalars[i * n + j])).squareRoot() }
        }
    }

    /// Each query's nearest image of the set and its distance; `excluding` gives, per
    /// query, a set index it may not match (itself, when the queries come from the set).
    func nearest(_ queries: Tensor, excluding: [Int]? = nil) -> [(index: Int, distance: Double)] {
        distances(queries).enumerated().map { i, row in
            var best = (index: -1, distance: Double.infinity)
            for (j, d) in row.enumerated() where j != excluding?[i] && d < best.distance { best = (j, d) }
            return best
        }
    }

    /// The mean of ‖a − b‖ over all pairs a ≠ b of `images` (`[n, …]`, n ≥ 2).
    static func meanPairwise(_ images: Tensor) -> Double {
        let n = images.shape[0]
        guard n > 1 else { return 0 }
        let d = PixelDistances(images).distances(images)
        var sum = 0.0
        for i in 0..<n { for j in (i + 1)..<n { sum += d[i][j] } }
        return sum / Double(n * (n - 1) / 2)
    }
}
