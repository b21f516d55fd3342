import Tensor

/// Mean squared error, as Keras's `mse`: the mean of `(p − y)²` over the last
/// axis, then over the batch, which for equal rows is the mean over all N elements.
///
///     L = (1/N) Σ_i (p_i − y_i)²        dL/dp_i = 2 (p_i − y_i) / N
public struct MeanSquaredError: Loss {
    public let name = "mse"
    public let inputName = "prediction"

    public init() {}

    public func evaluate(_ prediction: Tensor, _ target: LossTarget) throws -> (value: Float, gradient: Tensor) {
        let y = try target.dense(like: prediction, loss: name).scalars
        let p = prediction.scalars
        let n = Float(p.count)
        var gradient = [Float](repeating: 0, count: p.count)
        var total: Double = 0
        for i in p.indices {
            let error = p[i] - y[i]
            total += Double(error * error)
            gradient[i] = 2 * error / n
        }
        return (Float(total / Double(p.count)), Tensor(shape: prediction.shape, scalars: gradient))
    }
}
