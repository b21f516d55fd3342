/// Why a gallery page, the gallery index or a handout could not be written. Each case
/// names the file, so the command line can print one clear `error:` line.
public enum PublishError: Error, CustomStringConvertible, Equatable {
    /// A narrative or exercises file that `lesson.yaml` names does not exist or is not UTF-8.
    case missingLessonFile(String)
    /// A narrative or exercises name in `lesson.yaml` that is not a plain file name.
    case invalidLessonFileName(String)
    /// A run folder's `summary.json` is missing or does not decode.
    case unreadableSummary(String, reason: String)
    /// A figure that `summary.json` lists is not in the run folder.
    case missingFigure(String)
    /// The page or handout could not be written.
    case unwritable(String, reason: String)
    /// A `{{figure: ID}}` marker naming no figure of the lesson.
    case unknownFigure(file: String, line: Int, id: String, known: [String])
    /// A second marker for a figure already placed.
    case figurePlacedTwice(file: String, line: Int, id: String)

    public var description: String {
        switch self {
        case let .missingLessonFile(path):
            return "cannot read lesson file \(path) (named in lesson.yaml)"
        case let .invalidLessonFileName(name):
            return "lesson file name '\(name)' in lesson.yaml must be a plain file name in the lesson folder"
        case let .unreadableSummary(path, reason):
            return "cannot read run summary \(path): \(reason) (run the lesson again)"
        case let .missingFigure(path):
            return "figure \(path) is missing (run the lesson again to redraw it)"
        case let .unwritable(path, reason):
            return "cannot write \(path): \(reason)"
        case let .unknownFigure(file, line, id, known):
            return "\(file):\(line): no figure '\(id)' in lesson.yaml (ids: \(known.joined(separator: ", ")))"
        case let .figurePlacedTwice(file, line, id):
            return "\(file):\(line): figure '\(id)' is already placed by an earlier marker"
        }
    }
}
