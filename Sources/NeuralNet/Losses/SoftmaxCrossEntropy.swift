import Tensor

/// Softmax followed by cross-entropy, fused: Keras's
/// `CategoricalCrossentropy(from_logits=True)` (or the sparse variant for class labels).
///
/// The prediction is logits `z` of shape `[B, C]`, or `[B, T, C]` for a sequence
/// (one distribution per step); the target is a class per row (per step) or a row of
/// probabilities `y`. Rows whose label is `LossTarget.ignored` count for nothing, and
/// the mean is over the N rows that count. Written with the log-sum-exp, the loss
/// never takes the log of an underflowed probability:
///
///     L = (1/N) Σ_rows Σ_j y_rj · (lse_r − z_rj)
///     dL/dz_rj = (p_rj · Σ_k y_rk − y_rj) / N      (= (softmax − onehot)/N for one-hot rows)
public struct SoftmaxCrossEntropy: Loss {
    public let name = "softmax_cross_entropy"
    public let inputName = "logits"

    public init() {}

    public func evaluate(_ prediction: Tensor, _ target: LossTarget) throws -> (value: Float, gradient: Tensor) {
        guard prediction.rank == 2 || prediction.rank == 3 else {
            throw LossError.unsupportedShape(loss: name, shape: prediction.shape,
                                             reason: "softmax cross-entropy needs logits of shape [batch, classes] "
                                                 + "or [batch, time, classes]")
        }
        let classes = prediction.shape[prediction.rank - 1]
        let rows = prediction.count / max(classes, 1)
        let counted = Float(max(target.countedRows(rows), 1))
        if case let .classes(labels) = target, classes >= 2 {
            // One-hot rows: only the label's term of the sum is non-zero (`SoftmaxKernel`).
            _ = try target.checkLabels(labels, like: prediction, loss: name, ignoring: true)
            let (total, gradient) = SoftmaxKernel.sparseCrossEntropy(logits: prediction, labels: labels, counted: counted)
            return (Float(total / Double(counted)), gradient)
        }
        let y = try target.dense(like: prediction, loss: name, ignoring: true).scalars
        let (probabilities, lse) = softmaxRows(prediction)
        let z = prediction.scalars, p = probabilities.scalars
        var gradient = [Float](repeating: 0, count: prediction.count)
        var total: Double = 0
        for r in 0..<rows {
            let row = (r * classes)..<(r * classes + classes)
            let mass = y[row].reduce(0, +)
            guard mass != 0 else { continue }
            for j in row {
                total += Double(y[j] * (lse[r] - z[j]))
                gradient[j] = (p[j] * mass - y[j]) / counted
            }
        }
        return (Float(total / Double(counted)), Tensor(shape: prediction.shape, scalars: gradient))
    }
}
