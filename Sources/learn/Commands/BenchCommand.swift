import ArgumentParser
import Foundation
import Tensor

/// `learn bench`: how fast the engine trains and infers on this machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure GEMM, training and inference throughput of the cnn-mnist network.",
        discussion: """
        Trains the Keras MNIST CNN (batch 64, Adam) on synthetic 28×28 inputs and reports
        samples per second: without a trace, with the default trace policy, and with full
        probe tensors at every step (policy all). The three runs take turns, round by
        round, so a busy spell of the machine slows them alike and the recording costs
        (percent of throughput lost to the trace) stay comparable. Build in release mode
        first.

        Examples:
          learn bench
          learn bench --json --threads 1
        """)

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Timed training steps per measurement.")
    var steps = 40

    @Option(help: "Measure only this figure: train, recording, recording-all or infer.")
    var only: String?

    @Flag(help: "Only time each layer's forward and backward pass (ms per batch of 64).")
    var layers = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if steps < 1 { throw ValidationError("--steps must be at least 1") }
        if let only, !Self.figures.contains(only) {
            throw ValidationError("--only: unknown figure '\(only)' (expected \(Self.figures.joined(separator: ", ")))")
        }
    }

    func run() throws {
        if let threads { WorkerPool.shared.threads = threads }
        let bench = EngineBenchmark(steps: steps)
        if layers { return try printLayerProfile(bench.layerProfile()) }
        if let only { return try printOnly(only, bench) }
        let gemm = bench.gemmGFLOPS()
        let training = try bench.recordingThroughputs(policies: [.default, .all])
        let infer = try bench.inferenceThroughput()
        let (train, recording, recordingAll) = (training.plain, training.recording[0], training.recording[1])
        var report: [(String, Double)] = [
            ("gemm_gflops", gemm.total),
            ("train_samples_per_s", train),
            ("train_samples_per_s_recording", recording),
            ("train_samples_per_s_recording_all", recordingAll),
            ("recording_cost_percent", Self.costPercent(recording, of: train)),
            ("recording_all_cost_percent", Self.costPercent(recordingAll, of: train)),
            ("infer_samples_per_s", infer),
        ]
        report.append(("render_feature_grid_64ch_ms", try bench.featureMapGridMilliseconds()))
        report.append(("peak_rss_mb", peakResidentMegabytes()))
        report.append(("threads", Double(WorkerPool.shared.threads)))
        printReport(report)
        if !json {
            print("\nGEMM per shape (GFLOP/s):")
            for row in gemm.shapes { print("  " + row.name.padding(toLength: 14, withPad: " ", startingAt: 0) + format(row.gflops, json: false)) }
        }
    }

    static let figures = ["train", "recording", "recording-all", "infer"]

    /// Percent of the plain training throughput that recording a trace costs.
    static func costPercent(_ recording: Double, of plain: Double) -> Double { 100 * (1 - recording / plain) }

    /// One throughput figure alone, for profiling it (`perf record learn bench --only recording`);
    /// a recording figure comes with the plain training it is compared with.
    private func printOnly(_ figure: String, _ bench: EngineBenchmark) throws {
        var report: [(String, Double)] = []
        switch figure {
        case "train":
            report = [("train_samples_per_s", try bench.trainingThroughput())]
        case "infer":
            report = [("infer_samples_per_s", try bench.inferenceThroughput())]
        default:
            let all = figure == "recording-all"
            let measured = try bench.recordingThroughputs(policies: [all ? .all : .default])
            let suffix = all ? "_all" : ""
            report = [("train_samples_per_s", measured.plain),
                      ("train_samples_per_s_recording" + suffix, measured.recording[0]),
                      ("recording" + suffix + "_cost_percent", Self.costPercent(measured.recording[0], of: measured.plain))]
        }
        printReport(report)
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
        print("layer".padding(toLength: 12, withPad: " ", startingAt: 0) + "   forward ms       backward ms")
        for row in profile.rows {
            print(row.name.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + cell(row.forwardMilliseconds) + "   " + cell(row.backwardMilliseconds))
        }
        print("update".padding(toLength: 12, withPad: " ", startingAt: 0) + cell(profile.updateMilliseconds))
        print(String(format: "total       %8.3f ms per step of 64 (%.0f samples/s)", total, 64_000 / total))
    }

    private func format(_ v: Double, json: Bool) -> String {
        v == v.rounded() && abs(v) < 1e6 ? String(Int(v)) : String(format: json ? "%.2f" : "%.1f", v)
    }
}
