import Foundation
import Tensor

/// Binary cross-entropy on logits, as Keras's `BinaryCrossentropy(from_logits=True)`:
/// each element is an independent yes/no whose probability is `σ(z)`.
///
/// `−y log σ(z) − (1−y) log(1−σ(z))` rewritten so that no exponent is positive
/// (the form TensorFlow's `sigmoid_cross_entropy_with_logits` uses), which stays
/// finite at z = ±100 where `log σ(z)` would be `log 0`:
///
///     ℓ(z, y) = max(z, 0) − z·y + log(1 + e^−|z|)
///     L = (1/N) Σ_i ℓ(z_i, y_i)         dL/dz_i = (σ(z_i) − y_i) / N
public struct BinaryCrossEntropy: Loss {
    public let name = "binary_cross_entropy"
    public let inputName = "logits"

    public init() {}

    public func evaluate(_ prediction: Tensor, _ target: LossTarget) throws -> (value: Float, gradient: Tensor) {
        let y = try target.dense(like: prediction, loss: name).scalars
        let z = prediction.scalars
        let n = Float(z.count)
        var gradient = [Float](repeating: 0, count: z.count)
        var total: Double = 0
        for i in z.indices {
            total += Double(max(z[i], 0) - z[i] * y[i] + log1p(exp(-abs(z[i]))))
            gradient[i] = (sigmoid(z[i]) - y[i]) / n
        }
        return (Float(total / Double(z.count)), Tensor(shape: prediction.shape, scalars: gradient))
    }
}

/// `σ(z) = 1 / (1 + e^−z)`, evaluated so that the exponent is never positive.
private func sigmoid(_ z: Float) -> Float {
    if z >= 0 { return 1 / (1 + exp(-z)) }
    let e = exp(z)
    return e / (1 + e)
}
