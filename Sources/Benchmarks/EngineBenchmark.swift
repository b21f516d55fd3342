import Foundation
import Lessons
import NeuralNet
import Render
import Tensor
import Trace

/// Throughput of the engine on the Keras MNIST network of lesson cnn-mnist (batch 64,
/// Adam), measured on synthetic digits-shaped data so that it needs no dataset. The
/// network is the lesson's: `network` comes from `lessons/cnn-mnist/lesson.yaml`, so
/// the benchmark times exactly what a student trains.
///
/// Each figure is timed in `rounds` short rounds of `steps` steps, after `warmup`
/// untimed ones. A throughput is that of the best round: on a shared machine the
/// best round is the one least disturbed by other processes. Runs that are compared
/// (training with and without a trace) take their rounds in turn, and a cost is the
/// median over rounds of the slowdown within each pair of neighbouring rounds: the
/// machine's speed drifts by tens of percent within seconds here, which moves both
/// rounds of a pair alike, while a best-of-rounds ratio compares different moments.
public struct EngineBenchmark {
    public static let defaultSteps = 8
    public static let defaultRounds = 30
    /// The lesson whose network is timed, and the shape of one of its inputs.
    public static let lesson = "cnn-mnist"
    public static let inputShape = [28, 28, 1]

    public var steps: Int
    public var warmup = 10
    public var rounds: Int
    /// The timed network's layers, as the lesson file gives them.
    public let network: [LayerSpec]

    public init(network: [LayerSpec], steps: Int = defaultSteps, rounds: Int = defaultRounds) {
        self.network = network
        self.steps = steps
        self.rounds = rounds
    }

    /// The layers of lesson cnn-mnist, read from its lesson file in `catalog`.
    public static func lessonNetwork(in catalog: LessonCatalog) throws -> [LayerSpec] {
        try catalog.spec(lesson).layers
    }

    /// A fresh model of the network (parameters drawn from `seed`).
    public func model(seed: UInt64) throws -> Sequential {
        try ModelFactory.model(network, file: "lessons/\(Self.lesson)/lesson.yaml", inputShape: Self.inputShape, seed: seed)
    }

    static func syntheticDigits(count: Int) throws -> LabeledData {
        var rng = RandomStream(seed: 1, name: "bench-data")
        let x = Tensor(shape: [count, 28, 28, 1], scalars: (0..<(count * 784)).map { _ in rng.nextUniform() })
        return try LabeledData(inputs: x, labels: (0..<count).map { $0 % 10 }, classNames: (0..<10).map(String.init))
    }

    /// Training samples per second without a trace.
    public func trainingThroughput() throws -> Double {
        throughput(try interleavedRounds([try TrainingSession(model: model(seed: 1))])[0])
    }

    /// Seconds of each round of each session, timed in alternating rounds (one round
    /// of each session, then the next round of each). Every other round takes the
    /// sessions in reverse order, so that none always runs right after another (whose
    /// leftovers, such as the kernel writing back its trace files, or cache contents,
    /// would then always fall on the same neighbour).
    func interleavedRounds(_ sessions: [TimedTraining]) throws -> [[TimedRound]] {
        for session in sessions { _ = try session.run(warmup) }
        var timed = [[TimedRound]](repeating: [], count: sessions.count)
        for round in 0..<rounds {
            let order = round % 2 == 0 ? Array(sessions.indices) : sessions.indices.reversed()
            for i in order { timed[i].append(try sessions[i].run(steps)) }
        }
        return timed
    }

    /// Training samples per second of the best round.
    func throughput(_ rounds: [TimedRound]) -> Double { rounds.map(\.samplesPerSecond).max()! }

    /// Training samples per second over all rounds together (Σ samples / Σ seconds): what
    /// a whole run sees, busy spells of the machine included.
    static func meanThroughput(_ rounds: [TimedRound]) -> Double {
        Double(rounds.map(\.samples).reduce(0, +)) / rounds.map(\.seconds).reduce(0, +)
    }

    /// Percent of throughput that `recorded` rounds lose against the `plain` rounds
    /// timed next to them: the median of 100 · (1 − recordedᵢ / plainᵢ) in samples per second.
    static func costPercent(plain: [TimedRound], recorded: [TimedRound]) -> Double {
        costPercent(plain: plain.map { 1 / $0.samplesPerSecond }, recorded: recorded.map { 1 / $0.samplesPerSecond })
    }

    /// The same over seconds per sample: the median of 100 · (1 − plainᵢ / recordedᵢ).
    public static func costPercent(plain: [Double], recorded: [Double]) -> Double {
        quantile(0.5, of: pairedCosts(plain: plain, recorded: recorded))
    }

    /// The lower and upper quartiles of the same paired slowdowns (seconds per sample):
    /// how far the rounds disagree. A wide spread says the machine was busy and the
    /// median is worth less; a run is worth repeating when the quartiles lie far apart.
    public static func costQuartiles(plain: [Double], recorded: [Double]) -> (lower: Double, upper: Double) {
        let costs = pairedCosts(plain: plain, recorded: recorded)
        return (quantile(0.25, of: costs), quantile(0.75, of: costs))
    }

    static func costQuartiles(plain: [TimedRound], recorded: [TimedRound]) -> (lower: Double, upper: Double) {
        costQuartiles(plain: plain.map { 1 / $0.samplesPerSecond }, recorded: recorded.map { 1 / $0.samplesPerSecond })
    }

    /// 100 · (1 − plainᵢ / recordedᵢ) for each pair of neighbouring rounds, ascending.
    private static func pairedCosts(plain: [Double], recorded: [Double]) -> [Double] {
        zip(plain, recorded).map { 100 * (1 - $0 / $1) }.sorted()
    }

    /// The q-quantile of ascending `values`, interpolated linearly between neighbours
    /// (numpy's default): the median of an even count is the mean of the middle two.
    static func quantile(_ q: Double, of values: [Double]) -> Double {
        let position = q * Double(values.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, values.count - 1)
        return values[below] + (position - Double(below)) * (values[above] - values[below])
    }

    /// Inference samples per second at batch 256 (`predictBatch`, as `learn predict` and
    /// evaluation run it).
    public func inferenceThroughput() throws -> Double {
        let model = try self.model(seed: 1)
        let x = try Self.syntheticDigits(count: 256).inputs
        func run(_ count: Int) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<count { _ = try model.predictBatch(x) }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        _ = try run(warmup)
        let best = try (0..<rounds).map { _ in try run(steps) }.min()!
        return Double(steps * 256) / best
    }

    /// GFLOP/s of the GEMMs this CNN runs per batch of 64 (forward and backward),
    /// timed together: Σ 2mnk / Σ time.
    public func gemmGFLOPS() -> (total: Double, shapes: [(name: String, gflops: Double)]) {
        // (name, transposeA, transposeB, m, n, k)
        let shapes: [(String, Bool, Bool, Int, Int, Int)] = [
            ("conv1 fwd", false, false, 43_264, 32, 9), ("conv1 dW", true, false, 9, 32, 43_264),
            ("conv2 fwd", false, false, 7_744, 64, 288), ("conv2 dW", true, false, 288, 64, 7_744),
            ("conv2 dX", false, true, 7_744, 288, 64), ("conv3 fwd", false, false, 576, 64, 576),
            ("conv3 dW", true, false, 576, 64, 576), ("conv3 dX", false, true, 576, 576, 64),
            ("dense1 fwd", false, false, 64, 64, 576),
        ]
        var totalFlops: Double = 0, totalTime: Double = 0
        var rows: [(String, Double)] = []
        for (name, ta, tb, m, n, k) in shapes {
            let a = Tensor(shape: ta ? [k, m] : [m, k], repeating: 0.5)
            let b = Tensor(shape: tb ? [n, k] : [k, n], repeating: 0.25)
            var c = Tensor(shape: [m, n])
            let reps = max(3, Int(2e8 / Double(2 * m * n * k)))
            matmul(a, b, transposeA: ta, transposeB: tb, into: &c, accumulate: false)
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<reps { matmul(a, b, transposeA: ta, transposeB: tb, into: &c, accumulate: false) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let flops = 2 * Double(m * n * k) * Double(reps)
            rows.append((name, flops / seconds / 1e9))
            totalFlops += flops
            totalTime += seconds
        }
        return (totalFlops / totalTime / 1e9, rows)
    }
}

/// Peak resident memory of this process in MB (Linux reports ru_maxrss in KiB).
public func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The system's load average over the last minute (runnable threads, averaged), or nil
/// where the system does not say. A benchmark prints it at its start and end: on this
/// kind of shared machine a figure taken at a load above the core count measures the
/// neighbours as much as the engine.
public func oneMinuteLoadAverage() -> Double? {
    var load = [Double](repeating: 0, count: 1)
    return getloadavg(&load, 1) == 1 ? load[0] : nil
}

/// One training run of the benchmark network on a fixed cycle of eight batches,
/// timed a round of steps at a time.
final class TrainingSession: TimedTraining {
    public static let batch = 64
    private let trainer: Trainer
    private let batches: [(Tensor, LossTarget)]
    private var step = 0

    init(model: Sequential, recorder: Recorder? = nil, probe: (inputs: Tensor, target: LossTarget)? = nil) throws {
        let data = try EngineBenchmark.syntheticDigits(count: Self.batch * 8)
        trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(),
                          options: TrainingOptions(batchSize: Self.batch))
        trainer.recorder = recorder
        trainer.probe = probe
        batches = (0..<8).map { data.batch(Array(($0 * Self.batch)..<(($0 + 1) * Self.batch))) }
    }

    /// Seconds for `count` steps, including the trace files they queued (so that no
    /// writing spills into the next session's round).
    func run(_ count: Int) throws -> TimedRound {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<count {
            let (x, target) = batches[step % batches.count]
            try trainer.trainStep(x, target, info: StepInfo(step: step, epoch: 0, endsEpoch: false))
            step += 1
        }
        (trainer.recorder as? TraceWriter)?.waitForQueuedFiles()
        return TimedRound(samples: count * Self.batch, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

extension EngineBenchmark {
    /// What `recordingThroughputs` measures: best-round samples per second of plain
    /// training, of each policy's recorded training with its cost, of the lesson's own
    /// loop when one was asked for, and the mean over all rounds of the plain, first
    /// policy's and lesson runs.
    public struct RecordingFigures {
        public var plain: Double
        public var recording: [(throughput: Double, costPercent: Double, costQuartiles: (lower: Double, upper: Double))]
        public var lesson: Double?
        public var plainMean: Double
        public var recordingMean: Double?
        public var lessonMean: Double?
    }

    /// Training throughput without a trace and with each of `policies` writing one
    /// to a temporary folder, timed in alternating rounds, and each policy's cost.
    /// With `lesson`, the lesson's own loop (`LessonLoopSession`) takes its turn in
    /// every round too.
    public func recordingThroughputs(policies: [RecordPolicy], lesson: LessonLoop? = nil) throws -> RecordingFigures {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("learn-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: root) }
        let probe = try Self.syntheticDigits(count: 10)
        var writers: [TraceWriter] = []
        var sessions: [TimedTraining] = [try TrainingSession(model: model(seed: 1))]
        for (i, policy) in policies.enumerated() {
            let model = try self.model(seed: 1)
            let writer = try TraceWriter(directory: root.appendingPathComponent("trace-\(i)"),
                                         run: Self.runInfo(model), policy: policy)
            writers.append(writer)
            sessions.append(try TrainingSession(model: model, recorder: writer, probe: (probe.inputs, .classes(probe.labels))))
        }
        let lessonSession = try lesson.map {
            try LessonLoopSession(lesson: Self.lesson, catalog: $0.catalog, dataset: $0.dataset,
                                  root: root.appendingPathComponent("lesson"))
        }
        if let lessonSession {
            sessions.append(lessonSession)
            writers.append(lessonSession.loop.writer)
        }
        let timed = try interleavedRounds(sessions)
        for writer in writers { try writer.finish() }
        let recorded = Array(timed[1...policies.count])
        return RecordingFigures(
            plain: throughput(timed[0]),
            recording: recorded.map {
                (throughput($0), Self.costPercent(plain: timed[0], recorded: $0), Self.costQuartiles(plain: timed[0], recorded: $0))
            },
            lesson: lessonSession == nil ? nil : throughput(timed.last!),
            plainMean: Self.meanThroughput(timed[0]), recordingMean: recorded.first.map(Self.meanThroughput),
            lessonMean: lessonSession == nil ? nil : Self.meanThroughput(timed.last!))
    }

    /// The lesson loop to time beside the benchmark's: lesson cnn-mnist of `catalog`
    /// on `dataset` (nil: the lesson's own data).
    public struct LessonLoop {
        public var catalog: LessonCatalog
        public var dataset: LessonDataset?

        public init(catalog: LessonCatalog, dataset: LessonDataset?) {
            self.catalog = catalog
            self.dataset = dataset
        }
    }

    private static func runInfo(_ model: Sequential) -> TraceRunInfo {
        let layers = model.summary.map { l in
            LayerDescription(name: l.name, type: l.kind, outputShape: l.outputShape,
                             parameters: l.parameters.map { ParameterDescription(name: $0.name, shape: $0.shape) })
        }
        return TraceRunInfo(lesson: "bench", model: ModelDescription(layers: layers), seed: 1,
                            threads: WorkerPool.shared.threads, toolVersion: "bench")
    }
}

extension EngineBenchmark {
    /// Milliseconds to draw and PNG-encode a 64-channel 11×11 feature-map grid
    /// (conv2 of the cnn-mnist network) at 1200 px: best of 5.
    public func featureMapGridMilliseconds() throws -> Double {
        var rng = RandomStream(seed: 3, name: "bench-maps")
        let maps = try FloatArray(shape: [11, 11, 64], values: (0..<(11 * 11 * 64)).map { _ in rng.nextUniform() })
        let input = try FloatArray(shape: [28, 28, 1], values: try Self.syntheticDigits(count: 1).inputs.scalars)
        let grid = try FeatureMapGrid(title: "conv2: 64 channels", input: input, layers: [.init(name: "conv2", values: maps)])
        return try (0..<5).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try grid.pngData()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        }.min()!
    }
}
