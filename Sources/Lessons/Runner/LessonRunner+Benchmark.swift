import Foundation
import NeuralNet
import Trace

/// The main run's training loop, opened for a benchmark: the lesson's prepared
/// training data (loaded, split and normalised as `run()` does), and the trainer
/// and trace writer `run()` would train it with (`makeTrainer`: the lesson's model,
/// optimizer, probe batch and record policy). `learn bench` steps it with
/// `Trainer.trainBatch`, the same call `Trainer.fit` makes, so its figure is that
/// of the loop a student's `learn lesson` runs, evaluation excluded.
public struct LessonTrainingLoop {
    public let trainer: Trainer
    public let writer: TraceWriter
    public let train: LabeledData
    public let dataset: LessonDataset
}

extension LessonRunner {
    /// The main run's loop with its trace written to `traceFolder` (the caller
    /// removes it); errors as `run()` gives them (a missing dataset, bad options).
    public func mainTrainingLoop(traceFolder: URL) throws -> LessonTrainingLoop {
        let plan = plans[0]
        guard plan.gan == nil, plan.word2vec == nil, case .image = options.dataset ?? plan.data.dataset else {
            throw LessonRunError.invalidOption("lesson \(spec.name): only an image classifier's loop can be timed")
        }
        let policy = try options.record.map(RecordPolicy.init(parsing:)) ?? spec.record
        let (split, _, _) = try prepareData(plan)
        let (trainer, writer) = try makeTrainer(plan, inputShape: split.train.exampleShape,
                                                probe: Self.probe(from: split.test), trainingCount: split.train.count,
                                                traceFolder: traceFolder, policy: policy)
        return LessonTrainingLoop(trainer: trainer, writer: writer, train: split.train,
                                  dataset: options.dataset ?? plan.data.dataset)
    }
}
