import ArgumentParser
import Foundation
import Lessons
import NeuralNet
import Tensor
import Trace

/// `learn trace ...`: look into a recorded trace without Python.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Inspect a trace: summary, one tensor, export to .npy.",
        subcommands: [TraceSummaryCommand.self, TraceShowCommand.self, TraceExportCommand.self])
}

struct TraceSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "The run, steps, stored tensors and sizes of a trace.",
        discussion: "Example:\n  learn trace summary output/cnn-mnist/trace")

    @Argument(help: "The trace folder (OUT/NAME/trace).") var trace: String

    func run() throws {
        let reader = try TraceReader(directory: URL(fileURLWithPath: trace))
        print(TraceSummary.overview(reader), terminator: "")
        print("full-tensor steps: \(reader.fullTensorSteps.map(String.init).joined(separator: " "))")
        let names = Set(reader.tensors().map { "\($0.kind.rawValue)/\($0.name) \($0.shape)" })
        print("tensors per full step (kind/name shape):")
        for line in names.sorted() { print("  " + line) }
    }
}

struct TraceShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Statistics of one tensor, and its values when small.",
        discussion: """
        NAME is a layer (conv1: its activation), a parameter (conv1.weight: its value),
        or KIND/NAME (gradient/conv1.weight, update/dense2.bias, activation/pool1, input/input).

        Examples:
          learn trace show output/cnn-mnist/trace dense2.bias
          learn trace show output/cnn-mnist/trace gradient/conv1.weight --step 0
        """)

    @Argument(help: "The trace folder.") var trace: String
    @Argument(help: "Tensor name, optionally KIND/NAME.") var name: String
    @Option(help: "Step (default: the last step that stores it).") var step: Int?

    func run() throws {
        let reader = try TraceReader(directory: URL(fileURLWithPath: trace))
        let (kind, tensorName) = try resolve(name, in: reader)
        let held = reader.tensors().filter { $0.kind == kind && $0.name == tensorName }.map(\.step).sorted()
        if let step, !held.contains(step) {
            throw CLIError("\(kind.rawValue)/\(tensorName) is not stored at step \(step); stored at steps "
                           + held.map(String.init).joined(separator: " "))
        }
        if let at = step ?? held.last {
            let t = try reader.tensor(tensorName, kind: kind, step: at)
            print("\(kind.rawValue)/\(tensorName) at step \(at), shape \(t.shape)")
            print(describe(t))
        } else {
            print("\(kind.rawValue)/\(tensorName): statistics only (no full tensor stored)")
        }
        let series = try reader.statistics(of: tensorName, kind: kind)
        if let last = series.last {
            print(String(format: "statistics over %d steps; last (step %d): mean %.6g std %.6g min %.6g max %.6g l2 %.6g",
                         series.count, last.step, last.statistics.mean, last.statistics.std,
                         last.statistics.min, last.statistics.max, last.statistics.l2))
        }
    }

    func describe(_ t: Tensor) -> String {
        let s = t.scalars
        let mean = s.reduce(0, +) / Float(max(1, s.count))
        var text = String(format: "mean %.6g min %.6g max %.6g", mean, s.min() ?? 0, s.max() ?? 0)
        if s.count <= 64 { text += "\nvalues: " + s.map { String(format: "%.6g", $0) }.joined(separator: " ") }
        return text
    }
}

struct TraceExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write chosen tensors of one step as NumPy .npy files.",
        discussion: "Example:\n  learn trace export output/cnn-mnist/trace conv1.weight gradient/conv1.weight --step 0 --out /tmp/npy")

    @Argument(help: "The trace folder.") var trace: String
    @Argument(help: "Tensor names, optionally KIND/NAME.") var names: [String]
    @Option(help: "Step (default: the last stored).") var step: Int?
    @Option(help: "Folder for the .npy files.") var out = "."

    func run() throws {
        let reader = try TraceReader(directory: URL(fileURLWithPath: trace))
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in names {
            let (kind, tensorName) = try resolve(name, in: reader)
            let held = reader.tensors().filter { $0.kind == kind && $0.name == tensorName }.map(\.step)
            guard let at = step ?? held.max(), held.contains(at) else {
                throw CLIError("\(kind.rawValue)/\(tensorName) is not stored at step \(step.map(String.init) ?? "any")")
            }
            let file = folder.appendingPathComponent("\(kind.rawValue)-\(tensorName)-step\(at).npy")
            try NPY.write(try reader.tensor(tensorName, kind: kind, step: at), to: file)
            print(file.path)
        }
    }
}

/// `KIND/NAME`, or a bare name: a parameter's value, else a layer's activation.
func resolve(_ text: String, in reader: TraceReader) throws -> (TensorKind, String) {
    let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
    if parts.count == 2, let kind = TensorKind(rawValue: parts[0]) { return (kind, parts[1]) }
    let known = Set(reader.statisticsSeries.map { "\($0.kind.rawValue)/\($0.name)" })
    for kind in [TensorKind.weight, .activation, .input] where known.contains("\(kind.rawValue)/\(text)") {
        return (kind, text)
    }
    let names = Set(reader.statisticsSeries.map(\.name)).sorted()
    let guess = nearest(text, in: names).first
    throw CLIError("the trace has no tensor '\(text)'" + (guess.map { "; did you mean '\($0)'?" } ?? "")
                   + " (see `learn trace summary`)")
}
