/// A lesson that cannot be run, said in terms of the lesson's files.
public enum LessonError: Error, CustomStringConvertible, Equatable {
    /// A problem in a lesson file at `line` (1-based) under `key` (`model.layers[2].type`).
    case spec(file: String, line: Int?, key: String, message: String, hint: String?)
    /// No lesson of that name; `suggestions` are the nearest names.
    case unknownLesson(name: String, available: [String], suggestions: [String])
    /// A name that is not a plain lesson name (`../x`, `a/b`).
    case invalidName(String)
    case missingFile(String)
    /// A path given as a lesson that is not a lesson folder, and why.
    case noLessonFolder(String, reason: String)
    /// A file a run wrote that cannot be used (missing, or not what learn writes).
    case invalidFile(String, reason: String)

    public var description: String {
        switch self {
        case let .spec(file, line, key, message, hint):
            let place = line.map { "\(file):\($0)" } ?? file
            let keyPart = key.isEmpty ? "" : "\(key): "
            return "\(place): \(keyPart)\(message)" + (hint.map { " (\($0))" } ?? "")
        case let .unknownLesson(name, available, suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.map { "'\($0)'" }.joined(separator: " or "))?"
            return "no lesson named '\(name)'\(hint) Available: \(available.joined(separator: ", ")). See `learn list`."
        case let .invalidName(name):
            return "'\(name)' is not a lesson name: use a name from `learn list` (letters, digits and '-'), or a lesson folder's path (./NAME)"
        case let .missingFile(path):
            return "missing lesson file \(path)"
        case let .noLessonFolder(path, reason):
            return "\(path): not a lesson folder: \(reason)"
        case let .invalidFile(path, reason):
            return "\(path): \(reason)"
        }
    }
}

/// The entries of `choices` nearest to `word` by edit distance (at most a third of its length).
public func nearest(_ word: String, in choices: [String], limit: Int = 2) -> [String] {
    let w = word.lowercased()
    let scored = choices.map { ($0, editDistance(w, $0.lowercased())) }
        .filter { $0.1 <= max(2, w.count / 3) }
        .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
    return Array(scored.prefix(limit).map(\.0))
}

/// Levenshtein distance.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            let current = row[j]
            row[j] = a[i - 1] == b[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
            previous = current
        }
    }
    return row[b.count]
}
