import Foundation
import Tensor

/// Softmax along the last axis: `p_j = exp(z_j − max z) / Σ_k exp(z_k − max z)`.
///
/// Subtracting the row maximum leaves the result unchanged and keeps every
/// exponent ≤ 0, so logits of 1e4 give probabilities, not `inf/inf`. The
/// Softmax layer and the fused softmax cross-entropy share this function.
public func softmax(_ logits: Tensor) -> Tensor {
    softmaxRows(logits).probabilities
}

/// Softmax of each row of the last axis together with each row's log-sum-exp,
/// `lse = max z + log Σ_k exp(z_k − max z)`, so that `log p_j = z_j − lse`
/// stays finite even where `p_j` underflows to 0.
func softmaxRows(_ logits: Tensor) -> (probabilities: Tensor, logSumExp: [Float]) {
    let width = logits.shape.last ?? 1
    let rows = width == 0 ? 0 : logits.count / width
    let z = logits.scalars
    var p = [Float](repeating: 0, count: logits.count)
    var lse = [Float](repeating: 0, count: rows)
    for r in 0..<rows {
        let row = (r * width)..<(r * width + width)
        let zMax = z[row].max()!
        var sum: Float = 0
        for j in row {
            p[j] = exp(z[j] - zMax)
            sum += p[j]
        }
        for j in row { p[j] /= sum }
        lse[r] = zMax + log(sum)
    }
    return (Tensor(shape: logits.shape, scalars: p), lse)
}
