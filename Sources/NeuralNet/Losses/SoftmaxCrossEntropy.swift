import Tensor

/// Softmax followed by cross-entropy, fused: Keras's
/// `CategoricalCrossentropy(from_logits=True)` (or the sparse variant for class labels).
///
/// The prediction is logits `z` of shape `[B, C]`; the target is a class per
/// row or a row of probabilities `y`. Written with the log-sum-exp, the loss
/// never takes the log of an underflowed probability:
///
///     L = (1/B) Σ_b Σ_j y_bj · (lse_b − z_bj)
///     dL/dz_bj = (p_bj · Σ_k y_bk − y_bj) / B      (= (softmax − onehot)/B for one-hot rows)
public struct SoftmaxCrossEntropy: Loss {
    public let name = "softmax_cross_entropy"
    public let inputName = "logits"

    public init() {}

    public func evaluate(_ prediction: Tensor, _ target: LossTarget) throws -> (value: Float, gradient: Tensor) {
        guard prediction.rank == 2 else {
            throw LossError.unsupportedShape(loss: name, shape: prediction.shape,
                                             reason: "softmax cross-entropy needs logits of shape [batch, classes]")
        }
        let y = try target.dense(like: prediction, loss: name).scalars
        let (probabilities, lse) = softmaxRows(prediction)
        let (batch, classes) = (prediction.shape[0], prediction.shape[1])
        let z = prediction.scalars, p = probabilities.scalars
        var gradient = [Float](repeating: 0, count: prediction.count)
        var total: Double = 0
        for b in 0..<batch {
            let row = (b * classes)..<(b * classes + classes)
            let mass = y[row].reduce(0, +)
            for j in row {
                total += Double(y[j] * (lse[b] - z[j]))
                gradient[j] = (p[j] * mass - y[j]) / Float(batch)
            }
        }
        return (Float(total / Double(batch)), Tensor(shape: prediction.shape, scalars: gradient))
    }
}
