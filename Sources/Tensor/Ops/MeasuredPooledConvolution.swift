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
    let cut = ConvolutionPieces(g, pieceRows: pieceRows)
    if let sample {
        return pooledFirstLayerSummarized(x, weight: w, bias: bias, g, rectified: rectified, pool: pool, cut: cut,
                                          sample: sample)
    }
    return pooledFirstLayerMeasured(x, weight: w, bias: bias, g, rectified: rectified, pool: pool, cut: cut)
}

/// The arrays of a `MeasuredPooledConvolution`, written by `body` (convolution, pooled
/// output, argmax, and the sinks of their moments: `convolvedPieces`, one per pooled row).
/// With `summary`, the convolution is not stored (`z` is nil) and `summary` gives its sample.
func measuredPooledConvolution(
    _ g: Conv2DGeometry, _ pool: MaxPoolKernel.Shape, convolvedPieces: Int,
    summary: (sample: Int, sampled: () -> [Float])? = nil,
    _ body: (_ z: UnsafeMutablePointer<Float>?, _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>,
             _ zPieces: UnsafeMutablePointer<BlockMoments>, _ yPieces: UnsafeMutablePointer<BlockMoments>) -> Void
) -> MeasuredPooledConvolution {
    let convolvedCount = summary == nil ? g.outputPixels * g.outChannels : 0
    let pooledCount = g.batch * pool.outHeight * pool.outWidth * g.outChannels
    var convolvedMoments: TensorMoments?, pooledMoments: TensorMoments?
    var convolved: [Float] = [], pooled: [Float] = []
    let argmax = [Int32](unsafeUninitializedCapacity: pooledCount) { pa, argmaxCount in
        pooled = [Float](unsafeUninitializedCapacity: pooledCount) { py, pooledWritten in
            convolved = [Float](unsafeUninitializedCapacity: convolvedCount) { pz, convolvedWritten in
                convolvedMoments = TensorMoments.collect(pieces: convolvedPieces) { zPieces in
                    pooledMoments = TensorMoments.collect(pieces: g.batch * pool.outHeight) { yPieces in
                        body(summary == nil ? pz.baseAddress! : nil, py.baseAddress!, pa.baseAddress!, zPieces!, yPieces!)
                    }
                }
                convolvedWritten = convolvedCount
            }
            pooledWritten = pooledCount
        }
        argmaxCount = pooledCount
    }
    return MeasuredPooledConvolution(
        convolved: summary == nil ? Tensor(shape: g.outputShape, scalars: convolved) : nil,
        convolvedMoments: convolvedMoments!,
        convolvedSummary: summary.map { TensorSummary(shape: g.outputShape, moments: convolvedMoments!,
                                                      sample: $0.sample, sampled: $0.sampled()) },
        pooled: Tensor(shape: [g.batch, pool.outHeight, pool.outWidth, g.outChannels], scalars: pooled),
        pooledMoments: pooledMoments!, argmax: argmax)
}

/// The first-layer route of `conv2DMaxPooledMeasured`, image by image in registers.
private func pooledFirstLayerMeasured(_ x: Tensor, weight w: Tensor, bias: Tensor, _ g: Conv2DGeometry,
                                      rectified: Bool, pool: MaxPoolKernel.Shape,
                                      cut: ConvolutionPieces) -> MeasuredPooledConvolution {
    let imageIn = g.height * g.width, row = pool.outWidth * g.outChannels, pooled = pool.outHeight * row
    return measuredPooledConvolution(g, pool, convolvedPieces: cut.count) { z, y, argmax, zPieces, yPieces in
        let z = z!
        x.scalars.withUnsafeBufferPointer { px in w.scalars.withUnsafeBufferPointer { pw in
            bias.scalars.withUnsafeBufferPointer { pb in
                WorkerPool.shared.run(blocks: g.batch) { b in
                    PooledFirstLayerKernel.run(image: px.baseAddress! + b * imageIn, weight: pw.baseAddress!,
                                               bias: pb.baseAddress!, g, pool, rectified: rectified,
                                               into: y + b * pooled, argmax: argmax + b * pooled,
                                               first: b * cut.imageValues, convolved: z + b * cut.imageValues)
                    for i in (b * pool.outHeight)..<((b + 1) * pool.outHeight) {
                        yPieces[i] = MomentsKernel.measure(y + i * row, count: row)
                    }
                    for p in cut.pieces(inImage: b) { zPieces[p] = cut.measure(p, z) }
                }
                let straddling = cut.straddling
                WorkerPool.shared.run(blocks: straddling.count) { q in
                    zPieces[straddling[q]] = cut.measure(straddling[q], z)
                }
            }
        }}
    }
}

/// `pooledFirstLayerMeasured` without storing the convolution: each image goes to its worker's
/// scratch (86 KB for cnn-mnist's conv1, in L2), and its inner pieces are measured there. The
/// parts of the pieces that straddle images, and of the histogram's runs, are copied out,
/// each to its place; the straddling pieces are measured from their copies after the batch.
/// A piece's moments depend only on its values in order, so they are those of the stored
/// tensor bit for bit.
private func pooledFirstLayerSummarized(_ x: Tensor, weight w: Tensor, bias: Tensor, _ g: Conv2DGeometry,
                                        rectified: Bool, pool: MaxPoolKernel.Shape, cut: ConvolutionPieces,
                                        sample: Int) -> MeasuredPooledConvolution {
    let runs = HistogramRuns(count: cut.total, sample: sample)
    let imageIn = g.height * g.width, row = pool.outWidth * g.outChannels, pooled = pool.outHeight * row
    let straddling = cut.straddling
    // slot[p]: where straddling piece p is assembled in `edges` (−1 for the others).
    var slot = [Int](repeating: -1, count: cut.count)
    for (q, p) in straddling.enumerated() { slot[p] = q }
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: WorkerPool.shared.workers(for: g.batch) * cut.imageValues)
    let edges = UnsafeMutablePointer<Float>.allocate(capacity: straddling.count * cut.size)
    let sampled = UnsafeMutablePointer<Float>.allocate(capacity: runs.sampledCount)
    defer { scratch.deallocate(); edges.deallocate(); sampled.deallocate() }
    let summary = (sample, { Array(UnsafeBufferPointer(start: sampled, count: runs.sampledCount)) })
    return measuredPooledConvolution(g, pool, convolvedPieces: cut.count, summary: summary) { _, y, argmax, zPieces, yPieces in
        x.scalars.withUnsafeBufferPointer { px in w.scalars.withUnsafeBufferPointer { pw in
            bias.scalars.withUnsafeBufferPointer { pb in
                WorkerPool.shared.runWithWorker(blocks: g.batch) { b, worker in
                    // The image's values [start, start + imageValues) of the batch's output.
                    let image = scratch + worker * cut.imageValues, start = b * cut.imageValues
                    PooledFirstLayerKernel.run(image: px.baseAddress! + b * imageIn, weight: pw.baseAddress!,
                                               bias: pb.baseAddress!, g, pool, rectified: rectified,
                                               into: y + b * pooled, argmax: argmax + b * pooled,
                                               first: start, convolved: image)
                    for i in (b * pool.outHeight)..<((b + 1) * pool.outHeight) {
                        yPieces[i] = MomentsKernel.measure(y + i * row, count: row)
                    }
                    let values = start..<(start + cut.imageValues)
                    for p in cut.pieces(inImage: b) {
                        let r = cut.range(p)
                        zPieces[p] = MomentsKernel.measure(image + (r.lowerBound - start), count: r.count)
                    }
                    for p in cut.pieces(overlapping: values) where slot[p] >= 0 {
                        (edges + slot[p] * cut.size).update(holding: cut.range(p), from: image, holding: values)
                    }
                    for s in runs.runs(overlapping: values) { runs.copy(s, from: image, holding: values, into: sampled) }
                }
                WorkerPool.shared.run(blocks: straddling.count) { q in
                    zPieces[straddling[q]] = MomentsKernel.measure(edges + q * cut.size,
                                                                   count: cut.range(straddling[q]).count)
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

    func measure(_ p: Int, _ z: UnsafePointer<Float>) -> BlockMoments {
        let r = range(p)
        return MomentsKernel.measure(z + r.lowerBound, count: r.count)
    }
}
