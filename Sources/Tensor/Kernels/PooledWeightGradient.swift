/// A ReLU convolution's weight and bias gradients with the backward pass of the max
/// pooling above it (windows that do not overlap) in the same parallel blocks:
///
///     dL/dz = scatter(dL/dy · [pooled > 0])          (maxPool2DRectifierBackward)
///     [dL/dW; dL/db] = [im2col(x)ᵀ; 1ᵀ] · dL/dz      (directWeightAndBiasGradients)
///
/// The product is deep (k = batch × output pixels), so `GEMMPlan` gives all of C to one
/// block per depth segment, each segment a run of about batch / 8 images. Done as two
/// passes, the pooling writes the batch's dL/dz (5.5 MB for 64 of cnn-mnist's 26×26×32
/// images) out to memory and the product reads it back. Here each segment's block first
/// writes the dL/dz of the images its depth range touches into the worker's scratch
/// (8 images, 692 KB, which stays in L2), then runs the segment's product from there
/// (`GEMM.runTile`, A and B both read from the segment's first image on). A caller that
/// keeps dL/dz has it written in place, where every segment holds whole images (64
/// digits: 8 segments of 8), and else copied on from the scratch, each image by the
/// block holding its first pixel. Segments' partial sums are added in segment order as
/// `GEMM.multiply` adds them, and every chunk of depth is the same, so each value is bit
/// for bit that of the two passes, whatever the thread count. Where nobody keeps dL/dz
/// and the layer is a one-channel 3×3 first layer under 2×2 windows, no dL/dz is written
/// at all: `PooledFirstLayerWeightGradient` forms it pixel by pixel in registers.
struct PooledWeightGradient {
    let g: Conv2DGeometry
    let plan: GEMMPlan
    let pairs: MaxPoolPairBackward?
    /// The most images one segment's depth range touches.
    let imagesPerSegment: Int
    /// Values of one image's dy, the pooling's output.
    let outputsPerImage: Int
    /// The pooling over one image.
    let pool: MaxPoolKernel.Shape
    /// Whether every segment starts on an image's first pixel (a batch of 64 MNIST digits
    /// is 8 segments of 8 images), so that each image lies in one segment.
    let segmentsHoldWholeImages: Bool

    /// A worker's scratch holds this many floats at most (1 MiB): a longer segment
    /// would not stay in L2, and the two passes do as well.
    static let maximumScratchFloats = 262_144

    /// Where it applies: a convolution whose weight gradient is the direct product (not
    /// Winograd's), cut as a deep product (one block of C per segment), with segments
    /// short enough for the scratch. `pool` is the pooling's size and stride.
    init?(_ g: Conv2DGeometry, pool: (size: Int, stride: Int)) {
        guard pool.stride >= pool.size, g.outHeight >= pool.size, g.outWidth >= pool.size, g.outputPixels > 0,
              WinogradWeightGradient(g) == nil else { return nil }
        let plan = GEMMPlan(m: g.patchSize + 1, n: g.outChannels, k: g.outputPixels)
        guard plan.rowBlocks == 1, plan.columnBlocks == 1 else { return nil }
        let pixels = g.outHeight * g.outWidth
        let longest = (0..<plan.segments).map { s -> Int in
            let depth = plan.segmentDepth(s)
            return depth.isEmpty ? 0 : (depth.upperBound - 1) / pixels - depth.lowerBound / pixels + 1
        }.max() ?? 0
        guard longest * pixels * g.outChannels <= PooledWeightGradient.maximumScratchFloats else { return nil }
        (self.g, self.plan, imagesPerSegment) = (g, plan, longest)
        segmentsHoldWholeImages = (0..<plan.segments).allSatisfy { plan.segmentDepth($0).lowerBound % pixels == 0 }
        self.pool = MaxPoolKernel.Shape(batch: 1, height: g.outHeight, width: g.outWidth, channels: g.outChannels,
                                        size: pool.size, stride: pool.stride)
        outputsPerImage = self.pool.outHeight * self.pool.outWidth * g.outChannels
        pairs = MaxPoolPairBackward(inputShape: g.outputShape, size: pool.size, stride: pool.stride)
    }

    /// dW (patchSize × outChannels, as the weight lies) and db from the pooling's dy,
    /// argmax and output; with `rectified`, dL/dz of the whole batch too, and with
    /// `measuring` (batch pieces) the moments of the unmasked dL/dx, as
    /// `MaxPoolKernel.backward` measures them.
    func run(input x: UnsafePointer<Float>, pooledGradient dy: UnsafePointer<Float>,
             argmax: UnsafePointer<Int32>, pooled: UnsafePointer<Float>,
             weightGradient dw: UnsafeMutablePointer<Float>, biasGradient db: UnsafeMutablePointer<Float>,
             rectified: UnsafeMutablePointer<Float>?, measuring moments: UnsafeMutablePointer<BlockMoments>?) {
        let (m, n) = (plan.m, plan.n)
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: plan.segments * m * n)
        defer { partials.deallocate() }
        if rectified == nil && PooledFirstLayerKernel.applies(g, pool) {
            // Nobody keeps dL/dz: a one-channel first layer forms it pixel by pixel in registers.
            // dL/dx's moments need only dy (disjoint windows): each image's, from the segment
            // holding its first pixel, as `writeAndMultiply` measures them.
            let pixels = g.outHeight * g.outWidth
            WorkerPool.shared.run(blocks: plan.segments) { s in
                let depth = plan.segmentDepth(s)
                guard !depth.isEmpty else { return (partials + s * m * n).update(repeating: 0, count: m * n) }
                PooledFirstLayerWeightGradient.run(input: x, pooledGradient: dy, argmax: argmax, pooled: pooled, g, pool,
                                                   depth: depth, chunk: GEMMPlan.chunkDepth(for: depth.count),
                                                   into: partials + s * m * n)
                guard let moments else { return }
                for b in (depth.lowerBound / pixels)...((depth.upperBound - 1) / pixels) where depth.contains(b * pixels) {
                    moments[b] = MaxPoolKernel.disjointGradientMoments(ofImage: b, dy, inputsPerImage: pixels * n,
                                                                       outputsPerImage: outputsPerImage)
                }
            }
        } else {
            writeAndMultiply(x, dy, argmax, pooled, rectified: rectified, measuring: moments, into: partials)
        }
        // [dW; db] = P₀ + P₁ + …, then split: the last row of C is db.
        let both = UnsafeMutablePointer<Float>.allocate(capacity: m * n)
        defer { both.deallocate() }
        GEMM.addPartials(partials, segments: plan.segments, m: m, n: n, into: both, ldc: n, start: .overwrite,
                         rectify: false, WorkerPool.serial)
        dw.update(from: both, count: g.patchSize * n)
        db.update(from: both + g.patchSize * n, count: n)
    }

    /// Every segment's partial [dW; db] into `partials`, its dL/dz written to a worker's
    /// scratch and multiplied from there (copied on to `rectified` and measured where asked).
    /// A caller that keeps dL/dz has it written in place instead, where each image lies in
    /// one segment: its block then writes those images alone, and reads them back from L2.
    private func writeAndMultiply(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                                  _ pooled: UnsafePointer<Float>, rectified: UnsafeMutablePointer<Float>?,
                                  measuring moments: UnsafeMutablePointer<BlockMoments>?,
                                  into partials: UnsafeMutablePointer<Float>) {
        let (m, n) = (plan.m, plan.n)
        let pixels = g.outHeight * g.outWidth, imageValues = pixels * n
        let workers = WorkerPool.shared.workers(for: plan.segments)
        let scratchCount = rectified != nil && segmentsHoldWholeImages ? 0 : imagesPerSegment * imageValues
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: workers * scratchCount)
        defer { scratch.deallocate() }
        let aPacks = UnsafeMutablePointer<Float>.allocate(capacity: workers * plan.aPackCount)
        defer { aPacks.deallocate() }
        WorkerPool.shared.runWithWorker(blocks: plan.segments) { s, worker in
            let depth = plan.segmentDepth(s)
            guard !depth.isEmpty else { return (partials + s * m * n).update(repeating: 0, count: m * n) }
            let images = (depth.lowerBound / pixels)...((depth.upperBound - 1) / pixels)
            let inPlace = segmentsHoldWholeImages ? rectified.map { $0 + images.lowerBound * imageValues } : nil
            let dz = inPlace ?? scratch + worker * scratchCount
            for b in images {
                let image = dz + (b - images.lowerBound) * imageValues
                MaxPoolKernel.writeGradient(ofImage: b, dy, argmax, into: image, inputsPerImage: imageValues,
                                            outputsPerImage: outputsPerImage, keptWhere: pooled, pairs: pairs)
                // An image is the copy and the moments of the segment holding its first pixel.
                guard depth.contains(b * pixels) else { continue }
                if inPlace == nil { rectified.map { ($0 + b * imageValues).update(from: image, count: imageValues) } }
                moments?[b] = MaxPoolKernel.gradientMoments(ofImage: b, dy, image, inputsPerImage: imageValues,
                                                            outputsPerImage: outputsPerImage, disjoint: true)
            }
            multiplySegment(x, dz, images: images, depth: depth, into: partials + s * m * n,
                            aPack: aPacks + worker * plan.aPackCount)
        }
    }

    /// One segment's block: [im2col(x)ᵀ; 1ᵀ]·dL/dz over `depth`, with A read from the
    /// images `images` of x and B from their dL/dz in `dz`, both from that run's first
    /// pixel on, so the chunks of depth are the ones `GEMM.multiply` walks.
    private func multiplySegment(_ x: UnsafePointer<Float>, _ dz: UnsafeMutablePointer<Float>, images: ClosedRange<Int>,
                                 depth: Range<Int>, into c: UnsafeMutablePointer<Float>,
                                 aPack: UnsafeMutablePointer<Float>) {
        let (m, n) = (plan.m, plan.n)
        let pixels = g.outHeight * g.outWidth, shift = images.lowerBound * pixels
        let run = g.over(images: images.count)
        let source = StridedPanelSource(base: dz, ld: n, transposed: true, rowCount: n)
        // Panels of B are read in place unless the channels leave a partial panel.
        let packCount = n % GEMMMicroKernel.columns == 0 ? 1 : GEMMPlan.panelPackCount(n: n, k: run.outputPixels)
        let bPack = UnsafeMutablePointer<Float>.allocate(capacity: packCount)
        defer { bPack.deallocate() }
        let panels = GEMM.preparePanels(source, n: n, k: run.outputPixels, packingInto: bPack, WorkerPool.serial)
        panels.withUnsafeBufferPointer { panels in
            GEMM.runTile(ConvolutionTapRows(image: x + images.lowerBound * g.height * g.width * g.inChannels, g: run),
                         panels, rows: 0..<m, columns: 0..<n,
                         depth: (depth.lowerBound - shift)..<(depth.upperBound - shift),
                         aPack: aPack, c: c, ldc: n, start: .overwrite, rectify: false)
        }
    }
}
