import Foundation

/// The Markdown a lesson author wrote beside `lesson.yaml`: the narrative files in the
/// order the spec lists them, and the exercises. Read once, shared by the gallery page
/// and the handout so both show the same words; figure markers in them are checked
/// against the lesson's figures (`FigurePlacement.check`).
struct LessonTexts {
    /// One Markdown file: where it is (for error messages) and its text.
    struct File {
        var path: String
        var text: String
    }

    var narrative: [File]
    var exercises: File?

    init(spec: LessonSpec, lessonFolder: URL) throws {
        narrative = try spec.narrative.map { try Self.read($0, in: lessonFolder) }
        exercises = try spec.exercises.map { try Self.read($0, in: lessonFolder) }
        try FigurePlacement.check(texts: self, ids: spec.figures.map(\.id))
    }

    /// A plain file name inside the lesson folder: a page must not publish files from
    /// elsewhere on the disk.
    private static func read(_ name: String, in folder: URL) throws -> File {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw PublishError.invalidLessonFileName(name)
        }
        let file = folder.appendingPathComponent(name)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw PublishError.missingLessonFile(file.path)
        }
        return File(path: file.path, text: text)
    }
}
