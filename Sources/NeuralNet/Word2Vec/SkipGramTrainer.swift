import Foundation
import Tensor

/// Settings of a skip-gram run (the lesson file's `model.word2vec` and `training`).
public struct SkipGramOptions: Sendable, Equatable {
    /// Largest distance between a centre word and a context word.
    public var window: Int
    /// Noise words per (centre, context) pair: k in the loss.
    public var negatives: Int
    /// Subsampling threshold t (see `SkipGramPairs`); nil keeps every word.
    public var subsample: Double?
    public var epochs: Int
    /// (centre, context) pairs per step; each pair is its own SGD update, the step is
    /// the unit the trace records.
    public var pairsPerStep: Int
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    public var seed: UInt64

    public init(window: Int = 2, negatives: Int = 5, subsample: Double? = 1e-3, epochs: Int = 5, pairsPerStep: Int = 1024,
                learningRate: Float = 0.025, schedule: LearningRateSchedule = .constant, seed: UInt64 = 42) {
        self.window = window
        self.negatives = negatives
        self.subsample = subsample
        self.epochs = epochs
        self.pairsPerStep = pairsPerStep
        self.learningRate = learningRate
        self.schedule = schedule
        self.seed = seed
    }
}

/// Trains a `SkipGram` model on a text's word ids: the second kind of training loop
/// beside `Trainer` (no layers, no batches of tensors: one sparse update per pair).
///
/// An epoch reads the training text once (`SkipGramPairs`, freshly subsampled), cut
/// into steps of `pairsPerStep` pairs; for each pair it draws k negatives
/// (`NegativeSampler`) and takes one SGD step of L(c, o) at the step's learning rate.
/// A `Recorder` sees each step as the trainer's steps are seen: the input embedding
/// (`weight/word2vec.input`, as the step starts) and the scalars `loss` (mean L of the
/// step's pairs) and `lr`; at an epoch's end the validation loss (`val_loss`: the mean
/// L over the validation text's pairs, subsampled as the training text is, with pairs
/// and negatives drawn once for all epochs).
public final class SkipGramTrainer {
    public let model: SkipGram
    /// Settable before `fit` (a schedule sized by `plannedSteps`).
    public var options: SkipGramOptions
    public var recorder: Recorder?
    public var onStep: ((StepProgress) -> Void)?
    public var onEpoch: ((EpochMetrics) -> Void)?
    /// Steps taken so far.
    public private(set) var step = 0
    let sampler: NegativeSampler
    let pairs: SkipGramPairs
    let counts: [Int]

    /// - Parameters:
    ///   - counts: each word's count in the training text (0 for words never paired).
    ///   - boundaries: word ids that end a window (line breaks).
    public init(model: SkipGram, options: SkipGramOptions, counts: [Int], boundaries: Set<Int>) throws {
        guard options.window >= 1, options.negatives >= 1, options.epochs >= 1, options.pairsPerStep >= 1 else {
            throw TrainingError.invalidOption("word2vec needs window, negatives, epochs and pairs per step of at least 1")
        }
        var counted = counts
        for b in boundaries where b < counted.count { counted[b] = 0 }
        guard counted.count == model.vocabulary, let sampler = NegativeSampler(counts: counted) else {
            throw TrainingError.noExamples
        }
        self.model = model
        self.options = options
        self.counts = counted
        self.sampler = sampler
        self.pairs = SkipGramPairs(window: options.window, subsample: options.subsample, boundaries: boundaries)
    }

    /// Trains for `options.epochs` epochs on `training`, measuring `validation` after each.
    public func fit(training: [Int], validation: [Int]) throws -> TrainingHistory {
        let keep = pairs.keepProbabilities(counts: counts)
        // The same objective as training (subsampled alike), with its draws fixed for all epochs.
        let validationSet = targets(for: pairs.pairs(validation, keep: keep, seed: options.seed, epoch: 0,
                                                     stream: "validation-pairs"),
                                    stream: "validation-negatives", index: 0)
        let plannedSteps = plannedSteps(training: training)
        var history = TrainingHistory()
        for epoch in 0..<options.epochs {
            let started = Date()
            let epochPairs = pairs.pairs(training, keep: keep, seed: options.seed, epoch: epoch)
            guard !epochPairs.isEmpty else { throw TrainingError.noExamples }
            let batches = (epochPairs.count + options.pairsPerStep - 1) / options.pairsPerStep
            var lossSum: Double = 0
            for b in 0..<batches {
                let batch = epochPairs[(b * options.pairsPerStep)..<min(epochPairs.count, (b + 1) * options.pairsPerStep)]
                let info = StepInfo(step: step, epoch: epoch, endsEpoch: b == batches - 1)
                let loss = try trainStep(Array(batch), info: info, totalSteps: plannedSteps)
                lossSum += Double(loss) * Double(batch.count)
                onStep?(StepProgress(step: step - 1, totalSteps: plannedSteps, epoch: epoch, epochs: options.epochs,
                                     batchInEpoch: b + 1, batchesPerEpoch: batches,
                                     loss: Float(lossSum / Double((b * options.pairsPerStep) + batch.count)), accuracy: nil,
                                     samplesPerSecond: Double(b * options.pairsPerStep + batch.count)
                                         / max(Date().timeIntervalSince(started), 1e-9)))
            }
            var metrics = EpochMetrics(epoch: epoch, loss: Float(lossSum / Double(epochPairs.count)), accuracy: nil,
                                       seconds: Date().timeIntervalSince(started))
            metrics.validationLoss = validationSet.isEmpty ? nil : meanLoss(validationSet)
            history.epochs.append(metrics)
            recorder?.endEpoch(epoch, metrics: metrics.asScalars)
            onEpoch?(metrics)
        }
        history.steps = step
        return history
    }

    /// The mean loss over the pairs of `ids`, subsampled as in training, pairs and
    /// negatives drawn from streams of their own: a test measure of a trained model.
    public func evaluate(_ ids: [Int]) -> Float? {
        let keep = pairs.keepProbabilities(counts: counts)
        let set = targets(for: pairs.pairs(ids, keep: keep, seed: options.seed, epoch: 0, stream: "evaluation-pairs"),
                          stream: "evaluation-negatives", index: 0)
        return set.isEmpty ? nil : meanLoss(set)
    }

    /// One step: an SGD update per pair, each with its own k negatives.
    func trainStep(_ batch: [(centre: Int32, context: Int32)], info: StepInfo, totalSteps: Int) throws -> Float {
        let r = recorder
        r?.beginStep(info)
        if let r, r.wants(.weight) { r.record(.weight, name: model.input.name, tensor: model.input.value) }
        let rate = options.schedule.rate(base: options.learningRate, step: step)
        var sum: Double = 0
        for (centre, targets) in targets(for: batch, stream: "negatives", index: UInt64(step)) {
            sum += Double(model.step(centre: Int(centre), targets: targets, rate: rate))
        }
        let loss = Float(sum / Double(batch.count))
        r?.recordScalars([ScalarName.loss: Double(loss), ScalarName.learningRate: Double(rate)])
        r?.endStep()
        step += 1
        guard loss.isFinite else { throw TrainingError.diverged(step: info.step, epoch: info.epoch, loss: loss) }
        return loss
    }

    /// Each pair's centre with its targets: the context word, then k negatives.
    func targets(for batch: [(centre: Int32, context: Int32)], stream: String, index: UInt64) -> [(Int32, [Int32])] {
        var rng = RandomStream(seed: options.seed, name: stream, index: index)
        return batch.map { pair in
            (pair.centre, [pair.context] + (0..<options.negatives).map { _ in
                Int32(sampler.draw(&rng, excluding: Int(pair.context)))
            })
        }
    }

    func meanLoss(_ set: [(Int32, [Int32])]) -> Float {
        Float(set.map { Double(model.loss(centre: Int($0.0), targets: $0.1)) }.reduce(0, +) / Double(set.count))
    }

    /// Steps a run of `options.epochs` epochs over `training` takes, about (subsampling
    /// draws a slightly different number of pairs each epoch): to size a schedule.
    public func plannedSteps(training: [Int]) -> Int {
        let keep = pairs.keepProbabilities(counts: counts)
        return options.epochs * max(1, (estimatedPairs(training, keep) + options.pairsPerStep - 1) / options.pairsPerStep)
    }

    /// Pairs of an epoch on average: each kept word pairs with (window + 1) words on
    /// average (2 · mean of b); used only to size schedules and progress bars.
    func estimatedPairs(_ ids: [Int], _ keep: [Double]) -> Int {
        let kept = ids.reduce(0.0) { $0 + ($1 >= pairs.firstWord && $1 < keep.count && !pairs.boundaries.contains($1) ? keep[$1] : 0) }
        return Int(kept * Double(options.window + 1))
    }
}
