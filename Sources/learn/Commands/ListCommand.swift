import ArgumentParser
import Foundation
import Lessons

/// `learn list`: the lessons, one per line. A lesson whose `lesson.yaml` cannot be
/// read is listed too, marked broken with its error, so that one bad folder (a
/// teacher's lesson being written, say) hides none of the others.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the lessons with their level and estimated time.",
        discussion: "Example:\n  learn list")

    func run() throws {
        let catalog = try findCatalog()
        do { _ = try catalog.curriculum() } catch {
            FileHandle.standardError.write(Data("warning: \(error); lessons are listed alphabetically\n".utf8))
        }
        var rows: [[String]] = [["NAME", "LEVEL", "TIME", "TITLE"]]
        var broken = 0
        for name in catalog.names {
            do {
                let spec = try catalog.spec(name)
                rows.append([name, spec.level.rawValue, "~\(spec.minutes) min", spec.title])
            } catch {
                broken += 1
                rows.append([name, "broken", "", "error: \(error)"])
            }
        }
        let widths = (0..<3).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print((0..<3).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[3])
        }
        if broken > 0 {
            FileHandle.standardError.write(Data(
                "warning: \(broken) lesson\(broken == 1 ? "" : "s") could not be read (marked broken above)\n".utf8))
        }
    }
}

/// The lessons folder (an error says how to point at one).
func findCatalog() throws -> LessonCatalog { try LessonCatalog.locate() }

/// The catalog for a `learn lesson` argument: a lesson folder given by path runs
/// without the repository's `lessons/` (unless its data is the bundled MNIST).
func findCatalog(for lesson: String) throws -> LessonCatalog {
    guard LessonCatalog.isPath(lesson) else { return try findCatalog() }
    return (try? findCatalog()) ?? LessonCatalog(folder: URL(fileURLWithPath: lesson).deletingLastPathComponent())
}
