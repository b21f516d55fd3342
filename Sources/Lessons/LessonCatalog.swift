import Foundation
import Yams

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

    /// Lesson names in teaching order: those `curriculum.yaml` lists, in its order, then
    /// any other lesson folder alphabetically.
    public var names: [String] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let found = items.filter {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("lesson.yaml").path)
        }
        return Self.teachingOrder(of: found, curriculum: (try? curriculum()) ?? [])
    }

    /// The names `curriculum.yaml` lists (a YAML list of lesson names), or none without the file.
    public func curriculum() throws -> [String] {
        let file = folder.appendingPathComponent("curriculum.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        guard let names = try Yams.load(yaml: text) as? [String] else {
            throw LessonError.invalidFile(file.path, reason: "expected a YAML list of lesson names in teaching order")
        }
        return names
    }

    /// The teaching order of the lessons folder found as `locate` finds it (none when there is
    /// no such folder or no readable `curriculum.yaml`: runs are then ordered by name).
    public static var shippedTeachingOrder: [String] { (try? locate().curriculum()) ?? [] }

    /// `names` sorted as `curriculum` lists them, unlisted names after those, alphabetically.
    public static func teachingOrder(of names: [String], curriculum: [String]) -> [String] {
        let position = Dictionary(curriculum.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return names.sorted { a, b in
            switch (position[a], position[b]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
    }

    /// Whether a `learn lesson` argument names a folder on disk (`./my-lesson`,
    /// `~/course/week3`, `/tmp/x`) rather than a lesson of this catalog: it holds a
    /// `/` or starts with `.`.
    public static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasPrefix(".")
    }

    /// The folder of lesson `name` — a name from `learn list`, or a path to a lesson
    /// folder anywhere on disk — after checking that such a lesson exists.
    public func lessonFolder(_ name: String) throws -> URL {
        if Self.isPath(name) { return try Self.folder(atPath: name) }
        guard !name.isEmpty, name.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
            throw LessonError.invalidName(name)
        }
        let all = names
        guard all.contains(name) else {
            throw LessonError.unknownLesson(name: name, available: all, suggestions: nearest(name, in: all))
        }
        return folder.appendingPathComponent(name)
    }

    /// The lesson's name in outputs (`output/NAME/`): the name itself, or the last
    /// component of a lesson folder's path.
    public static func lessonName(_ argument: String) -> String {
        isPath(argument) ? URL(fileURLWithPath: expandingTilde(argument)).standardizedFileURL.lastPathComponent : argument
    }

    /// A lesson folder given by path: it must exist, hold `lesson.yaml`, and be named as a
    /// lesson is (its name becomes the output folder's).
    static func folder(atPath path: String) throws -> URL {
        let url = URL(fileURLWithPath: expandingTilde(path), isDirectory: true).standardizedFileURL
        guard isFolder(url) else { throw LessonError.noLessonFolder(path, reason: "no such folder") }
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("lesson.yaml").path) else {
            throw LessonError.noLessonFolder(path, reason: "the folder holds no lesson.yaml (`learn new NAME` writes a starter)")
        }
        let name = url.lastPathComponent
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
            throw LessonError.noLessonFolder(path, reason: "the folder's name '\(name)' is not a lesson name "
                                             + "(letters, digits, '-' and '_'); it names the output folder")
        }
        return url
    }

    static func expandingTilde(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    /// The parsed spec of lesson `name` (a name from `learn list` or a lesson folder's path).
    public func spec(_ name: String) throws -> LessonSpec {
        let dir = try lessonFolder(name)
        let file = dir.appendingPathComponent("lesson.yaml")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { throw LessonError.missingFile(file.path) }
        let shown = Self.isPath(name) ? (name.hasSuffix("/") ? name : name + "/") + "lesson.yaml" : Self.shownPath(file)
        return try LessonSpecParser.parse(yaml: text, file: shown, name: Self.lessonName(name))
    }

    /// A bundled lesson's file as errors name it: relative to the working directory when it
    /// lies below it (`lessons/cnn-mnist/lesson.yaml` in a checkout), else the whole path
    /// (lessons found through `LEARN_LESSONS_DIR` or beside the binary).
    static func shownPath(_ file: URL) -> String {
        let path = file.standardizedFileURL.path
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            .standardizedFileURL.path
        let prefix = current.hasSuffix("/") ? current : current + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
