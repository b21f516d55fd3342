/// A max pooling's dL/dx as a statistics-only step of a trace needs it (`TensorSummary`),
/// never stored, for windows that do not overlap: the moments `maxPool2DBackward(…, measured:
/// true)` measures, and the values a histogram of `sample` reads (`HistogramRuns`), from dy
/// and the argmax alone. Each image's dx holds its dy once each and zeros elsewhere, so its
/// piece's moments are dy's with the zeros added, and a sampled position holds the dy of the
/// window whose winner it is, or 0. nil for overlapping windows or an empty dy.
///
/// cnn-mnist's pool1 hands conv1 a dL/dz of 5.5 MB a step; at the steps whose trace keeps
/// only statistics, the first layer's weight gradient is then formed from dy in registers
/// (`PooledFirstLayerWeightGradient`) and no dL/dz or dL/dx is written.
///
/// `measured`: those moments where a kernel measured them already (the first layer's weight
/// gradient through the pooling, `conv2DWeightGradientThroughMaxPool(…, measured: true)`,
/// in the region it opens anyway).
public func maxPool2DBackwardSummary(_ dy: Tensor, argmax: [Int32], inputShape: [Int], size: Int, stride: Int,
                                     sample: Int, measured: TensorMoments? = nil) -> TensorSummary? {
    guard stride >= size, inputShape.count == 4, dy.rank == 4, dy.count > 0, dy.count == argmax.count,
          dy.shape[0] == inputShape[0], dy.shape[3] == inputShape[3] else { return nil }
    let batch = inputShape[0], inputsPerImage = inputShape.dropFirst().reduce(1, *), outputsPerImage = dy.count / batch
    let moments = measured ?? TensorMoments.collect(pieces: batch) { pieces in
        dy.scalars.withUnsafeBufferPointer { pdy in
            WorkerPool.shared.run(blocks: batch) { b in
                pieces![b] = MaxPoolKernel.disjointGradientMoments(ofImage: b, pdy.baseAddress!,
                                                                   inputsPerImage: inputsPerImage,
                                                                   outputsPerImage: outputsPerImage)
            }
        }
    }!
    let runs = HistogramRuns(count: batch * inputsPerImage, sample: sample)
    let window = PoolingWindows(inputShape: inputShape, outputShape: dy.shape, size: size, stride: stride)
    let channels = inputShape[3], values = dy.scalars
    var sampled: [Float] = []
    sampled.reserveCapacity(runs.sampledCount)
    for run in runs.runs {
        // Pixel by pixel: the window is found once for the pixel's channels.
        var p = run.lowerBound
        while p < run.upperBound {
            let pixel = p / channels, end = min(run.upperBound, (pixel + 1) * channels)
            let window = window.firstOutput(covering: pixel)
            for q in p..<end {
                let k = window.map { $0 + q - pixel * channels }
                sampled.append(k.map { argmax[$0] == Int32(truncatingIfNeeded: q) ? values[$0] : 0 } ?? 0)
            }
            p = end
        }
    }
    return TensorSummary(shape: inputShape, moments: moments, sample: sample, sampled: sampled)
}

/// Which window of a valid-padded pooling covers an input pixel, where windows do not overlap.
private struct PoolingWindows {
    let height, width, channels, outHeight, outWidth, size, stride: Int

    init(inputShape: [Int], outputShape: [Int], size: Int, stride: Int) {
        (height, width, channels) = (inputShape[1], inputShape[2], inputShape[3])
        (outHeight, outWidth) = (outputShape[1], outputShape[2])
        (self.size, self.stride) = (size, stride)
    }

    /// The flat index in dy of channel 0 of the window that holds input pixel `pixel` (the
    /// batch's pixels counted in order), if any: channel c's is that plus c.
    func firstOutput(covering pixel: Int) -> Int? {
        let (w, h, b) = (pixel % width, (pixel / width) % height, pixel / (width * height))
        let (i, j) = (h / stride, w / stride)
        guard i < outHeight, j < outWidth, h - i * stride < size, w - j * stride < size else { return nil }
        return ((b * outHeight + i) * outWidth + j) * channels
    }
}
