import Foundation
import Lessons
import NeuralNet
import Tensor

/// A training run that the benchmark times a round at a time: each round of
/// `count` steps reports how many samples it trained on and how long it took,
/// including the trace files it queued.
protocol TimedTraining {
    func run(_ count: Int) throws -> TimedRound
}

/// Samples trained in one timed round, and its seconds.
struct TimedRound {
    var samples: Int
    var seconds: Double
    var samplesPerSecond: Double { Double(samples) / seconds }
}

/// The lesson's own training loop (`LessonTrainingLoop`) timed in rounds: batches
/// in the lesson's shuffled order, gathered from the real dataset, trained by
/// `Trainer.trainBatch` (the call `Trainer.fit` makes for each step) with the
/// lesson's trace writer and record policy, on into the next epoch's shuffle when
/// one ends. Evaluation is left out: it is timed apart (`learn lesson`'s
/// `evaluation` phase).
final class LessonLoopSession: TimedTraining {
    let loop: LessonTrainingLoop
    private var batches: EpochBatches
    private var next = 0

    /// The main run of `lesson` in `catalog` on `dataset` (nil: the lesson's own data),
    /// its trace written under `root`.
    init(lesson: String, catalog: LessonCatalog, dataset: LessonDataset?, root: URL) throws {
        let runner = try LessonRunner(catalog: catalog, name: lesson,
                                      options: LessonRunOptions(outputRoot: root, dataset: dataset, render: false))
        loop = try runner.mainTrainingLoop(traceFolder: root.appendingPathComponent("lesson-trace"))
        batches = EpochBatches(examples: loop.train.count, options: loop.trainer.options, epoch: 0)
    }

    func run(_ count: Int) throws -> TimedRound {
        let start = DispatchTime.now().uptimeNanoseconds
        var samples = 0
        for _ in 0..<count {
            if next == batches.count {
                batches = EpochBatches(examples: loop.train.count, options: loop.trainer.options, epoch: batches.epoch + 1)
                next = 0
            }
            samples += try loop.trainer.trainBatch(loop.train, batches, next).examples
            next += 1
        }
        loop.writer.waitForQueuedFiles()
        return TimedRound(samples: samples, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
