/// What `conv2DMaxPooledMeasured` returns: a convolution's output and the max pooling's
/// output and argmax, each output with the moments a recorder's statistics are built from.
public struct MeasuredPooledConvolution {
    /// f(conv(x, W) + b), [batch, outHeight, outWidth, channels]; nil where only its summary was asked for.
    public let convolved: Tensor?
    public let convolvedMoments: TensorMoments
    /// The convolution's moments and histogram sample, where it was summarized instead of stored.
    public let convolvedSummary: TensorSummary?
    public let pooled: Tensor
    public let pooledMoments: TensorMoments
    /// Each winner's index in the convolution's output, as `maxPool2D` gives it.
    public let argmax: [Int32]
}

/// `conv2DMaxPooledWithArgmax` for a training step whose recorder measures the two outputs:
/// the convolution's output too (the recorder keeps it), and the moments of both, cut
/// into the pieces that `conv2D(…, measured: true)` and `maxPool2D(…, measured: true)`
/// measure (the GEMM's row blocks or Winograd's blocks of images; each pooled row), so
/// every value, winner and statistic is bit for bit that of the two layers run one after
/// the other. Run as two layers, the convolution's output went out to memory and the
/// pooling read it back (5.5 MB for cnn-mnist's conv1 at batch 64, 2 MB for its conv2).
///
/// Where the convolution takes Winograd's route (cnn-mnist's conv2), each block of images
/// writes its outputs, measures them and pools them while they are in L2. For a
/// one-channel 3×3 first layer under 2×2 windows over an even output (conv1), each image's
/// convolution is formed in registers (`PooledFirstLayerKernel`), stored and pooled at
/// once, and its pieces are measured while it is in L2; a GEMM piece (96 rows there) that
/// straddles two images is measured once both are written, after the batch. nil for any
/// other pair (the caller runs the two layers).
///
/// With `summarizing` (a histogram's sample size, for a trace's statistics-only step), the
/// convolution is never stored: each image (each block, on Winograd's route) is formed in its
/// worker's scratch, and only its pieces' moments, the parts of straddling pieces and the
/// values of the histogram's runs (`HistogramRuns`) leave it (`convolvedSummary`).
public func conv2DMaxPooledMeasured(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int, padding: Padding,
                                    rectified: Bool, poolSize: Int, poolStride: Int,
                                    summarizing sample: Int? = nil) -> MeasuredPooledConvolution? {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(bias.count == g.outChannels, "conv2DMaxPooledMeasured: bias \(bias.shape) for \(g.outChannels) channels")
    guard g.batch > 0, g.outHeight >= poolSize, g.outWidth >= poolSize else { return nil }
    let pool = MaxPoolKernel.Shape(batch: 1, height: g.outHeight, width: g.outWidth, channels: g.outChannels,
                                   size: poolSize, stride: poolStride)
    if let winograd = WinogradConvolution.forward(g) {
        return winogradConv2DMaxPooledMeasured(x, weight: w, bias: bias, g, winograd, rectified: rectified, pool: pool,
                                               summarizing: sample)
    }
    guard PooledFirstLayerKernel.applies(g, pool), g.outHeight % 2 == 0, g.outWidth % 2 == 0,
          let pieceRows = GEMM.measuredPieceRows(m: g.outputPixels, n: g.outChannels, k: g.patchSize,
                                                 ldc: g.outChannels) else { return nil }
    return pooledFirstLayerMeasured(x, weight: w, bias: bias, g, rectified: rectified, pool: pool,
                                    cut: ConvolutionPieces(g, pieceRows: pieceRows), summarizing: sample)
}

/// Where a summarizing pass puts the histogram's values: `HistogramRuns`' runs laid end to end.
typealias SampledRunsSink = (runs: HistogramRuns, into: UnsafeMutablePointer<Float>)

/// The arrays of a `MeasuredPooledConvolution`, written by `body` (convolution, pooled
/// output, argmax, and the sinks of their moments: `convolvedPieces`, one per pooled row).
/// With `summarizing` (a histogram's sample), the convolution is not stored (`z` is nil) and
/// `body` copies the histogram's values to `sampling` instead.
func measuredPooledConvolution(
    _ g: Conv2DGeometry, _ pool: MaxPoolKernel.Shape, convolvedPieces: Int, summarizing sample: Int?,
    _ body: (_ z: UnsafeMutablePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>,
             _ zPieces: UnsafeMutablePointer<BlockMoments>, _ yPieces: UnsafeMutablePointer<BlockMoments>,
             _ sampling: SampledRunsSink?) -> Void
) -> MeasuredPooledConvolution {
    let runs = sample.map { HistogramRuns(count: g.outputPixels * g.outChannels, sample: $0) }
    let convolvedCount = runs == nil ? g.outputPixels * g.outChannels : 0
    let pooledCount = g.batch * pool.outHeight * pool.outWidth * g.outChannels
    var convolvedMoments: TensorMoments?, pooledMoments: TensorMoments?
    var convolved: [Float] = [], pooled: [Float] = []
    var sampled = [Float](repeating: 0, count: runs?.sampledCount ?? 0)
    let argmax = [Int32](unsafeUninitializedCapacity: pooledCount) { pa, argmaxCount in
        pooled = [Float](unsafeUninitializedCapacity: pooledCount) { py, pooledWritten in
            convolved = [Float](unsafeUninitializedCapacity: convolvedCount) { pz, convolvedWritten in
                sampled.withUnsafeMutableBufferPointer { ps in
                    convolvedMoments = TensorMoments.collect(pieces: convolvedPieces) { zPieces in
                        pooledMoments = TensorMoments.collect(pieces: g.batch * pool.outHeight) { yPieces in
                            body(runs == nil ? pz.baseAddress! : nil, py.baseAddress!, pa.baseAddress!, zPieces!,
                                 yPieces!, runs.map { ($0, ps.baseAddress!) })
                        }
                    }
                }
                convolvedWritten = convolvedCount
            }
            pooledWritten = pooledCount
        }
        argmaxCount = pooledCount
    }
    return MeasuredPooledConvolution(
        convolved: runs == nil ? Tensor(shape: g.outputShape, scalars: convolved) : nil,
        convolvedMoments: convolvedMoments!,
        convolvedSummary: sample.map { TensorSummary(shape: g.outputShape, moments: convolvedMoments!, sample: $0,
                                                     sampled: sampled) },
        pooled: Tensor(shape: [g.batch, pool.outHeight, pool.outWidth, g.outChannels], scalars: pooled),
        pooledMoments: pooledMoments!, argmax: argmax)
}

/// The first-layer route of `conv2DMaxPooledMeasured`, image by image in registers: each image
/// is stored into the kept convolution, or, summarizing, into its worker's scratch (86 KB for
/// cnn-mnist's conv1, in L2), and its inner pieces are measured from there. A summarizing pass
/// copies out the parts of the pieces that straddle images, and of the histogram's runs, each
/// to its place; the straddling pieces are measured after the batch, from the kept tensor or
/// from those copies. A piece's moments depend only on its values in order, so they are the
/// same bit for bit either way.
private func pooledFirstLayerMeasured(_ x: Tensor, weight w: Tensor, bias: Tensor, _ g: Conv2DGeometry,
                                      rectified: Bool, pool: MaxPoolKernel.Shape, cut: ConvolutionPieces,
                                      summarizing sample: Int?) -> MeasuredPooledConvolution {
    let imageIn = g.height * g.width, row = pool.outWidth * g.outChannels, pooled = pool.outHeight * row
    let straddling = cut.straddling
    // Summarizing: slot[p] is where straddling piece p is assembled in `edges` (−1 for the others).
    var slot = [Int](repeating: -1, count: sample == nil ? 0 : cut.count)
    for (q, p) in straddling.enumerated() where sample != nil { slot[p] = q }
    let scratchCount = sample == nil ? 0 : cut.imageValues
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: WorkerPool.shared.workers(for: g.batch) * scratchCount)
    let edges = UnsafeMutablePointer<Float>.allocate(capacity: sample == nil ? 0 : straddling.count * cut.size)
    defer { scratch.deallocate(); edges.deallocate() }
    return measuredPooledConvolution(g, pool, convolvedPieces: cut.count, summarizing: sample) {
        z, y, argmax, zPieces, yPieces, sampling in
        x.scalars.withUnsafeBufferPointer { px in w.scalars.withUnsafeBufferPointer { pw in
            bias.scalars.withUnsafeBufferPointer { pb in
                WorkerPool.shared.runWithWorker(blocks: g.batch) { b, worker in
                    // The image's values [start, start + imageValues) of the batch's output.
                    let start = b * cut.imageValues, values = start..<(start + cut.imageValues)
                    let image = z.map { $0 + start } ?? scratch + worker * scratchCount
                    PooledFirstLayerKernel.run(image: px.baseAddress! + b * imageIn, weight: pw.baseAddress!,
                                               bias: pb.baseAddress!, g, pool, rectified: rectified,
                                               into: y + b * pooled, argmax: argmax + b * pooled,
                                               first: start, convolved: image)
                    for i in (b * pool.outHeight)..<((b + 1) * pool.outHeight) {
                        yPieces[i] = MomentsKernel.measure(y + i * row, count: row)
                    }
                    for p in cut.pieces(inImage: b) {
                        let r = cut.range(p)
                        zPieces[p] = MomentsKernel.measure(image + (r.lowerBound - start), count: r.count)
                    }
                    guard let (runs, sampled) = sampling else { return }
                    for p in cut.pieces(overlapping: values) where slot[p] >= 0 {
                        (edges + slot[p] * cut.size).update(holding: cut.range(p), from: image, holding: values)
                    }
                    for s in runs.runs(overlapping: values) { runs.copy(s, from: image, holding: values, into: sampled) }
                }
                WorkerPool.shared.run(blocks: straddling.count) { q in
                    let r = cut.range(straddling[q])
                    zPieces[straddling[q]] = MomentsKernel.measure(z.map { $0 + r.lowerBound } ?? edges + q * cut.size,
                                                                   count: r.count)
                }
            }
        }}
    }
}

/// A convolution's output cut as the GEMM measures it (`GEMM.measuredPieceRows`): piece p
/// holds values [p·size, (p + 1)·size) of the batch's output, the last one fewer.
private struct ConvolutionPieces {
    let imageValues, total, size, count: Int

    init(_ g: Conv2DGeometry, pieceRows: Int) {
        imageValues = g.outHeight * g.outWidth * g.outChannels
        total = g.batch * imageValues
        size = pieceRows * g.outChannels
        count = (total + size - 1) / size
    }

    func range(_ p: Int) -> Range<Int> { (p * size)..<min((p + 1) * size, total) }

    /// The pieces that lie inside image b: from the first that starts in it to the last that
    /// ends in it (the batch's last piece, however short, ends in its last image).
    func pieces(inImage b: Int) -> Range<Int> {
        let (start, end) = (b * imageValues, (b + 1) * imageValues)
        let first = (start + size - 1) / size, last = end == total ? count : end / size
        return first..<max(first, last)
    }

    /// The pieces that share a value with `values`.
    func pieces(overlapping values: Range<Int>) -> Range<Int> {
        values.isEmpty ? 0..<0 : (values.lowerBound / size)..<((values.upperBound - 1) / size + 1)
    }

    /// The pieces that span two images or more.
    var straddling: [Int] {
        (0..<count).filter { range($0).lowerBound / imageValues != (range($0).upperBound - 1) / imageValues }
    }

}
