import Foundation
import NeuralNet
import Tensor
import Trace

/// A Word2Vec run's text: each part's word ids, the vocabulary (from the training part)
/// and the ids that end a window (line breaks: a gloss does not run into the next).
struct WordStream {
    var training: [Int]
    var validation: [Int]
    var test: [Int]
    var vocabulary: Vocabulary
    var boundaries: Set<Int>
}

extension LessonRunner {
    /// Loads the text as `loadSequences` does (same tokenizer, vocabulary limits and
    /// split, so a variant that reads it as sequences sees the same words with the same
    /// ids), keeping each part as one stream. A quick run keeps the start of each part:
    /// `quick_examples` sequences' worth of training words.
    func loadWords(_ plan: RunPlan) throws -> WordStream {
        if let folder = options.dataFolder {
            throw LessonRunError.invalidOption("--data \(folder.path) holds image files, but word2vec reads a text")
        }
        let s = plan.data.sequence ?? SequenceSpec()
        let corpus = try options.textFile.map { try TextCorpus(contentsOf: $0, sequenceLength: s.length) }
            ?? TextCorpus.bundled(sequenceLength: s.length)
        let text = try TokenizedCorpus(corpus, kind: s.tokenizer, sequenceLength: s.length, merges: s.merges,
                                       maximumVocabularySize: s.maximumVocabulary, minimumCount: s.minimumCount)
        var words = WordStream(training: text.ids.training, validation: text.ids.validation, test: text.ids.test,
                               vocabulary: text.vocabulary, boundaries: [])
        let newline = text.vocabulary.id(of: "\n")
        if newline != Vocabulary.unknownID { words.boundaries = [newline] }
        if options.quick {
            let quickWords = plan.data.quickExamples * s.length
            words.training = Array(words.training.prefix(quickWords))
            words.validation = Array(words.validation.prefix(max(16, plan.data.quickExamples / 4) * s.length))
            words.test = Array(words.test.prefix(max(16, plan.data.quickExamples / 4) * s.length))
        }
        return words
    }

    /// Trains a Word2Vec run with `SkipGramTrainer`: the trace (loss per step, the input
    /// embedding at the policy's steps, validation loss per epoch), the test loss, and
    /// beside the trace the final embeddings (`model.safetensors`: `word2vec.input` and
    /// `word2vec.output`) and the vocabulary (`vocabulary.json`) that figures read.
    func trainWord2Vec(_ plan: RunPlan, _ spec: Word2VecSpec, in root: URL, policy: RecordPolicy,
                       clock: inout PhaseClock) throws -> TrainedRun {
        let t = plan.training
        currentRunEpochs = t.epochs
        let words = try loadWords(plan)
        clock.finish("data")
        log("data: \(words.training.count) training, \(words.validation.count) validation, \(words.test.count) test words, "
            + "a vocabulary of \(words.vocabulary.count) words")
        let model = SkipGram(vocabulary: words.vocabulary.count, dimension: spec.dimension, seed: t.seed)
        let rate = Float(t.learningRate ?? 0.025)
        let trainer = try SkipGramTrainer(
            model: model,
            options: SkipGramOptions(window: spec.window, negatives: spec.negatives, subsample: spec.subsample,
                                     epochs: t.epochs, pairsPerStep: t.batchSize, learningRate: rate, seed: t.seed),
            counts: words.vocabulary.counts, boundaries: words.boundaries)
        let totalSteps = trainer.plannedSteps(training: words.training)
        trainer.options.schedule = ModelFactory.schedule(t.schedule, totalSteps: totalSteps)
        trainer.onStep = onStep
        trainer.onEpoch = onEpoch
        let traceFolder = root.appendingPathComponent(plan.folder, isDirectory: true)
        let writer = try TraceWriter(directory: traceFolder, run: word2VecRunInfo(plan, spec, vocabulary: words.vocabulary.count),
                                     policy: policy)
        trainer.recorder = writer
        let estimate = policy.expectedSize(totalSteps: totalSteps, epochs: t.epochs, tensorsPerStep: 1,
                                           fullTensorBytesPerStep: 4 * model.input.value.count)
        log("trace: policy \(policy), expected size \(estimate)")
        let (history, diverged) = try training(plan, writer) {
            try trainer.fit(training: words.training, validation: words.validation)
        }
        clock.finish("training")
        var test: (loss: Float, accuracy: Float?)?
        if diverged == nil {
            test = trainer.evaluate(words.test).map { ($0, nil) }
            try Checkpoint.save([SkipGram.inputName: model.input.value, SkipGram.outputName: model.output.value],
                                metadata: ["lesson": self.spec.name, "run": plan.name, "step": "\(trainer.step)"],
                                to: traceFolder.appendingPathComponent(ModelArchitecture.weightsFileName))
            try words.vocabulary.write(to: traceFolder)
        }
        clock.finish("evaluation")
        return TrainedRun(plan: plan, traceFolder: traceFolder, steps: trainer.step, learningRate: Double(rate),
                          dataset: .sequence(.text), trainExamples: words.training.count, testExamples: words.test.count,
                          validationExamples: words.validation.count, history: history, test: test, diverged: diverged, traceBytes: writer.bytesWritten,
                          exampleNoun: "words")
    }

    /// The run as the manifest records it: one `Word2Vec` "layer" holding the two matrices.
    func word2VecRunInfo(_ plan: RunPlan, _ spec: Word2VecSpec, vocabulary: Int) -> TraceRunInfo {
        let t = plan.training
        let shape = [vocabulary, spec.dimension]
        let layer = LayerDescription(name: "word2vec", type: "Word2Vec", outputShape: [spec.dimension],
                                     parameters: [ParameterDescription(name: SkipGram.inputName, shape: shape),
                                                  ParameterDescription(name: SkipGram.outputName, shape: shape)])
        var hyper = ["loss": t.loss.rawValue, "optimizer": t.optimizer.rawValue, "epochs": "\(t.epochs)",
                     "batch_size": "\(t.batchSize)", "learning_rate": t.learningRate.map { "\($0)" } ?? "default",
                     "schedule": t.schedule.rawValue, "dataset": plan.data.dataset.name, "run": plan.name,
                     "dimension": "\(spec.dimension)", "window": "\(spec.window)", "negatives": "\(spec.negatives)",
                     "subsample": spec.subsample.map { "\($0)" } ?? "none"]
        if options.quick { hyper["quick"] = "true" }
        return TraceRunInfo(lesson: self.spec.name, model: ModelDescription(layers: [layer]), hyperparameters: hyper,
                            seed: t.seed, threads: 1, toolVersion: learnVersion)
    }
}
