/// Max pooling over NHWC images, eight channels at a time.
///
/// For each output pixel the window is scanned in row-major order and a value
/// replaces the running best only when strictly greater, so ties go to the first
/// maximum, as in the reference. `argmax` holds the flat input index of each
/// winner; the backward pass scatters dy to those indices image by image (an
/// image's windows only reach into that image), in output order, so even
/// overlapping windows sum in a fixed order whatever the thread count.
enum MaxPoolKernel {
    struct Shape {
        let batch, height, width, channels: Int
        let size, stride: Int
        var outHeight: Int { (height - size) / stride + 1 }
        var outWidth: Int { (width - size) / stride + 1 }
    }

    /// `measuring` (batch·outHeight pieces) gets the moments of each output row, measured
    /// once its image is written. Without `argmax`, the same values (`maxima(ofImage:)`).
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                        _ argmax: UnsafeMutablePointer<Int32>?, _ s: Shape,
                        measuring moments: UnsafeMutablePointer<BlockMoments>? = nil) {
        let (oh, ow, c) = (s.outHeight, s.outWidth, s.channels)
        let image = Shape(batch: 1, height: s.height, width: s.width, channels: c, size: s.size, stride: s.stride)
        // A block is an image: a row took under a microsecond, and each block is a step of
        // the crew's shared counter that the workers contend for.
        WorkerPool.shared.run(blocks: s.batch) { b in
            if let argmax {
                for i in 0..<oh {
                    let first = (b * oh + i) * ow * c
                    poolRow(x, y + first, argmax + first, image: b, row: i, s)
                }
            } else {
                maxima(ofImage: x + b * s.height * s.width * c, y + b * oh * ow * c, image)
            }
            guard let moments else { return }
            for row in (b * oh)..<((b + 1) * oh) { moments[row] = MomentsKernel.measure(y + row * ow * c, count: ow * c) }
        }
    }

    /// The maxima of one image (`s.batch` 1) on this thread: `forward` without argmax, image
    /// by image, and a caller that pools inside its own parallel block. 2×2 windows over
    /// channels in eights take only their maxima; other windows find their argmax into a
    /// row's scratch.
    static func maxima(ofImage x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ s: Shape) {
        let (ow, c) = (s.outWidth, s.channels)
        let maximaOnly = s.size == 2 && c % 8 == 0
        let scratch = maximaOnly ? nil : UnsafeMutablePointer<Int32>.allocate(capacity: ow * c)
        defer { scratch?.deallocate() }
        for i in 0..<s.outHeight { poolRow(x, y + i * ow * c, scratch, image: 0, row: i, s) }
    }

    /// The maxima and argmax of one image (`s.batch` 1) on this thread, read from `x` (a
    /// worker's scratch), each index counted from `first`, where the image starts in the
    /// batch: `forward` with argmax, for a caller that pools inside its own parallel block.
    static func pool(ofImage x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                     _ argmax: UnsafeMutablePointer<Int32>, _ s: Shape, first: Int) {
        let row = s.outWidth * s.channels
        for i in 0..<s.outHeight { poolRow(x, y + i * row, argmax + i * row, image: 0, row: i, s) }
        let shift = Int32(first)
        for k in 0..<(s.outHeight * row) { argmax[k] &+= shift }
    }

    /// Output row i of image b; without `rowArgmax`, maxima only (2×2 windows, channels in eights).
    @inline(__always)
    private static func poolRow(_ x: UnsafePointer<Float>, _ rowY: UnsafeMutablePointer<Float>,
                                _ rowArgmax: UnsafeMutablePointer<Int32>?, image b: Int, row i: Int, _ s: Shape) {
        let c = s.channels
        for j in 0..<s.outWidth {
            let out = j * c
            let corner = ((b * s.height + i * s.stride) * s.width + j * s.stride) * c
            var ch = 0
            while ch + 8 <= c {
                if let rowArgmax {
                    if s.size == 2 {
                        poolEightTwoByTwo(x, corner + ch, s, rowY + out + ch, rowArgmax + out + ch)
                    } else {
                        poolEight(x, corner + ch, s, rowY + out + ch, rowArgmax + out + ch)
                    }
                } else {
                    maxEightTwoByTwo(x, corner + ch, s, rowY + out + ch)
                }
                ch += 8
            }
            while ch < c {
                poolOne(x, corner + ch, s, rowY + out + ch, rowArgmax! + out + ch)
                ch += 1
            }
        }
    }

    /// Eight adjacent channels of one window; `start` is the flat index of its top-left value.
    @inline(__always)
    private static func poolEight(_ x: UnsafePointer<Float>, _ start: Int, _ s: Shape,
                                  _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>) {
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let raw = UnsafeRawPointer(x)
        var best = raw.loadUnaligned(fromByteOffset: start * 4, as: SIMD8<Float>.self)
        var at = SIMD8<Int32>(repeating: Int32(start)) &+ lanes
        for r in 0..<s.size {
            for t in 0..<s.size where r > 0 || t > 0 {
                consider(raw, start + (r * s.width + t) * s.channels, lanes, &best, &at)
            }
        }
        UnsafeMutableRawPointer(y).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(argmax).storeBytes(of: at, as: SIMD8<Int32>.self)
    }

    /// Takes the eight values at flat index `idx` where they beat `best` (strictly,
    /// so ties keep the earlier position).
    @inline(__always)
    private static func consider(_ raw: UnsafeRawPointer, _ idx: Int, _ lanes: SIMD8<Int32>,
                                 _ best: inout SIMD8<Float>, _ at: inout SIMD8<Int32>) {
        let v = raw.loadUnaligned(fromByteOffset: idx * 4, as: SIMD8<Float>.self)
        let better = v .> best
        best.replace(with: v, where: better)
        at.replace(with: SIMD8<Int32>(repeating: Int32(idx)) &+ lanes, where: better)
    }

    /// `poolEight` unrolled for the 2×2 window every CNN uses: (0,0), (0,1), (1,0), (1,1).
    @inline(__always)
    private static func poolEightTwoByTwo(_ x: UnsafePointer<Float>, _ start: Int, _ s: Shape,
                                          _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>) {
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let raw = UnsafeRawPointer(x)
        let right = s.channels, below = s.width * s.channels
        var best = raw.loadUnaligned(fromByteOffset: start * 4, as: SIMD8<Float>.self)
        var at = SIMD8<Int32>(repeating: Int32(start)) &+ lanes
        consider(raw, start + right, lanes, &best, &at)
        consider(raw, start + below, lanes, &best, &at)
        consider(raw, start + below + right, lanes, &best, &at)
        UnsafeMutableRawPointer(y).storeBytes(of: best, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(argmax).storeBytes(of: at, as: SIMD8<Int32>.self)
    }

    /// The maxima of `poolEightTwoByTwo` without their positions: the same comparisons
    /// (a later value wins only if greater, so NaN and −0 ties end as there).
    @inline(__always)
    private static func maxEightTwoByTwo(_ x: UnsafePointer<Float>, _ start: Int, _ s: Shape,
                                         _ y: UnsafeMutablePointer<Float>) {
        let raw = UnsafeRawPointer(x)
        let right = s.channels, below = s.width * s.channels
        @inline(__always) func at(_ idx: Int) -> SIMD8<Float> {
            raw.loadUnaligned(fromByteOffset: idx * 4, as: SIMD8<Float>.self)
        }
        let best = windowMaximum(at(start), at(start + right), at(start + below), at(start + below + right))
        UnsafeMutableRawPointer(y).storeBytes(of: best, as: SIMD8<Float>.self)
    }

    /// The maximum of a 2×2 window's values, eight channels a lane, in scan order: the
    /// top-left value, then its right, lower and lower-right neighbours, each winning only
    /// where greater (so NaN and −0 ties end as a scan leaves them). Every maxima-only pass
    /// over 2×2 windows takes this order, so all give the same bits. Transparent: as
    /// `@inline(__always)` it stayed a call in Winograd's tile pooling (four vectors in, one
    /// out, `vzeroupper` around each), where that pass then took 18 % of a one-thread
    /// inference profile instead of 7 %.
    @_transparent
    static func windowMaximum(_ topLeft: SIMD8<Float>, _ right: SIMD8<Float>, _ below: SIMD8<Float>,
                              _ belowRight: SIMD8<Float>) -> SIMD8<Float> {
        var best = topLeft
        best.replace(with: right, where: right .> best)
        best.replace(with: below, where: below .> best)
        best.replace(with: belowRight, where: belowRight .> best)
        return best
    }

    @inline(__always)
    private static func poolOne(_ x: UnsafePointer<Float>, _ start: Int, _ s: Shape,
                                _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>) {
        var best = x[start], at = start
        for r in 0..<s.size {
            for t in 0..<s.size {
                let idx = start + (r * s.width + t) * s.channels
                if x[idx] > best { best = x[idx]; at = idx }
            }
        }
        y.pointee = best
        argmax.pointee = Int32(at)
    }

    /// dx = 0, then dx[argmax[k]] += dy[k] for each image's outputs in order (with
    /// `pairs`, 2×2 windows of stride 2, the same values written window by window);
    /// `measuring` (batch pieces) gets the moments of each image's dx once it is done.
    /// When windows do not overlap (`disjoint`), that dx holds each dy value once and
    /// zeros elsewhere, so its moments are those of the image's dy (a quarter of the
    /// values for 2×2 windows) merged with the zeros.
    ///
    /// With `keptWhere` (the pooling's output y) only the dy whose y is positive are
    /// scattered: the gradient through a ReLU below the pooling, dL/dz = scatter(dy)·[x > 0],
    /// in the same pass, bit for bit (a window's winner x equals its y, and every other
    /// position gets 0 either way; a NaN y drops its dy as the ReLU's mask does).
    ///
    /// With `keptWhere` and `measuring` (disjoint windows only), the moments are those of
    /// the unmasked gradient, dL/dx beside dL/dz, which a recorder keeps as patches of
    /// dL/dz (`TensorPatches`).
    static func backward(_ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                         _ dx: UnsafeMutablePointer<Float>,
                         batch: Int, inputsPerImage: Int, outputsPerImage: Int, disjoint: Bool,
                         keptWhere kept: UnsafePointer<Float>? = nil,
                         measuring moments: UnsafeMutablePointer<BlockMoments>? = nil,
                         pairs: MaxPoolPairBackward? = nil) {
        precondition(kept == nil || moments == nil || disjoint, "MaxPoolKernel: moments of a rectified gradient")
        precondition(pairs == nil || disjoint, "MaxPoolKernel: 2×2 windows of stride 2 are disjoint")
        WorkerPool.shared.run(blocks: batch) { b in
            let image = dx + b * inputsPerImage
            writeGradient(ofImage: b, dy, argmax, into: image, inputsPerImage: inputsPerImage,
                          outputsPerImage: outputsPerImage, keptWhere: kept, pairs: pairs)
            moments?[b] = gradientMoments(ofImage: b, dy, image, inputsPerImage: inputsPerImage,
                                          outputsPerImage: outputsPerImage, disjoint: disjoint)
        }
    }

    /// Image b's part of `backward`, written to `image` (its first value, in the batch's
    /// dx or in a worker's scratch): argmax indexes the batch.
    static func writeGradient(ofImage b: Int, _ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                              into image: UnsafeMutablePointer<Float>, inputsPerImage: Int, outputsPerImage: Int,
                              keptWhere kept: UnsafePointer<Float>?, pairs: MaxPoolPairBackward?) {
        if let pairs { return pairs.writeImage(b, dy, argmax, into: image, kept: kept) }
        image.update(repeating: 0, count: inputsPerImage)
        scatter(dy, argmax, image, first: b * inputsPerImage,
                outputs: (b * outputsPerImage)..<((b + 1) * outputsPerImage), keptWhere: kept)
    }

    /// The moments of image b's dx (unmasked, as `backward` measures them), once `image` holds it.
    static func gradientMoments(ofImage b: Int, _ dy: UnsafePointer<Float>, _ image: UnsafePointer<Float>,
                                inputsPerImage: Int, outputsPerImage: Int, disjoint: Bool) -> BlockMoments {
        guard disjoint && outputsPerImage > 0 else { return MomentsKernel.measure(image, count: inputsPerImage) }
        return disjointGradientMoments(ofImage: b, dy, inputsPerImage: inputsPerImage, outputsPerImage: outputsPerImage)
    }

    /// The same where windows do not overlap, from dy alone: image b's dx holds each of its dy
    /// once and zeros elsewhere, so its moments are dy's with the zeros added.
    static func disjointGradientMoments(ofImage b: Int, _ dy: UnsafePointer<Float>, inputsPerImage: Int,
                                        outputsPerImage: Int) -> BlockMoments {
        MomentsKernel.measure(dy + b * outputsPerImage, count: outputsPerImage).addingZeros(inputsPerImage - outputsPerImage)
    }

    /// dx[argmax[k]] += dy[k] for one image's outputs in order, onto its cleared dx, `image`,
    /// whose first value is the batch's value `first` (only where kept > 0 with `kept`).
    private static func scatter(_ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                                _ image: UnsafeMutablePointer<Float>, first: Int, outputs: Range<Int>,
                                keptWhere kept: UnsafePointer<Float>?) {
        if let kept {
            for k in outputs where kept[k] > 0 { image[Int(argmax[k]) - first] += dy[k] }
        } else {
            for k in outputs { image[Int(argmax[k]) - first] += dy[k] }
        }
    }
}
