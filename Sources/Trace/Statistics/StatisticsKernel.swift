import Tensor

/// The two-pass statistics kernel behind `TensorStatistics`.
///
/// The tensor is cut into fixed blocks of `blockLength` elements, spread over the
/// `WorkerPool`; each block's partial results are combined in block order, so
/// the statistics are bit-identical with 1 or N threads. Pass 1 accumulates Σx,
/// Σx², min and max of a block in 16-lane registers and returns them in Double.
/// Pass 2 needs the mean and range: Σ(x − mean)² (the stable form of the
/// variance) and every element's bin, counted into four interleaved histograms
/// per worker so runs of equal values (ReLU zeros) do not serialise on one
/// counter. If pass 1 meets a non-finite value, a scalar Double path that skips
/// non-finite elements computes the same fields.
///
/// The histogram of a large tensor counts a strided sample: every k-th element
/// with k = ⌈count / 65536⌉, so its cost stays bounded (scattering every
/// element into bins was most of the recording overhead); the moments, min and
/// max always cover every element. The counts then sum to the sample size.
///
/// (`pointwiseMin` and vector float-to-int conversion compile to generic per-lane
/// code, 10× slower; `replace(with:where:)` becomes `vminps`/`vblendvps`, and a
/// bin index is read from the mantissa of `floor(position) + 2²³`.)
enum StatisticsKernel {
    private static let blockLength = 4096
    /// Elements the histogram counts at most (before rounding the stride).
    static let histogramSample = 65_536
    private typealias Vector = SIMD16<Float>

    private struct BlockSums {
        var sum = 0.0, sumOfSquares = 0.0
        var min = Float.infinity, max = -Float.infinity
    }

    static func statistics(_ x: UnsafeBufferPointer<Float>, bins: Int) -> TensorStatistics {
        guard !x.isEmpty else {
            return TensorStatistics(count: 0, mean: 0, std: 0, min: 0, max: 0, l2: 0, nonFinite: 0,
                                    histogram: [Int32](repeating: 0, count: bins))
        }
        let blocks = (x.count + blockLength - 1) / blockLength
        var partials = [BlockSums](repeating: BlockSums(), count: blocks)
        partials.withUnsafeMutableBufferPointer { partials in
            WorkerPool.shared.run(blocks: blocks) { b in partials[b] = sums(x, block: b) }
        }
        let total = partials.reduce(into: BlockSums()) { total, block in
            total.sum += block.sum
            total.sumOfSquares += block.sumOfSquares
            total.min = Swift.min(total.min, block.min)
            total.max = Swift.max(total.max, block.max)
        }
        let (low, high) = (total.min, total.max)
        let scale = high == low ? 0 : Float(bins) / (high - low)
        guard total.sum.isFinite, total.sumOfSquares.isFinite, low.isFinite, high.isFinite,
              (high - low).isFinite, scale.isFinite else {
            return skippingNonFinite(x, bins: bins)
        }
        let mean = total.sum / Double(x.count)
        let stride = (x.count + histogramSample - 1) / histogramSample
        let (deviations, histogram) = deviationsAndBins(x, blocks: blocks, mean: Float(mean), low: low,
                                                        scale: scale, bins: bins, stride: stride)
        return TensorStatistics(count: x.count, mean: mean, std: (deviations / Double(x.count)).squareRoot(),
                                min: Double(low), max: Double(high), l2: total.sumOfSquares.squareRoot(),
                                nonFinite: 0, histogram: histogram)
    }

    private static func range(of block: Int, in x: UnsafeBufferPointer<Float>) -> Range<Int> {
        (block * blockLength)..<Swift.min((block + 1) * blockLength, x.count)
    }

    private static func sums(_ x: UnsafeBufferPointer<Float>, block: Int) -> BlockSums {
        let range = range(of: block, in: x)
        let raw = UnsafeRawPointer(x.baseAddress!)
        var s = Vector(), q = Vector()
        var low = Vector(repeating: x[range.lowerBound]), high = low
        var i = range.lowerBound
        while i + Vector.scalarCount <= range.upperBound {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self)
            s += v
            q += v * v
            low.replace(with: v, where: v .< low)
            high.replace(with: v, where: v .> high)
            i += Vector.scalarCount
        }
        var result = BlockSums(min: low.min(), max: high.max())
        var tailSum: Float = 0, tailSquares: Float = 0
        for v in x[i..<range.upperBound] {
            tailSum += v
            tailSquares += v * v
            result.min = Swift.min(result.min, v)
            result.max = Swift.max(result.max, v)
        }
        result.sum = Double(s.sum() + tailSum)
        result.sumOfSquares = Double(q.sum() + tailSquares)
        return result
    }

    private static func deviationsAndBins(_ x: UnsafeBufferPointer<Float>, blocks: Int, mean: Float, low: Float,
                                          scale: Float, bins: Int, stride: Int) -> (Double, [Int32]) {
        let workers = WorkerPool.shared.workers(for: blocks)
        var deviations = [Double](repeating: 0, count: blocks)
        var counts = [Int32](repeating: 0, count: workers * 4 * bins)
        deviations.withUnsafeMutableBufferPointer { deviations in
            counts.withUnsafeMutableBufferPointer { counts in
                WorkerPool.shared.runWithWorker(blocks: blocks) { b, w in
                    let own = UnsafeMutableBufferPointer(rebasing: counts[(w * 4 * bins)..<((w + 1) * 4 * bins)])
                    deviations[b] = stride == 1
                        ? deviationsAndBins(x, block: b, mean: mean, low: low, scale: scale, bins: bins, counts: own)
                        : deviationsAndSampledBins(x, block: b, mean: mean, low: low, scale: scale, bins: bins,
                                                   stride: stride, counts: own)
                }
            }
        }
        let histogram = (0..<bins).map { bin in
            Swift.stride(from: bin, to: counts.count, by: bins).reduce(Int32(0)) { $0 &+ counts[$1] }
        }
        return (deviations.reduce(0, +), histogram)
    }

    /// Σ(x − mean)² of one block; its bins are added to `counts` (4 × bins).
    private static func deviationsAndBins(_ x: UnsafeBufferPointer<Float>, block: Int, mean: Float, low: Float,
                                          scale: Float, bins: Int,
                                          counts: UnsafeMutableBufferPointer<Int32>) -> Double {
        let range = range(of: block, in: x)
        let raw = UnsafeRawPointer(x.baseAddress!)
        let last = Vector(repeating: Float(bins - 1))
        // Adding 2²³ to a whole number below 2²³ puts it in the low mantissa bits.
        let magic = Vector(repeating: 8_388_608)
        let laneOffsets = SIMD16<UInt32>(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3) &* UInt32(bins)
        var d = Vector()
        var i = range.lowerBound
        while i + Vector.scalarCount <= range.upperBound {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self)
            let centered = v - mean
            d += centered * centered
            var position = (v - low) * scale
            position.replace(with: last, where: position .> last)
            let bin = unsafeBitCast(position.rounded(.down) + magic, to: SIMD16<UInt32>.self) & 0x7F_FFFF
            let slot = bin &+ laneOffsets
            for lane in 0..<Vector.scalarCount {
                counts[Int(slot[lane])] &+= 1
            }
            i += Vector.scalarCount
        }
        var tail: Float = 0
        for v in x[i..<range.upperBound] {
            tail += (v - mean) * (v - mean)
            counts[Int(Swift.min((v - low) * scale, Float(bins - 1)))] &+= 1
        }
        return Double(d.sum() + tail)
    }

    /// Σ(x − mean)² of one block over every element; bins of the elements whose
    /// global index is a multiple of `stride`.
    private static func deviationsAndSampledBins(_ x: UnsafeBufferPointer<Float>, block: Int, mean: Float, low: Float,
                                                 scale: Float, bins: Int, stride: Int,
                                                 counts: UnsafeMutableBufferPointer<Int32>) -> Double {
        let range = range(of: block, in: x)
        let raw = UnsafeRawPointer(x.baseAddress!)
        var d = Vector()
        var i = range.lowerBound
        while i + Vector.scalarCount <= range.upperBound {
            let centered = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self) - mean
            d += centered * centered
            i += Vector.scalarCount
        }
        var tail: Float = 0
        for v in x[i..<range.upperBound] { tail += (v - mean) * (v - mean) }
        let first = (range.lowerBound + stride - 1) / stride * stride
        for j in Swift.stride(from: first, to: range.upperBound, by: stride) {
            counts[Int(Swift.min((x[j] - low) * scale, Float(bins - 1)))] &+= 1
        }
        return Double(d.sum() + tail)
    }

    /// The same fields over the finite elements only, in Double.
    private static func skippingNonFinite(_ x: UnsafeBufferPointer<Float>, bins: Int) -> TensorStatistics {
        let finite = x.lazy.filter { $0.isFinite }.map(Double.init)
        let count = finite.count
        guard count > 0 else {
            return TensorStatistics(count: x.count, mean: 0, std: 0, min: 0, max: 0, l2: 0, nonFinite: x.count,
                                    histogram: [Int32](repeating: 0, count: bins))
        }
        let mean = finite.reduce(0, +) / Double(count)
        let low = finite.min()!, high = finite.max()!
        var histogram = [Int32](repeating: 0, count: bins)
        var deviations = 0.0, squares = 0.0
        for v in finite {
            deviations += (v - mean) * (v - mean)
            squares += v * v
            let bin = high > low ? Int((v - low) / (high - low) * Double(bins)) : 0
            histogram[Swift.min(bin, bins - 1)] += 1
        }
        return TensorStatistics(count: x.count, mean: mean, std: (deviations / Double(count)).squareRoot(),
                                min: low, max: high, l2: squares.squareRoot(), nonFinite: x.count - count,
                                histogram: histogram)
    }
}
