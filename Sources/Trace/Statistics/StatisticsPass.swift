import Tensor

/// The statistics of one recorded tensor, computed while the step goes on.
///
/// The blocks' moments (the pass over memory) are `DeferredWork`: the pool's
/// helpers compute them in the idle moments of the training step, and whoever
/// finishes the last block combines them and counts the histogram, exactly as
/// `TensorStatistics(of:)` does, so the numbers are the same whoever computed
/// which block. When the kernel that wrote the tensor has measured its pieces
/// already (`TensorMoments`), only that combination and the histogram's short
/// sampled pass are left; from a `TensorSummary` (a tensor never stored), the
/// histogram counts the summary's sampled values. `result()` does what nobody has done yet.
final class StatisticsPass {
    private let scalars: [Float]
    private let bins: Int
    /// Elements the histogram counts at most (`StatisticsKernel.histogramSample` or the reduced one).
    private let sample: Int
    /// The recorded tensor is `scalars` with these values in place (`TensorPatches`).
    private let patches: TensorPatches?
    /// The summarized tensor's count, where `scalars` holds only its histogram's sampled values.
    private let summarizedCount: Int?
    private let partials: UnsafeMutablePointer<BlockMoments>
    private var work: DeferredWork!
    /// Set by the completion, on the thread that finished the last block.
    private var statistics: TensorStatistics?

    init(_ scalars: [Float], bins: Int = TensorStatistics.binCount, sample: Int = StatisticsKernel.histogramSample) {
        self.scalars = scalars
        (patches, summarizedCount) = (nil, nil)
        self.bins = bins
        self.sample = sample
        let blocks = StatisticsKernel.blockCount(scalars.count)
        partials = .allocate(capacity: blocks)
        work = WorkerPool.shared.deferred(blocks: blocks, { [partials, scalars] b in
            partials[b] = scalars.withUnsafeBufferPointer { StatisticsKernel.moments($0, block: b) }
        }, then: { [unowned self] in combine(pieces: blocks) })
    }

    /// Statistics from moments the writing kernel measured; `moments` must cover `scalars`
    /// (with `patches`, the tensor `patches.applied(to: scalars)` they describe).
    convenience init(_ scalars: [Float], measured moments: TensorMoments, patches: TensorPatches? = nil,
                     bins: Int = TensorStatistics.binCount, sample: Int = StatisticsKernel.histogramSample) {
        precondition(moments.count == scalars.count, "StatisticsPass: moments of \(moments.count) of \(scalars.count) values")
        self.init(scalars, measured: moments, patches: patches, summarizedCount: nil, bins: bins, sample: sample)
    }

    /// Statistics of a tensor that was never stored; its moments must pass `StatisticsKernel.combines`.
    convenience init(_ summary: TensorSummary, bins: Int = TensorStatistics.binCount) {
        self.init(summary.sampled, measured: summary.moments, patches: nil, summarizedCount: summary.count, bins: bins,
                  sample: summary.sample)
    }

    private init(_ scalars: [Float], measured moments: TensorMoments, patches: TensorPatches?, summarizedCount: Int?,
                 bins: Int, sample: Int) {
        self.scalars = scalars
        self.patches = patches
        self.summarizedCount = summarizedCount
        self.bins = bins
        self.sample = sample
        let pieces = moments.pieces.count
        partials = .allocate(capacity: pieces)
        partials.initialize(from: moments.pieces, count: pieces)
        // One block: the combination and the histogram, which idle helpers may take too.
        work = WorkerPool.shared.deferred(blocks: 1, { [unowned self] _ in combine(pieces: pieces) })
    }

    /// Totals, Chan's merge and the histogram, run serially by whoever finished the last block.
    private func combine(pieces: Int) {
        let moments = UnsafeBufferPointer(start: partials, count: pieces)
        statistics = scalars.withUnsafeBufferPointer { x in
            if let summarizedCount {
                return StatisticsKernel.combine(moments, summarized: x, count: summarizedCount, bins: bins,
                                                on: WorkerPool.serial)
            }
            return StatisticsKernel.combine(moments, x, patches: patches, bins: bins, sample: sample, on: WorkerPool.serial)
        }
    }

    deinit {
        work.cancel()
        partials.deallocate()
    }

    func result() -> TensorStatistics {
        work.finish()
        return statistics!
    }
}
