import ArgumentParser
import Foundation
import Lessons

/// `learn gallery`: the index page linking every lesson run in the output folder.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Write OUT/index.html linking every lesson run, with thumbnails.",
        discussion: """
        Each lesson run already has its own page, OUT/NAME/index.html; this links them all. \
        Open it from the file system: it needs no server and no network.

        Examples:
          learn gallery
          learn gallery --out /tmp/runs
        """)

    @Option(help: "The output folder holding the runs.") var out = "output"

    func run() throws {
        let root = URL(fileURLWithPath: out)
        let runs = try GalleryIndex.write(outputRoot: root)
        guard !runs.isEmpty else {
            throw CLIError("no lesson runs in \(root.path); run `learn lesson NAME` first")
        }
        print("\(root.appendingPathComponent("index.html").path) links \(runs.count) run(s): \(runs.joined(separator: ", "))")
    }
}
