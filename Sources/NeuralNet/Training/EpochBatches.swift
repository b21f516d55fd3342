/// The mini-batches of one epoch in the order a `Trainer` takes them: the epoch's
/// seeded shuffle of the examples (stream `shuffle`, index = epoch) or, without
/// shuffling, their stored order, cut into runs of `batchSize`; the last batch
/// holds the remainder.
///
/// `Trainer.fit` walks these batches, and `learn bench` times the same walk
/// (`Trainer.trainBatch`), so the lesson's loop and the benchmark's figure of it
/// are one piece of code.
public struct EpochBatches: Sendable {
    public let epoch: Int
    public let batchSize: Int
    /// Example indices in the order of this epoch.
    public let order: [Int]

    public init(examples: Int, options: TrainingOptions, epoch: Int) {
        self.epoch = epoch
        batchSize = options.batchSize
        order = options.shuffle
            ? shuffledIndices(count: examples, seed: options.seed, name: "shuffle", index: UInt64(epoch))
            : Array(0..<examples)
    }

    /// Batches in the epoch: ⌈examples / batchSize⌉.
    public var count: Int { (order.count + batchSize - 1) / batchSize }

    /// The example indices of batch `b` (0-based).
    public func indices(_ b: Int) -> [Int] {
        Array(order[(b * batchSize)..<min(order.count, (b + 1) * batchSize)])
    }
}
