import Foundation

/// The lessons folder and the lessons in it.
///
/// The folder is found by `BundledData.lessonsFolder` (`$LEARN_LESSONS_DIR`, or
/// the `lessons/` above the current directory or the executable). A lesson is a
/// subfolder holding `lesson.yaml`.
public struct LessonCatalog {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The catalog of the repository's `lessons/` folder, found as `BundledData` finds it.
    public static func locate(searchingFrom starts: [URL] = BundledData.defaultSearchStarts,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> LessonCatalog {
        LessonCatalog(folder: try BundledData.lessonsFolder(searchingFrom: starts, environment: environment))
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
