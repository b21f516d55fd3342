import Foundation

/// The Markdown a lesson author wrote beside `lesson.yaml`: the narrative files in the
/// order the spec lists them, and the exercises. Read once, shared by the gallery page
/// and the handout so both show the same words.
struct LessonTexts {
    var narrative: [String]
    var exercises: String?

    init(spec: LessonSpec, lessonFolder: URL) throws {
        narrative = try spec.narrative.map { try Self.read($0, in: lessonFolder) }
        exercises = try spec.exercises.map { try Self.read($0, in: lessonFolder) }
    }

    /// A plain file name inside the lesson folder: a page must not publish files from
    /// elsewhere on the disk.
    private static func read(_ name: String, in folder: URL) throws -> String {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw PublishError.invalidLessonFileName(name)
        }
        let file = folder.appendingPathComponent(name)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw PublishError.missingLessonFile(file.path)
        }
        return text
    }
}
