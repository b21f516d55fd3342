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
