import ArgumentParser
import Foundation
import Lessons

/// `learn handout NAME`: rewrite the PDF handout of a finished run.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write OUT/NAME/handout.pdf (A4) from a finished lesson run.",
        discussion: """
        Uses the lesson's text (lessons/NAME) and the run's summary and figures.

        Examples:
          learn handout cnn-mnist
          learn handout cnn-mnist --out /tmp/runs
          learn handout cnn-mnist --layout
        """)

    @Argument(help: "The lesson's name, or its folder's path.") var name: String
    @Option(help: "The output folder holding the runs.") var out = "output"
    @Flag(help: "Also print how full each page is and the size each figure's smallest text prints at.")
    var layout = false

    func run() throws {
        let catalog = try findCatalog(for: name)
        let spec = try catalog.spec(name)
        let runFolder = URL(fileURLWithPath: out).appendingPathComponent(spec.name)
        let summaryFile = runFolder.appendingPathComponent("summary.json")
        guard let data = try? Data(contentsOf: summaryFile) else {
            throw CLIError("no run of '\(name)' in \(runFolder.path); run `learn lesson \(name)` first")
        }
        let summary = try JSONDecoder().decode(LessonRunSummary.self, from: data)
        let report = try Handout.write(spec: spec, summary: summary, lessonFolder: try catalog.lessonFolder(name),
                                       runFolder: runFolder)
        print(runFolder.appendingPathComponent(Handout.fileName).path)
        if layout { report.lines.forEach { print($0) } }
    }
}
