import Foundation
import Lessons
import Trace
import XCTest

/// Runs a real lesson from `lessons/` in quick mode into a temporary output
/// folder, as `learn lesson NAME --quick` does, and gives the test what it
/// produced: the summary, the run folder, and the trace text that lesson
/// snapshot tests pin (every recorded statistic of the main run and of each
/// variant, to 5 significant digits, prefixed by the run's name).
///
/// Re-record the lesson snapshots on purpose (then read the diff):
///
///     SNAPSHOT_TESTING_RECORD=all swift test -c release --filter LessonSnapshot
struct LessonQuickRun {
    let summary: LessonRunSummary
    let runFolder: URL
    let outputRoot: URL

    init(_ name: String, render: Bool = true, epochs: Int? = nil) throws {
        outputRoot = FileManager.default.temporaryDirectory.appendingPathComponent("quick-\(name)-\(UUID().uuidString)")
        let runner = try LessonRunner(catalog: try LessonCatalog.locate(), name: name,
                                      options: LessonRunOptions(outputRoot: outputRoot, epochs: epochs, quick: true,
                                                                render: render))
        summary = try runner.run()
        runFolder = outputRoot.appendingPathComponent(name)
    }

    /// Trace folders of the main run and the variants, with the runs' names.
    var traces: [(name: String, folder: URL)] {
        [("main", runFolder.appendingPathComponent("trace"))]
            + summary.variants.map { ($0.name, runFolder.appendingPathComponent("variants/\($0.name)/trace")) }
    }

    func traceText() throws -> String {
        try traces.flatMap { run in
            try TraceSummary.statisticsLines(try TraceReader(directory: run.folder), significantDigits: 5)
                .map { "\(run.name) \($0)" }
        }.joined(separator: "\n")
    }

    /// The figure files the run wrote whose names contain `fragment`.
    func figures(_ fragment: String) -> [RenderedFigure] { summary.figures.filter { $0.file.contains(fragment) } }

    func remove() { try? FileManager.default.removeItem(at: outputRoot) }
}
