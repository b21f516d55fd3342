import Tensor

extension Sequential {
    /// Outputs for every row of `inputs` in inference mode, computed in batches.
    public func predict(_ inputs: Tensor, batchSize: Int = 256) throws -> Tensor {
        let n = inputs.shape[0]
        var out: [Float] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            out.append(contentsOf: try predictBatch(inputs.slice(start..<min(n, start + batchSize))).scalars)
        }
        return Tensor(shape: [n] + outputShape, scalars: out)
    }

    /// The outputs of one batch in inference mode, the same bits as `forward(batch,
    /// context: .inference)` (each row's outputs depend on that row alone), computed
    /// `predictionRows` rows at a time: a layer's output for those rows then stays in
    /// cache for the layer that reads it, where a whole batch of a CNN's first feature
    /// maps (256 × 86 KB) goes out to memory and back. Nothing is kept for a backward pass
    /// (`ForwardContext.prediction`: a max pooling finds no argmax).
    public func predictBatch(_ batch: Tensor) throws -> Tensor {
        let n = batch.shape.first ?? 0, rows = predictionRows
        guard n > rows else { return try forward(batch, context: .prediction) }
        var out: [Float] = []
        out.reserveCapacity(n * outputShape.reduce(1, *))
        for start in stride(from: 0, to: n, by: rows) {
            out.append(contentsOf: try forward(batch.slice(start..<min(n, start + rows)), context: .prediction).scalars)
        }
        return Tensor(shape: [n] + outputShape, scalars: out)
    }

    /// Rows whose largest stored layer output fits in about 3 MiB (a core's cache, give or
    /// take), a multiple of 8 and at least 16, and more than any batch for small models,
    /// which are then forwarded whole. A convolution followed by a max pooling is pooled as
    /// it is formed (`Conv2D.forwardPooled`), so its output is never stored: for the MNIST CNN
    /// the largest is the first pooling's, 13·13·32 floats a row, 144 rows. Measured there
    /// (December 2026, 2 threads, batches of 256): 144 rows 3–5 % faster than 32, which
    /// (counting the first convolution's 26·26·32 floats) had been 13–16 % faster than 256
    /// before the pooling was fused; at 1 thread 144 rows 1–2 % slower than 32.
    var predictionRows: Int {
        let stored = zip(layers.indices, outputShapes).filter { i, _ in
            !(layers[i] is Conv2D && i + 1 < layers.count && layers[i + 1] is MaxPool2D)
        }
        let largest = stored.map { $0.1.reduce(1, *) }.max() ?? 1
        let rows = (3 << 20) / max(1, largest * MemoryLayout<Float>.size)
        return max(16, rows / 8 * 8)
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
