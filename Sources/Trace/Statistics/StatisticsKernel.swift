import Tensor

/// The statistics kernel behind `TensorStatistics`: one pass over memory.
///
/// The tensor is cut into fixed blocks of `blockLength` elements, spread over the
/// `WorkerPool`; each block's partial results are combined in block order, so
/// the statistics are bit-identical with 1 or N threads. A block's `BlockMoments`
/// (`MomentsKernel`: Σx, Σx², min, max and Σ(x − block mean)² in one read, the
/// last through sums about a shift near the mean) are merged with Chan's formula,
///
///     M2 = Σ_b [ M2_b + n_b · (mean_b − mean)² ],   std = √(M2 / n),
///
/// which is as stable as a second pass over the whole tensor and half the memory
/// traffic. The histogram needs the global range, so it is a second, short pass
/// over a sample: every element of a tensor up to `histogramSample` elements; of
/// a larger one, every k-th run of 256 adjacent elements (`HistogramRuns`), with k chosen
/// so that about `histogramSample` (or the trace's reduced sample for layer outputs,
/// see `HistogramSampling`) are counted (adjacent runs keep the pass
/// streaming through whole cache lines; an element-wise stride touched a new
/// line per value and was the largest part of the recording overhead). Bins are
/// counted into four interleaved histograms per worker so that runs of equal
/// values (ReLU zeros) do not serialise on one counter. If a block meets a
/// non-finite value, a scalar Double path that skips non-finite elements computes
/// the same fields. `combine` takes any cut into consecutive pieces, so the moments
/// a kernel measured while writing the tensor (`TensorMoments`) serve as well.
///
/// (Vector float-to-int conversion compiles to generic per-lane code, 10× slower:
/// a bin index is read from the mantissa of `floor(position) + 2²³`.)
enum StatisticsKernel {
    private static let blockLength = 4096
    /// Elements the histogram counts at most (before rounding the run step).
    static let histogramSample = 16_384
    /// The smaller sample of the tensors whose histograms no figure reads (activations,
    /// gradients of layer outputs): a quarter, which still puts ~128 values in a bin.
    static let reducedHistogramSample = 4_096
    /// Sampled runs per parallel block of the histogram pass.
    private static let runsPerBlock = 16
    private typealias Vector = SIMD16<Float>

    static func blockCount(_ count: Int) -> Int { (count + blockLength - 1) / blockLength }

    static func statistics(_ x: UnsafeBufferPointer<Float>, bins: Int,
                           sample: Int = histogramSample) -> TensorStatistics {
        let blocks = blockCount(x.count)
        var partials = [BlockMoments](repeating: BlockMoments(), count: blocks)
        partials.withUnsafeMutableBufferPointer { partials in
            WorkerPool.shared.run(blocks: blocks) { b in partials[b] = moments(x, block: b) }
        }
        return partials.withUnsafeBufferPointer { combineUnpatched($0, x, bins: bins, sample: sample, on: WorkerPool.shared) }
    }

    /// The statistics from every block's moments: totals in block order, Chan's merge
    /// of the squared deviations, then the histogram pass over about `sample` elements.
    ///
    /// With `patches`, the statistics are those of x with the patched values in place: the
    /// moments (which describe that tensor) as they are, and the histogram of x's sample
    /// with each patched position in it moved from its bin to the patched value's.
    static func combine(_ partials: UnsafeBufferPointer<BlockMoments>, _ x: UnsafeBufferPointer<Float>,
                        patches: TensorPatches? = nil,
                        bins: Int, sample: Int = histogramSample, on pool: WorkerPool) -> TensorStatistics {
        // Outside the finite path every field is counted over the tensor itself: build it.
        if let patches, !Totals(partials, bins: bins).isFinite {
            let patched = patches.applied(to: Tensor(shape: [x.count], scalars: Array(x))).scalars
            return patched.withUnsafeBufferPointer { combineUnpatched(partials, $0, bins: bins, sample: sample, on: pool) }
        }
        var statistics = combineUnpatched(partials, x, bins: bins, sample: sample, on: pool)
        if let patches, !x.isEmpty {
            // Each sampled position that is patched moves from its bin to its patched value's.
            let (low, scale) = (Float(statistics.min), Totals(partials, bins: bins).scale)
            for run in HistogramRuns(count: x.count, sample: sample).runs {
                patches.forEachValue(in: run) { i, value in
                    statistics.histogram[bin(x[i], low: low, scale: scale, bins: bins)] -= 1
                    statistics.histogram[bin(value, low: low, scale: scale, bins: bins)] += 1
                }
            }
        }
        return statistics
    }

    /// The bin `count` puts v in.
    private static func bin(_ v: Float, low: Float, scale: Float, bins: Int) -> Int {
        Int(Swift.max(0, Swift.min((v - low) * scale, Float(bins - 1))))
    }

    /// The blocks' totals in block order, and the histogram's scale over their range.
    private struct Totals {
        var sum = 0.0, sumOfSquares = 0.0, low = Float.infinity, high = -Float.infinity
        let scale: Float

        init(_ partials: UnsafeBufferPointer<BlockMoments>, bins: Int) {
            for block in partials {
                sum += block.sum
                sumOfSquares += block.sumOfSquares
                low = Swift.min(low, block.min)
                high = Swift.max(high, block.max)
            }
            scale = high == low ? 0 : Float(bins) / (high - low)
        }

        /// Whether every field can come from the moments (else each element is looked at).
        var isFinite: Bool {
            sum.isFinite && sumOfSquares.isFinite && low.isFinite && high.isFinite && (high - low).isFinite
                && scale.isFinite
        }
    }

    private static func combineUnpatched(_ partials: UnsafeBufferPointer<BlockMoments>, _ x: UnsafeBufferPointer<Float>,
                                         bins: Int, sample: Int, on pool: WorkerPool) -> TensorStatistics {
        guard !x.isEmpty else {
            return TensorStatistics(count: 0, mean: 0, std: 0, min: 0, max: 0, l2: 0, nonFinite: 0,
                                    histogram: [Int32](repeating: 0, count: bins))
        }
        let totals = Totals(partials, bins: bins)
        guard totals.isFinite else { return skippingNonFinite(x, bins: bins) }
        return finite(partials, totals, count: x.count) { low, scale in
            histogram(x, low: low, scale: scale, bins: bins, sample: sample, on: pool)
        }
    }

    /// Whether `combine(_:summarized:count:bins:on:)` can build the statistics from these moments
    /// (where any total is not finite, every element must be looked at).
    static func combines(_ partials: UnsafeBufferPointer<BlockMoments>, bins: Int) -> Bool {
        Totals(partials, bins: bins).isFinite
    }

    /// The statistics of a tensor of `count` values that was never stored (`TensorSummary`):
    /// from its pieces' moments, and a histogram of `sampled`, the values of its histogram's
    /// runs, which are exactly those `combine` would count in the tensor (a count does not
    /// depend on the order). The moments must pass `combines`.
    static func combine(_ partials: UnsafeBufferPointer<BlockMoments>, summarized sampled: UnsafeBufferPointer<Float>,
                        count: Int, bins: Int, on pool: WorkerPool) -> TensorStatistics {
        let totals = Totals(partials, bins: bins)
        precondition(count > 0 && totals.isFinite, "StatisticsKernel: a summary needs finite moments")
        return finite(partials, totals, count: count) { low, scale in
            histogram(sampled, low: low, scale: scale, bins: bins, sample: Swift.max(1, sampled.count), on: pool)
        }
    }

    /// Mean and std by Chan's merge, range and L2 from the totals, and the histogram `count` gives.
    private static func finite(_ partials: UnsafeBufferPointer<BlockMoments>, _ totals: Totals, count: Int,
                               histogram: (_ low: Float, _ scale: Float) -> [Int32]) -> TensorStatistics {
        let mean = totals.sum / Double(count)
        let deviations = partials.reduce(0.0) { total, block in
            guard block.count > 0 else { return total }
            let offset = block.sum / Double(block.count) - mean
            return total + block.squaredDeviations + Double(block.count) * offset * offset
        }
        return TensorStatistics(count: count, mean: mean, std: (deviations / Double(count)).squareRoot(),
                                min: Double(totals.low), max: Double(totals.high), l2: totals.sumOfSquares.squareRoot(),
                                nonFinite: 0, histogram: histogram(totals.low, totals.scale))
    }

    private static func range(of block: Int, in x: UnsafeBufferPointer<Float>) -> Range<Int> {
        (block * blockLength)..<Swift.min((block + 1) * blockLength, x.count)
    }

    static func moments(_ x: UnsafeBufferPointer<Float>, block: Int) -> BlockMoments {
        let range = range(of: block, in: x)
        return MomentsKernel.measure(x.baseAddress! + range.lowerBound, count: range.count)
    }

    /// Bins of every k-th run of 256 elements (`HistogramRuns`) (k = 1 up to `sample` elements).
    private static func histogram(_ x: UnsafeBufferPointer<Float>, low: Float, scale: Float, bins: Int,
                                  sample: Int, on pool: WorkerPool) -> [Int32] {
        let sampled = HistogramRuns(count: x.count, sample: sample)
        let blocks = (sampled.total + runsPerBlock - 1) / runsPerBlock
        let workers = pool.workers(for: blocks)
        var counts = [Int32](repeating: 0, count: workers * 4 * bins)
        counts.withUnsafeMutableBufferPointer { counts in
            pool.runWithWorker(blocks: blocks) { b, w in
                let own = UnsafeMutableBufferPointer(rebasing: counts[(w * 4 * bins)..<((w + 1) * 4 * bins)])
                for s in (b * runsPerBlock)..<Swift.min(sampled.total, (b + 1) * runsPerBlock) {
                    count(x, sampled.run(s), low: low, scale: scale, bins: bins, into: own)
                }
            }
        }
        return (0..<bins).map { bin in
            Swift.stride(from: bin, to: counts.count, by: bins).reduce(Int32(0)) { $0 &+ counts[$1] }
        }
    }

    /// Adds the bins of x[range] to `counts` (4 × bins), 256 values at a time: their slots
    /// (bin plus the lane's histogram) are stored as vectors, then counted by plain loads.
    /// Taking each slot out of its register instead (`vpextrd`, lane by lane) made this
    /// pass three to eight times slower on Zen 4 (1.2–3.1 % of a recording benchmark's
    /// samples, now 0.4 %).
    private static func count(_ x: UnsafeBufferPointer<Float>, _ range: Range<Int>, low: Float, scale: Float,
                              bins: Int, into counts: UnsafeMutableBufferPointer<Int32>) {
        let raw = UnsafeRawPointer(x.baseAddress!)
        let last = Vector(repeating: Float(bins - 1))
        // Adding 2²³ to a whole number below 2²³ puts it in the low mantissa bits.
        let magic = Vector(repeating: 8_388_608)
        let laneOffsets = SIMD16<UInt32>(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3) &* UInt32(bins)
        let chunk = 256
        withUnsafeTemporaryAllocation(of: SIMD16<UInt32>.self, capacity: chunk / Vector.scalarCount) { slots in
            var i = range.lowerBound
            while i + Vector.scalarCount <= range.upperBound {
                let vectors = Swift.min(chunk, range.upperBound - i) / Vector.scalarCount
                for v in 0..<vectors {
                    var position = (raw.loadUnaligned(fromByteOffset: (i + v * Vector.scalarCount) * 4, as: Vector.self)
                                    - low) * scale
                    // Clamped on both sides: a bin index must stay in bounds even if the range is off.
                    position.replace(with: last, where: position .> last)
                    position.replace(with: Vector(), where: position .< Vector())
                    let bin = unsafeBitCast(position.rounded(.down) + magic, to: SIMD16<UInt32>.self) & 0x7F_FFFF
                    slots[v] = bin &+ laneOffsets
                }
                UnsafeRawPointer(slots.baseAddress!).withMemoryRebound(to: UInt32.self,
                                                                      capacity: vectors * Vector.scalarCount) { slot in
                    for j in 0..<(vectors * Vector.scalarCount) { counts[Int(slot[j])] &+= 1 }
                }
                i += vectors * Vector.scalarCount
            }
            for v in x[i..<range.upperBound] {
                counts[Int(Swift.max(0, Swift.min((v - low) * scale, Float(bins - 1))))] &+= 1
            }
        }
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
