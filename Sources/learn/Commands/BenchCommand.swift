import ArgumentParser
import Benchmarks
import Foundation
import Lessons
import Tensor

/// `learn bench`: how fast the engine trains and infers on this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure GEMM, training and inference throughput of the cnn-mnist network.",
        discussion: """
        Trains the network of lesson cnn-mnist (as lessons/cnn-mnist/lesson.yaml defines it: \
        the Keras MNIST CNN; batch 64, Adam) on synthetic 28×28 inputs and reports samples \
        per second: without a trace, with the default trace policy, and with full probe \
        tensors at every step (policy all). Each figure is the best of many short rounds.

        The runs take turns, round by round (every other round in reverse order), and a \
        recording cost (percent of throughput lost to the trace) is the median, over rounds, \
        of the slowdown against the plain round timed next to it: a busy spell of the machine \
        then slows both alike. Its quartiles (*_q1, *_q3) show how far the rounds disagree, \
        and load_average_1m_start/_end how busy the machine was: above the core count, other \
        processes shared the cores and a cost is not the engine's alone (the writer thread of \
        a trace competes for them too).

        A fourth run takes its turn in every round: the lesson's own training loop \
        (lesson_train_samples_per_s: `learn lesson cnn-mnist --dataset fashion-mnist`'s \
        shuffled batches of the real images, its trainer and default trace, evaluation \
        excluded; the lesson's bundled digits when Fashion-MNIST is not installed), with its \
        percent of the recorded benchmark figure. The *_mean figures are samples over seconds \
        of all rounds together, busy spells included, as a whole run sees them.

        Build in release mode first. Sources/Benchmarks/keras/cnn_bench.py runs Keras (and \
        PyTorch, where installed) on the same model beside this command, for the ratios.

        Examples:
          learn bench
          learn bench --json --threads 1
          learn bench --layers --json
          learn bench --layers --only transformer
          LEARN_SIMD=avx2 learn bench   (the AVX2 GEMM tile on an AVX-512 CPU)
        """)

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @OptionGroup var threads: ThreadsOption

    @Option(help: "Training steps (inference batches) per timed round.")
    var steps = EngineBenchmark.defaultSteps

    @Option(help: "Timed rounds per figure.")
    var rounds = EngineBenchmark.defaultRounds

    @Option(help: "Measure only this figure: train, recording, recording-all, lesson, infer, sequences, transformer or transformer-infer.")
    var only: String?

    @Flag(help: "Only time each layer's forward and backward pass (ms per batch of 64; with --only transformer, per step of the Transformer's 32·64 tokens, blocks opened into their layers); with --json, as JSON.")
    var layers = false

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be at least 1") }
        if rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if let only, !Self.figures.contains(only) {
            throw ValidationError("--only: unknown figure '\(only)' (expected \(Self.figures.joined(separator: ", ")))")
        }
    }

    func run() throws {
        threads.apply()
        let bench = EngineBenchmark(network: try EngineBenchmark.lessonNetwork(in: try findCatalog()),
                                    steps: steps, rounds: rounds)
        if layers {
            let profile = only == "transformer"
                ? try TransformerBenchmark(steps: steps, rounds: rounds).layerProfile() : try bench.layerProfile()
            return json ? print(try profile.json()) : printLayerProfile(profile)
        }
        if let only { return try printOnly(only, bench) }
        let load = oneMinuteLoadAverage()
        let gemm = bench.gemmGFLOPS()
        let training = try bench.recordingThroughputs(policies: [.default, .all], lesson: try lessonLoop())
        let infer = try bench.inferenceThroughput()
        let (recording, recordingAll) = (training.recording[0], training.recording[1])
        var report: [(String, Double)] = [
            ("gemm_gflops", gemm.total),
            ("train_samples_per_s", training.plain),
            ("train_samples_per_s_recording", recording.throughput),
            ("train_samples_per_s_recording_all", recordingAll.throughput),
            ("recording_cost_percent", recording.costPercent),
            ("recording_cost_percent_q1", recording.costQuartiles.lower),
            ("recording_cost_percent_q3", recording.costQuartiles.upper),
            ("recording_all_cost_percent", recordingAll.costPercent),
            ("recording_all_cost_percent_q1", recordingAll.costQuartiles.lower),
            ("recording_all_cost_percent_q3", recordingAll.costQuartiles.upper),
        ]
        report += lessonFigures(training)
        report.append(("infer_samples_per_s", infer))
        report.append(("render_feature_grid_64ch_ms", try bench.featureMapGridMilliseconds()))
        report += try sequenceFigures()
        report += try transformerFigures()
        report.append(("peak_rss_mb", peakResidentMegabytes()))
        report.append(("threads", Double(WorkerPool.shared.threads)))
        // 1 where the GEMM runs its AVX-512 tile (SIMDLevel; LEARN_SIMD=avx2 turns it off).
        report.append(("gemm_avx512", SIMDLevel.avx512 ? 1 : 0))
        printReport(withLoad(report, before: load))
        if !json {
            print("\nGEMM per shape (GFLOP/s):")
            for row in gemm.shapes { print("  " + row.name.padding(toLength: 14, withPad: " ", startingAt: 0) + format(row.gflops, json: false)) }
        }
    }

    static let figures = ["train", "recording", "recording-all", "lesson", "infer", "sequences", "transformer",
                          "transformer-infer"]

    /// The lesson loop timed beside the benchmark: on Fashion-MNIST when it is installed,
    /// else on the lesson's own data (said on standard error, so the JSON stays one object).
    private func lessonLoop() throws -> EngineBenchmark.LessonLoop {
        let catalog = try findCatalog()
        if (try? DatasetSource.fashionMNIST()) != nil {
            return EngineBenchmark.LessonLoop(catalog: catalog, dataset: .image(.fashionMNIST))
        }
        FileHandle.standardError.write(Data("note: Fashion-MNIST is not installed; the lesson loop trains on its own data\n".utf8))
        return EngineBenchmark.LessonLoop(catalog: catalog, dataset: nil)
    }

    /// The lesson loop's figures beside the recorded benchmark's (same policy, same rounds).
    private func lessonFigures(_ t: EngineBenchmark.RecordingFigures) -> [(String, Double)] {
        guard let lesson = t.lesson, let lessonMean = t.lessonMean, let recordingMean = t.recordingMean else { return [] }
        return [("lesson_train_samples_per_s", lesson),
                ("lesson_train_percent_of_recording", 100 * lesson / t.recording[0].throughput),
                ("train_samples_per_s_recording_mean", recordingMean),
                ("lesson_train_samples_per_s_mean", lessonMean),
                ("lesson_train_percent_of_recording_mean", 100 * lessonMean / recordingMean)]
    }

    /// Tokens per second of the character-level LSTM and GRU models (`SequenceBenchmark`).
    private func sequenceFigures() throws -> [(String, Double)] {
        let bench = SequenceBenchmark()
        return try SequenceBenchmark.RecurrentType.allCases.flatMap { cell in
            [("\(cell.rawValue)_train_tokens_per_s", try bench.trainingTokensPerSecond(cell)),
             ("\(cell.rawValue)_infer_tokens_per_s", try bench.inferenceTokensPerSecond(cell))]
        }
    }

    /// Tokens per second of the small decoder-only Transformer (`TransformerBenchmark`).
    private func transformerFigures() throws -> [(String, Double)] {
        let bench = TransformerBenchmark()
        return [("transformer_train_tokens_per_s", try bench.trainingTokensPerSecond()),
                ("transformer_infer_tokens_per_s", try bench.inferenceTokensPerSecond())]
    }

    /// One throughput figure alone, for profiling it (`perf record learn bench --only recording`);
    /// a recording figure comes with the plain training it is compared with.
    private func printOnly(_ figure: String, _ bench: EngineBenchmark) throws {
        let load = oneMinuteLoadAverage()
        var report: [(String, Double)] = []
        switch figure {
        case "train":
            report = [("train_samples_per_s", try bench.trainingThroughput())]
        case "infer":
            report = [("infer_samples_per_s", try bench.inferenceThroughput())]
        case "sequences":
            report = try sequenceFigures()
        case "transformer":
            report = try transformerFigures()
        case "transformer-infer":
            // Inference alone, for profiling and A/B runs (--steps batches per round, best of --rounds).
            let bench = TransformerBenchmark(steps: steps, rounds: rounds)
            report = [("transformer_infer_tokens_per_s", try bench.inferenceTokensPerSecond())]
        case "lesson":
            let measured = try bench.recordingThroughputs(policies: [.default], lesson: try lessonLoop())
            report = [("train_samples_per_s_recording", measured.recording[0].throughput)] + lessonFigures(measured)
        default:
            let all = figure == "recording-all"
            let measured = try bench.recordingThroughputs(policies: [all ? .all : .default])
            let suffix = all ? "_all" : ""
            let cost = measured.recording[0]
            report = [("train_samples_per_s", measured.plain),
                      ("train_samples_per_s_recording" + suffix, cost.throughput),
                      ("recording" + suffix + "_cost_percent", cost.costPercent),
                      ("recording" + suffix + "_cost_percent_q1", cost.costQuartiles.lower),
                      ("recording" + suffix + "_cost_percent_q3", cost.costQuartiles.upper)]
        }
        printReport(withLoad(report, before: load))
    }

    /// The report with the machine's one-minute load average before and after it: a
    /// load above the core count means other processes shared the cores, and the
    /// figures (the recording costs most: a trace's writer thread competes too) are not
    /// this engine's alone.
    private func withLoad(_ report: [(String, Double)], before: Double?) -> [(String, Double)] {
        guard let before, let after = oneMinuteLoadAverage() else { return report }
        return report + [("load_average_1m_start", before), ("load_average_1m_end", after)]
    }

    private func printReport(_ report: [(String, Double)]) {
        if json {
            let body = report.map { "\"\($0.0)\": \(format($0.1, json: true))" }.joined(separator: ", ")
            print("{\(body)}")
        } else {
            for (name, value) in report { print(name.padding(toLength: 36, withPad: " ", startingAt: 0) + format(value, json: false)) }
        }
    }

    private func printLayerProfile(_ profile: LayerProfile) {
        let total = profile.totalMilliseconds
        func cell(_ ms: Double) -> String { String(format: "%8.3f %5.1f%%", ms, 100 * ms / total) }
        let width = max(12, profile.rows.map(\.name.count).max() ?? 0)
        print("layer".padding(toLength: width, withPad: " ", startingAt: 0) + "   forward ms       backward ms")
        for row in profile.rows {
            print(row.name.padding(toLength: width, withPad: " ", startingAt: 0)
                  + cell(row.forwardMilliseconds) + "   " + cell(row.backwardMilliseconds))
        }
        print("update".padding(toLength: width, withPad: " ", startingAt: 0) + cell(profile.updateMilliseconds))
        print(String(format: "total       %8.3f ms per step of %ld (%.0f samples/s)", total, profile.batch,
                     profile.samplesPerSecond))
    }

    private func format(_ v: Double, json: Bool) -> String {
        v == v.rounded() && abs(v) < 1e6 ? String(Int(v)) : String(format: json ? "%.2f" : "%.1f", v)
    }
}
