/// What `conv2DMaxPooledMeasured` returns: a convolution's output and the max pooling's
/// output and argmax, each output with the moments a recorder's statistics are built from.
public struct MeasuredPooledConvolution {
    /// f(conv(x, W) + b), [batch, outHeight, outWidth, channels].
    public let convolved: Tensor
    public let convolvedMoments: TensorMoments
    public let pooled: Tensor
    public let pooledMoments: TensorMoments
    /// Each winner's index in `convolved`, as `maxPool2D` gives it.
    public let argmax: [Int32]
}

/// `conv2DMaxPooledWithArgmax` for a training step whose recorder measures the two outputs:
/// the convolution's output too (the recorder keeps it), and the moments of both, cut
/// into the pieces that `conv2D(…, measured: true)` and `maxPool2D(…, measured: true)`
/// measure (the GEMM's row blocks; each pooled row), so every value, winner and
/// statistic is bit for bit that of the two layers run one after the other.
///
/// For a one-channel 3×3 first layer under 2×2 windows over an even output (cnn-mnist's
/// conv1): each image's convolution is formed in registers (`PooledFirstLayerKernel`),
/// stored and pooled at once, and its pieces are measured while the image is in L2.
/// Run as two layers, the GEMM wrote the 5.5 MB of a batch of 64 digits and the pooling
/// read them back from memory. A GEMM piece (96 rows there) that straddles two images is
/// measured once both are written, after the batch. nil for any other pair (the caller
/// runs the two layers).
public func conv2DMaxPooledMeasured(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int, padding: Padding,
                                    rectified: Bool, poolSize: Int, poolStride: Int) -> MeasuredPooledConvolution? {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(bias.count == g.outChannels, "conv2DMaxPooledMeasured: bias \(bias.shape) for \(g.outChannels) channels")
    guard g.batch > 0, g.outHeight >= poolSize, g.outWidth >= poolSize else { return nil }
    let pool = MaxPoolKernel.Shape(batch: 1, height: g.outHeight, width: g.outWidth, channels: g.outChannels,
                                   size: poolSize, stride: poolStride)
    guard PooledFirstLayerKernel.applies(g, pool), g.outHeight % 2 == 0, g.outWidth % 2 == 0,
          let pieceRows = GEMM.measuredPieceRows(m: g.outputPixels, n: g.outChannels, k: g.patchSize,
                                                 ldc: g.outChannels) else { return nil }
    let cut = ConvolutionPieces(g, pieceRows: pieceRows)
    let imageIn = g.height * g.width, row = pool.outWidth * g.outChannels, pooled = pool.outHeight * row
    var convolvedMoments: TensorMoments?, pooledMoments: TensorMoments?
    var convolved: [Float] = [], output: [Float] = []
    let argmax = [Int32](unsafeUninitializedCapacity: g.batch * pooled) { pa, argmaxCount in
        output = [Float](unsafeUninitializedCapacity: g.batch * pooled) { py, outputCount in
            convolved = [Float](unsafeUninitializedCapacity: cut.total) { pz, convolvedCount in
                x.scalars.withUnsafeBufferPointer { px in w.scalars.withUnsafeBufferPointer { pw in
                    bias.scalars.withUnsafeBufferPointer { pb in
                        let (x, z, y, a) = (px.baseAddress!, pz.baseAddress!, py.baseAddress!, pa.baseAddress!)
                        convolvedMoments = TensorMoments.collect(pieces: cut.count) { zPieces in
                            pooledMoments = TensorMoments.collect(pieces: g.batch * pool.outHeight) { yPieces in
                                WorkerPool.shared.run(blocks: g.batch) { b in
                                    PooledFirstLayerKernel.run(image: x + b * imageIn, weight: pw.baseAddress!,
                                                               bias: pb.baseAddress!, g, pool, rectified: rectified,
                                                               into: y + b * pooled, argmax: a + b * pooled,
                                                               first: b * cut.imageValues,
                                                               convolved: z + b * cut.imageValues)
                                    for i in (b * pool.outHeight)..<((b + 1) * pool.outHeight) {
                                        yPieces![i] = MomentsKernel.measure(y + i * row, count: row)
                                    }
                                    for p in cut.pieces(inImage: b) { zPieces![p] = cut.measure(p, z) }
                                }
                                let straddling = cut.straddling
                                WorkerPool.shared.run(blocks: straddling.count) { q in
                                    zPieces![straddling[q]] = cut.measure(straddling[q], z)
                                }
                            }
                        }
                    }
                }}
                convolvedCount = cut.total
            }
            outputCount = g.batch * pooled
        }
        argmaxCount = g.batch * pooled
    }
    return MeasuredPooledConvolution(
        convolved: Tensor(shape: g.outputShape, scalars: convolved), convolvedMoments: convolvedMoments!,
        pooled: Tensor(shape: [g.batch, pool.outHeight, pool.outWidth, g.outChannels], scalars: output),
        pooledMoments: pooledMoments!, argmax: argmax)
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

    /// The pieces that lie inside image b.
    func pieces(inImage b: Int) -> [Int] {
        let image = (b * imageValues)..<((b + 1) * imageValues)
        return Array((image.lowerBound + size - 1) / size..<count).prefix { range($0).upperBound <= image.upperBound }
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
