import Foundation

/// The lessons folder and the lessons in it.
///
/// The folder is found, in order: `$LEARN_LESSONS`; a `lessons/` folder in the
/// current directory or one of its parents; one beside the `learn` executable's
/// package (`.build/release/learn` → `lessons/`). A lesson is a subfolder holding
/// `lesson.yaml`.
public struct LessonCatalog {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The catalog found from the environment, or nil if there is none.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                              executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? "")) -> LessonCatalog? {
        if let explicit = environment["LEARN_LESSONS"] { return LessonCatalog(folder: URL(fileURLWithPath: explicit)) }
        var candidates: [URL] = []
        var dir = currentDirectory.standardizedFileURL
        for _ in 0..<8 {
            candidates.append(dir.appendingPathComponent("lessons"))
            dir.deleteLastPathComponent()
        }
        var exe = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(exe.appendingPathComponent("lessons"))
            exe.deleteLastPathComponent()
        }
        return candidates.first { isCatalog($0) }.map(LessonCatalog.init)
    }

    static func isCatalog(_ url: URL) -> Bool {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return items.contains { FileManager.default.fileExists(atPath: url.appendingPathComponent($0).appendingPathComponent("lesson.yaml").path) }
    }

    /// Lesson names, sorted.
    public var names: [String] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return items.filter {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("lesson.yaml").path)
        }.sorted()
    }

    /// The folder of lesson `name`, after checking that the name is a plain name
    /// and that such a lesson exists.
    public func lessonFolder(_ name: String) throws -> URL {
        guard !name.isEmpty, name.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
            throw LessonError.invalidName(name)
        }
        let all = names
        guard all.contains(name) else {
            throw LessonError.unknownLesson(name: name, available: all, suggestions: nearest(name, in: all))
        }
        return folder.appendingPathComponent(name)
    }

    /// The parsed spec of lesson `name`.
    public func spec(_ name: String) throws -> LessonSpec {
        let dir = try lessonFolder(name)
        let file = dir.appendingPathComponent("lesson.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw LessonError.missingFile(file.path) }
        return try LessonSpecParser.parse(yaml: text, file: "lessons/\(name)/lesson.yaml", name: name)
    }
}
