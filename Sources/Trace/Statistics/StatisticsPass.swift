import Tensor

/// The statistics of one recorded tensor, computed while the step goes on.
///
/// The blocks' moments (the pass over memory) are `DeferredWork`: the pool's
/// helpers compute them in the idle moments of the training step, and whoever
/// finishes the last block combines them and counts the histogram, exactly as
/// `TensorStatistics(of:)` does, so the numbers are the same whoever computed
/// which block. `result()` does what nobody has done yet.
final class StatisticsPass {
    private let scalars: [Float]
    private let bins: Int
    private let partials: UnsafeMutablePointer<StatisticsKernel.BlockMoments>
    private var work: DeferredWork!
    /// Set by the completion, on the thread that finished the last block.
    private var statistics: TensorStatistics?

    init(_ scalars: [Float], bins: Int = TensorStatistics.binCount) {
        self.scalars = scalars
        self.bins = bins
        let blocks = StatisticsKernel.blockCount(scalars.count)
        partials = .allocate(capacity: blocks)
        work = WorkerPool.shared.deferred(blocks: blocks, { [partials, scalars] b in
            partials[b] = scalars.withUnsafeBufferPointer { StatisticsKernel.moments($0, block: b) }
        }, then: { [unowned self] in
            // Whoever finished the last block: the short histogram pass runs here too, serially.
            statistics = scalars.withUnsafeBufferPointer { x in
                StatisticsKernel.combine(UnsafeBufferPointer(start: partials, count: blocks), x, bins: bins,
                                         on: WorkerPool.serial)
            }
        })
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
