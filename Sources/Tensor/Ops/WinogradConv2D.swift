/// A 3×3 stride-1 convolution (or its input gradient) by `WinogradConvolution`:
/// forward reading `w` as it is, or (`flipped`) the input gradient, reading it
/// flipped with its channels swapped (input channels = w's output channels).
/// With `measured: true` also the moments of the output, one piece per block of images.
func winogradConv2D(_ x: Tensor, weight w: Tensor, bias: Tensor?, _ winograd: WinogradConvolution,
                    flipped: Bool = false, outputShape: [Int], rectified: Bool, measured: Bool) -> (output: Tensor, moments: TensorMoments?) {
    precondition(x.shape == [winograd.batch, winograd.height, winograd.width, winograd.inChannels],
                 "winogradConv2D: input \(x.shape) does not fit the convolution")
    // The same weights are met again by the probe batch and the next step: transformed once.
    let filters = w.scalars.withUnsafeBufferPointer { WinogradFilterCache.filters($0, winograd, flipped: flipped) }
    let count = outputShape.reduce(1, *)
    var moments: TensorMoments?
    let y = [Float](unsafeUninitializedCapacity: count) { py, initialized in
        x.scalars.withUnsafeBufferPointer { px in
            filters.withUnsafeBufferPointer { pu in
                (bias?.scalars ?? []).withUnsafeBufferPointer { pb in
                    moments = TensorMoments.collect(pieces: measured && count > 0 ? winograd.blocks : nil) { sink in
                        winograd.run(input: px.baseAddress!, filters: pu.baseAddress!,
                                     bias: bias == nil ? nil : pb.baseAddress!, rectify: rectified,
                                     into: py.baseAddress!, measuring: sink)
                    }
                }
            }
        }
        initialized = count
    }
    return (Tensor(shape: outputShape, scalars: y), moments)
}

/// `winogradConv2D` (forward, with bias) and the max pooling `pool` of each image after
/// it in one pass: each block of images pools its outputs from the worker's scratch
/// (`WinogradConvolution.run`'s `pooledBy`), the same bits as the two one after the other.
func winogradConv2DMaxPooled(_ x: Tensor, weight w: Tensor, bias: Tensor, _ winograd: WinogradConvolution,
                             rectified: Bool, pool: MaxPoolKernel.Shape,
                             argmax: UnsafeMutablePointer<Int32>? = nil) -> Tensor {
    precondition(x.shape == [winograd.batch, winograd.height, winograd.width, winograd.inChannels],
                 "winogradConv2DMaxPooled: input \(x.shape) does not fit the convolution")
    let filters = w.scalars.withUnsafeBufferPointer { WinogradFilterCache.filters($0, winograd, flipped: false) }
    let shape = [winograd.batch, pool.outHeight, pool.outWidth, winograd.outChannels]
    let count = shape.reduce(1, *)
    let y = [Float](unsafeUninitializedCapacity: count) { py, initialized in
        x.scalars.withUnsafeBufferPointer { px in
            filters.withUnsafeBufferPointer { pu in
                bias.scalars.withUnsafeBufferPointer { pb in
                    winograd.run(input: px.baseAddress!, filters: pu.baseAddress!, bias: pb.baseAddress!,
                                 rectify: rectified, into: py.baseAddress!, measuring: nil, pooledBy: pool,
                                 argmax: argmax)
                }
            }
        }
        initialized = count
    }
    return Tensor(shape: shape, scalars: y)
}

/// The Winograd route of `conv2DMaxPooledMeasured`: each block of images writes its outputs
/// into the kept convolution, measures them (one piece per block, as `winogradConv2D`
/// measures them) and pools them from there, measuring each pooled row. With `summarizing`,
/// the block's outputs stay in its worker's scratch, measured and pooled there, and only the
/// histogram's runs are copied out.
func winogradConv2DMaxPooledMeasured(_ x: Tensor, weight w: Tensor, bias: Tensor, _ g: Conv2DGeometry,
                                     _ winograd: WinogradConvolution, rectified: Bool,
                                     pool: MaxPoolKernel.Shape, summarizing sample: Int? = nil) -> MeasuredPooledConvolution {
    precondition(x.shape == [winograd.batch, winograd.height, winograd.width, winograd.inChannels],
                 "winogradConv2DMaxPooledMeasured: input \(x.shape) does not fit the convolution")
    let filters = w.scalars.withUnsafeBufferPointer { WinogradFilterCache.filters($0, winograd, flipped: false) }
    return measuredPooledConvolution(g, pool, convolvedPieces: winograd.blocks, summarizing: sample) {
        z, y, argmax, zPieces, yPieces, sampling in
        x.scalars.withUnsafeBufferPointer { px in filters.withUnsafeBufferPointer { pu in
            bias.scalars.withUnsafeBufferPointer { pb in
                winograd.run(input: px.baseAddress!, filters: pu.baseAddress!, bias: pb.baseAddress!, rectify: rectified,
                             into: y, measuring: zPieces, pooledBy: pool, argmax: argmax, convolved: z,
                             measuringPooled: yPieces, sampling: sampling)
            }
        }}
    }
}
