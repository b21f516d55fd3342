/// max-pool(conv2D(x, W) + b), ReLU'd when `rectified`, for a forward pass that keeps
/// neither the convolution's output nor the pooling's argmax (`ForwardContext.prediction`):
///
///     y[b,i,j,o] = max_{r,s<size} f(conv(x, W)[b, i·stride + r, j·stride + s, o] + b[o])
///
/// Image by image, in parallel: the image's convolution (one GEMM, its windows read from
/// the image) fills a scratch image of the worker's, which stays in L2 (26×26×32 floats
/// are 86 KB), and the pooling reads it from there. Done as two passes over the batch,
/// the convolution's output (2.8 MB for 32 MNIST images) goes out to memory and comes
/// back for the pooling. Each value is the same chain of fused multiply-adds as in
/// `conv2D` and each maximum the same comparisons as in `maxPool2D`, so the bits are
/// those of the two. Where the convolution takes Winograd's route, its blocks of images
/// pool their outputs the same way (`winogradConv2DMaxPooled`). nil where the pooling
/// window is larger than the convolution's output.
public func conv2DMaxPooled(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int, padding: Padding,
                            rectified: Bool, poolSize: Int, poolStride: Int) -> Tensor? {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(bias.count == g.outChannels, "conv2DMaxPooled: bias \(bias.shape) for \(g.outChannels) channels")
    guard g.outHeight >= poolSize, g.outWidth >= poolSize else { return nil }
    // One image's pooling: each block pools the images it convolved.
    let pool = MaxPoolKernel.Shape(batch: 1, height: g.outHeight, width: g.outWidth, channels: g.outChannels,
                                   size: poolSize, stride: poolStride)
    if let winograd = WinogradConvolution.forward(g) {
        return winogradConv2DMaxPooled(x, weight: w, bias: bias, winograd, rectified: rectified, pool: pool)
    }
    return im2colConv2DMaxPooled(x, weight: w, bias: bias, g, rectified: rectified, pool: pool, argmax: nil)
}

/// `conv2DMaxPooled` for a forward pass that a backward one follows: the pooling's argmax
/// too, each winner's index counted in the batch's convolution output, which is never
/// stored (as `maxPool2D` of `conv2D` gives them, bit for bit). A ReLU layer's backward
/// needs nothing else from its output when the pooling's pass hands it dL/dz
/// (`maxPool2DRectifierBackward`). nil where the pooling window is larger than the
/// convolution's output.
public func conv2DMaxPooledWithArgmax(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int, padding: Padding,
                                      rectified: Bool, poolSize: Int, poolStride: Int)
    -> (output: Tensor, argmax: [Int32])? {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(bias.count == g.outChannels,
                 "conv2DMaxPooledWithArgmax: bias \(bias.shape) for \(g.outChannels) channels")
    guard g.batch > 0, g.outHeight >= poolSize, g.outWidth >= poolSize else { return nil }
    let pool = MaxPoolKernel.Shape(batch: 1, height: g.outHeight, width: g.outWidth, channels: g.outChannels,
                                   size: poolSize, stride: poolStride)
    var output: Tensor?
    let pooledCount = g.batch * pool.outHeight * pool.outWidth * g.outChannels
    let argmax = [Int32](unsafeUninitializedCapacity: pooledCount) { pa, count in
        if let winograd = WinogradConvolution.forward(g) {
            output = winogradConv2DMaxPooled(x, weight: w, bias: bias, winograd, rectified: rectified, pool: pool,
                                             argmax: pa.baseAddress!)
        } else {
            output = im2colConv2DMaxPooled(x, weight: w, bias: bias, g, rectified: rectified, pool: pool,
                                           argmax: pa.baseAddress!)
        }
        count = pooledCount
    }
    return (output!, argmax)
}

/// The im2col route of `conv2DMaxPooled`, with the pooling's argmax where asked: a
/// one-channel 3×3 first layer under 2×2 windows in registers (`PooledFirstLayerKernel`),
/// any other image by image through the GEMM and a worker's scratch.
private func im2colConv2DMaxPooled(_ x: Tensor, weight w: Tensor, bias: Tensor, _ g: Conv2DGeometry, rectified: Bool,
                                   pool: MaxPoolKernel.Shape, argmax: UnsafeMutablePointer<Int32>?) -> Tensor {
    guard !PooledFirstLayerKernel.applies(g, pool) else {
        return pooledFirstLayer(x, weight: w, bias: bias, g, rectified: rectified, pool: pool, argmax: argmax)
    }
    let image = g.over(images: 1)
    let (imageIn, convolved) = (g.height * g.width * g.inChannels, image.outputPixels * g.outChannels)
    let pooled = pool.outHeight * pool.outWidth * g.outChannels
    let workers = WorkerPool.shared.workers(for: g.batch)
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * convolved)
    defer { scratch.deallocate() }
    let bPack = UnsafeMutablePointer<Float>.allocate(capacity: GEMMPlan.panelPackCount(n: g.outChannels, k: g.patchSize))
    defer { bPack.deallocate() }
    let index = ConvolutionIndex.of(image)
    let y = [Float](unsafeUninitializedCapacity: g.batch * pooled) { py, initialized in
        x.scalars.withUnsafeBufferPointer { px in w.scalars.withUnsafeBufferPointer { pw in
            bias.scalars.withUnsafeBufferPointer { pb in
                let filters = StridedPanelSource(base: pw.baseAddress!, ld: g.outChannels, transposed: true,
                                                 rowCount: g.outChannels)
                let panels = GEMM.preparePanels(filters, n: g.outChannels, k: g.patchSize, packingInto: bPack, .shared)
                panels.withUnsafeBufferPointer { panels in
                    WorkerPool.shared.runWithWorker(blocks: g.batch) { b, worker in
                        let c = scratch + worker * convolved
                        GEMM.multiply(a: ConvolutionWindows(image: px.baseAddress! + b * imageIn, g: image, index: index),
                                      panels: panels, m: image.outputPixels, n: g.outChannels, k: g.patchSize,
                                      c: c, ldc: g.outChannels, start: .bias(pb.baseAddress!), rectify: rectified,
                                      WorkerPool.serial)
                        if let argmax {
                            MaxPoolKernel.pool(ofImage: c, py.baseAddress! + b * pooled, argmax + b * pooled, pool,
                                               first: b * convolved)
                        } else {
                            MaxPoolKernel.maxima(ofImage: c, py.baseAddress! + b * pooled, pool)
                        }
                    }
                }
            }
        }}
        initialized = g.batch * pooled
    }
    return Tensor(shape: [g.batch, pool.outHeight, pool.outWidth, g.outChannels], scalars: y)
}

/// `im2colConv2DMaxPooled` for a one-channel 3×3 first layer under 2×2 windows: each image
/// pooled in registers, never convolved into memory.
private func pooledFirstLayer(_ x: Tensor, weight w: Tensor, bias: Tensor, _ g: Conv2DGeometry, rectified: Bool,
                              pool: MaxPoolKernel.Shape, argmax: UnsafeMutablePointer<Int32>?) -> Tensor {
    let imageIn = g.height * g.width, convolved = g.outHeight * g.outWidth * g.outChannels
    let pooled = pool.outHeight * pool.outWidth * g.outChannels
    let y = [Float](unsafeUninitializedCapacity: g.batch * pooled) { py, initialized in
        x.scalars.withUnsafeBufferPointer { px in w.scalars.withUnsafeBufferPointer { pw in
            bias.scalars.withUnsafeBufferPointer { pb in
                WorkerPool.shared.run(blocks: g.batch) { b in
                    PooledFirstLayerKernel.run(image: px.baseAddress! + b * imageIn, weight: pw.baseAddress!,
                                               bias: pb.baseAddress!, g, pool, rectified: rectified,
                                               into: py.baseAddress! + b * pooled, argmax: argmax.map { $0 + b * pooled },
                                               first: b * convolved)
                }
            }
        }}
        initialized = g.batch * pooled
    }
    return Tensor(shape: [g.batch, pool.outHeight, pool.outWidth, g.outChannels], scalars: y)
}
