import ArgumentParser
import Lessons

/// `learn list`: the lessons, one per line.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the lessons with their level and estimated time.",
        discussion: "Example:\n  learn list")

    func run() throws {
        let catalog = try findCatalog()
        var rows: [[String]] = [["NAME", "LEVEL", "TIME", "TITLE"]]
        for name in catalog.names {
            let spec = try catalog.spec(name)
            rows.append([name, spec.level.rawValue, "~\(spec.minutes) min", spec.title])
        }
        let widths = (0..<3).map { c in rows.map { $0[c].count }.max()! }
        for row in rows {
            print((0..<3).map { row[$0].padding(toLength: widths[$0] + 2, withPad: " ", startingAt: 0) }.joined() + row[3])
        }
    }
}

/// The lessons folder (an error says how to point at one).
func findCatalog() throws -> LessonCatalog { try LessonCatalog.locate() }
