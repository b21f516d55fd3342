import ArgumentParser
import Foundation
import Lessons
import NeuralNet
import Tensor
import Trace

/// `learn trace show TRACE NAME`: statistics of one tensor, and its values when small.
struct TraceShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Statistics of one tensor, and its values when small.",
        discussion: """
        NAME is a layer (conv1: its activation), a parameter (conv1.weight: its value), \
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
        let resolved = try TraceTensorName(name, in: reader)
        let (kind, tensorName) = (resolved.kind, resolved.name)
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
