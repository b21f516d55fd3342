/// The weight and bias gradients of y = max-pool(max(conv2D(x, W) + b, 0)) (pooling windows
/// that do not overlap) from the pooling's dL/dy, argmax and output, with the pooling's
/// backward pass fused in, block by block (`PooledWeightGradient`):
///
///     dL/dz = scatter(dL/dy · [pooled > 0]),   [dL/dW; dL/db] = [im2col(x)ᵀ; 1ᵀ] · dL/dz
///
/// Bit for bit `maxPool2DRectifierBackward` then `conv2DBackward`'s weight and bias
/// gradients, without sending dL/dz out to memory and back. With `keepsRectified`, dL/dz
/// as well (a convolution that passes dL/dx on, or a recorder that keeps dL/dz), and with
/// `measured` the moments of the pooling's unmasked dL/dx, as
/// `maxPool2DRectifierBackwardPatched` measures them. nil where it does not apply: a
/// weight gradient by Winograd's route, or a batch whose depth segments would not stay
/// in L2 (the two passes then run as before).
public func conv2DWeightGradientThroughMaxPool(
    _ x: Tensor, weight w: Tensor, stride: Int, padding: Padding,
    pooledGradient dy: Tensor, argmax: [Int32], pooled: Tensor, poolSize: Int, poolStride: Int,
    keepsRectified: Bool, measured: Bool
) -> (weight: Tensor, bias: Tensor, rectified: Tensor?, moments: TensorMoments?)? {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    guard let kernel = PooledWeightGradient(g, pool: (poolSize, poolStride)) else { return nil }
    precondition(dy.count == g.batch * kernel.outputsPerImage && argmax.count == dy.count && pooled.shape == dy.shape,
                 "conv2DWeightGradientThroughMaxPool: dy \(dy.shape), pooled \(pooled.shape), \(argmax.count) indices "
                     + "for convolution output \(g.outputShape)")
    let cout = g.outChannels
    var (db, dz, moments) = ([Float](), nil as [Float]?, nil as TensorMoments?)
    let dw = [Float](unsafeUninitializedCapacity: g.patchSize * cout) { pdw, initialized in
        db = [Float](unsafeUninitializedCapacity: cout) { pdb, biasCount in
            dy.scalars.withUnsafeBufferPointer { pdy in argmax.withUnsafeBufferPointer { pa in
                pooled.scalars.withUnsafeBufferPointer { pk in x.scalars.withUnsafeBufferPointer { px in
                    func run(_ rectified: UnsafeMutablePointer<Float>?) {
                        moments = TensorMoments.collect(pieces: measured ? g.batch : nil) {
                            kernel.run(input: px.baseAddress!, pooledGradient: pdy.baseAddress!,
                                       argmax: pa.baseAddress!, pooled: pk.baseAddress!,
                                       weightGradient: pdw.baseAddress!, biasGradient: pdb.baseAddress!,
                                       rectified: rectified, measuring: $0)
                        }
                    }
                    guard keepsRectified else { return run(nil) }
                    // Every image is copied in by the block that owns it.
                    dz = [Float](unsafeUninitializedCapacity: g.outputPixels * cout) { pdz, count in
                        run(pdz.baseAddress!)
                        count = g.outputPixels * cout
                    }
                }}
            }}
            biasCount = cout
        }
        initialized = g.patchSize * cout
    }
    return (Tensor(shape: w.shape, scalars: dw), Tensor(shape: [cout], scalars: db),
            dz.map { Tensor(shape: g.outputShape, scalars: $0) }, moments)
}
