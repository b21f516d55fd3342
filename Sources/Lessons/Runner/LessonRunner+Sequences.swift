import Foundation
import NeuralNet
import Tensor
import Trace

/// A sequence run's data: training, validation and test sequences (split by position
/// in a text, or drawn from formulas per part), the vocabulary of a text, and the
/// probe sequences every recorded step shows.
struct SequenceSplit {
    var train: SequenceData
    var validation: SequenceData
    var test: SequenceData
    var vocabulary: Vocabulary?
    /// Token ids the inputs use (`units: vocabulary`): a text's vocabulary, or a symbol task's symbols.
    var symbolCount: Int?
    var probe: SequenceData
    /// The start of the held-out text (validation part) as ids, for figures that read it.
    var heldOutIDs: [Int] = []
    /// A text's validation length in tokens and characters, for bits per character.
    var textStatistics: TextStatistics?
    /// A long held-out series (sequence regression), for forecasting figures.
    var heldOutSeries: SeriesSampleRecord?
}

extension LessonRunner {
    /// Sequences to show at every recorded step: four, starting where a line of the
    /// text starts (so a figure reads a whole gloss), else the first four.
    static let probeCount = 4
    /// Tokens of held-out text kept in the trace (`TextSampleRecord`).
    static let heldOutSampleLength = 8192

    func loadSequences(_ plan: RunPlan, _ dataset: SequenceDataset) throws -> SequenceSplit {
        if let folder = options.dataFolder {
            throw LessonRunError.invalidOption("--data \(folder.path) holds image files, but this run uses the "
                                               + "sequence dataset '\(dataset.rawValue)'")
        }
        let data = plan.data, seed = plan.training.seed
        let s = data.sequence ?? SequenceSpec()
        var split: SequenceSplit
        switch dataset {
        case .text:
            let corpus = try options.textFile.map { try TextCorpus(contentsOf: $0, sequenceLength: s.length) }
                ?? TextCorpus.bundled(sequenceLength: s.length)
            let text = try TokenizedCorpus(corpus, kind: s.tokenizer, sequenceLength: s.length, merges: s.merges,
                                           maximumVocabularySize: s.maximumVocabulary, minimumCount: s.minimumCount)
            func windows(_ ids: [Int], stride: Int) throws -> SequenceData {
                try SequenceData(try TokenWindows(stream: ids, length: s.length, stride: stride))
            }
            let validation = try windows(text.ids.validation, stride: s.length)
            let lineStarts = Self.lineStartWindows(text.ids.validation, vocabulary: text.vocabulary, length: s.length)
            split = SequenceSplit(train: try windows(text.ids.training, stride: s.stride), validation: validation,
                                  test: try windows(text.ids.test, stride: s.length), vocabulary: text.vocabulary,
                                  probe: try lineStarts.map {
                                      try SequenceData(TokenWindows(stream: text.ids.validation, starts: $0, length: s.length))
                                  }
                                      ?? validation.subset(Array(0..<min(Self.probeCount, validation.count))),
                                  heldOutIDs: Array(text.ids.validation.prefix(Self.heldOutSampleLength)),
                                  textStatistics: TextStatistics(text))
        case .sineWaves:
            let noise = data.noise ?? 0.05
            let validation = try SineWaves.generate(count: data.testExamples, length: s.length, noise: noise, seed: seed,
                                                    part: "validation")
            split = SequenceSplit(train: try SineWaves.generate(count: data.examples, length: s.length, noise: noise,
                                                                seed: seed, part: "train"),
                                  validation: validation,
                                  test: try SineWaves.generate(count: data.testExamples, length: s.length, noise: noise,
                                                               seed: seed, part: "test"),
                                  vocabulary: nil, probe: validation.subset(Array(0..<min(Self.probeCount, validation.count))))
            let long = SineWaves.longSeries(length: 4 * s.length, noise: noise, seed: seed)
            split.heldOutSeries = SeriesSampleRecord(values: long.values, clean: long.clean)
        case .firstToken:
            split = try symbolTaskSplit(data, symbols: FirstTokenRecall.symbols) { part, count in
                try FirstTokenRecall.generate(count: count, length: s.length, seed: seed, part: part)
            }
        case .reverse:
            split = try symbolTaskSplit(data, symbols: ReverseSequence.symbols) { part, count in
                try ReverseSequence.generate(count: count, length: s.length, seed: seed, part: part)
            }
        }
        if options.quick {
            func prefix(_ d: SequenceData, _ n: Int, _ name: String) -> SequenceData {
                d.subset(Array(shuffledIndices(count: d.count, seed: seed, name: name, index: 0).prefix(n)))
            }
            split.train = prefix(split.train, data.quickExamples, "quick-train")
            split.validation = prefix(split.validation, max(16, data.quickExamples / 4), "quick-validation")
            split.test = prefix(split.test, max(16, data.quickExamples / 4), "quick-test")
        }
        return split
    }

    /// A symbol task's parts, each drawn by `generate(part, count)`; the probe is the
    /// first validation sequences.
    func symbolTaskSplit(_ data: DataSpec, symbols: Int,
                         generate: (String, Int) throws -> SequenceData) throws -> SequenceSplit {
        let validation = try generate("validation", data.testExamples)
        var split = SequenceSplit(train: try generate("train", data.examples), validation: validation,
                                  test: try generate("test", data.testExamples), vocabulary: nil,
                                  probe: validation.subset(Array(0..<min(Self.probeCount, validation.count))))
        split.symbolCount = symbols
        return split
    }

    /// Starts of `probeCount` windows that begin right after a line break, or nil.
    static func lineStartWindows(_ ids: [Int], vocabulary: Vocabulary, length: Int) -> [Int]? {
        let newline = vocabulary.id(of: "\n")
        guard newline != Vocabulary.unknownID else { return nil }
        var starts: [Int] = []
        for (i, id) in ids.enumerated() where id == newline && i + 1 + length < ids.count {
            starts.append(i + 1)
            if starts.count == probeCount { return starts }
        }
        return nil
    }

    /// Trains a run on sequence data, as `train` does for labelled examples: the trace,
    /// the test loss (and token accuracy), the trained model, the seconds each step
    /// took (`TrainingTimeRecord`), and for text the vocabulary beside them
    /// (`vocabulary.json`), which `learn generate` and the figures read.
    func trainSequences(_ plan: RunPlan, _ dataset: SequenceDataset, in root: URL, policy: RecordPolicy,
                        clock: inout PhaseClock) throws -> TrainedRun {
        currentRunEpochs = plan.training.epochs
        let data = try loadSequences(plan, dataset)
        clock.finish("data")
        log("data: \(data.train.count) training, \(data.validation.count) validation, \(data.test.count) test sequences"
            + (data.vocabulary.map { ", a vocabulary of \($0.count) \($0.kind.unitName)" } ?? ""))
        var plan = plan
        if let size = data.vocabulary?.count ?? data.symbolCount { plan.layers = plan.layers.map { $0.resolved(vocabulary: size) } }
        let traceFolder = root.appendingPathComponent(plan.folder, isDirectory: true)
        let probe = data.probe.batch(Array(0..<data.probe.count))
        let (trainer, writer) = try makeTrainer(plan, inputShape: data.train.exampleShape, probe: probe,
                                                trainingCount: data.train.count, traceFolder: traceFolder, policy: policy)
        let stopwatch = TrainingStopwatch(attachedTo: trainer)
        let (history, diverged) = try fit(trainer, writer, train: data.train, validation: data.validation, plan: plan)
        clock.finish("training")
        var test: (loss: Float, accuracy: Float?)?
        if diverged == nil {
            test = try trainer.evaluate(data.test)
            try ModelArchitecture(inputShape: data.train.exampleShape, layers: plan.layers, classNames: [])
                .write(model: trainer.model, to: traceFolder, metadata: ["lesson": spec.name, "run": plan.name,
                                                                       "step": "\(trainer.step)"])
            try data.vocabulary?.write(to: traceFolder)
            if data.vocabulary != nil { try TextSampleRecord(ids: data.heldOutIDs).write(toTrace: traceFolder) }
            try data.textStatistics?.write(toTrace: traceFolder)
            try data.heldOutSeries?.write(toTrace: traceFolder)
            try stopwatch.record.write(toTrace: traceFolder)
        }
        clock.finish("evaluation")
        return TrainedRun(plan: plan, traceFolder: traceFolder, steps: trainer.step,
                          learningRate: Double(trainer.optimizer.learningRate), dataset: .sequence(dataset),
                          trainExamples: data.train.count, testExamples: data.test.count,
                          validationExamples: data.validation.count, history: history, test: test,
                          diverged: diverged, traceBytes: writer.bytesWritten)
    }
}

extension SequenceData {
    /// Next-token windows as sequences labelled at every step (−1 at padding).
    init(_ windows: TokenWindows) throws {
        try self.init(inputs: Tensor(shape: windows.shape, scalars: windows.inputScalars), labels: windows.targets)
    }
}
