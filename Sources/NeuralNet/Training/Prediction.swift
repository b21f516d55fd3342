import Tensor

extension Sequential {
    /// Outputs for every row of `inputs` in inference mode, computed in batches.
    public func predict(_ inputs: Tensor, batchSize: Int = 256) throws -> Tensor {
        let n = inputs.shape[0]
        var out: [Float] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let y = try forward(inputs.slice(start..<min(n, start + batchSize)), context: .inference)
            out.append(contentsOf: y.scalars)
        }
        return Tensor(shape: [n] + outputShape, scalars: out)
    }
}

/// The predicted class of each row of a `[batch, classes]` output (of each step of a
/// `[batch, time, classes]` one): the argmax of the row, or, for a single logit,
/// whether it is positive.
public func predictedClasses(_ prediction: Tensor) -> [Int] {
    let c = prediction.rank >= 2 ? max(prediction.shape[prediction.rank - 1], 1) : 1
    let n = prediction.count / c
    return (0..<n).map { i in
        if c == 1 { return prediction.scalars[i] > 0 ? 1 : 0 }
        var best = 0
        for j in 1..<c where prediction.scalars[i * c + j] > prediction.scalars[i * c + best] { best = j }
        return best
    }
}
