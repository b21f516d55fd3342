import ArgumentParser
import Foundation
import Lessons
import NeuralNet
import Tensor
import Trace

/// `learn trace summary TRACE`: the run, its steps and the tensors it stores.
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
