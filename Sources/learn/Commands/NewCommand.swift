import ArgumentParser
import Foundation
import Lessons

/// `learn new NAME [--from LESSON]`: a starter lesson folder that runs as it is.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a starter lesson folder (lesson.yaml, introduction.md, exercises.md) that runs as it is.",
        discussion: """
        NAME is the folder to create (a path; its last part is the lesson's name).

        Examples:
          learn new my-lesson && learn lesson ./my-lesson --quick
          learn new ~/course/digits --from cnn-mnist
        """)

    @Argument(help: "The new lesson's folder (must not exist).") var name: String
    @Option(help: "Copy this lesson (a name from `learn list`, or a lesson folder's path) instead of the starter.")
    var from: String?

    func run() throws {
        let template = try from.map { try findCatalog(for: $0).lessonFolder($0) }
        let folder = URL(fileURLWithPath: (name as NSString).expandingTildeInPath)
        let written = try StarterLesson.write(at: folder, from: template)
        let shown = LessonCatalog.isPath(name) ? name : "./" + name
        print(written.path)
        print("run it with: learn lesson \(shown) --quick")
    }
}
