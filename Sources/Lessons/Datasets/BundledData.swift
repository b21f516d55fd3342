import Foundation

/// Finds the repository's `lessons/` folder and in it `data/`, which holds the
/// bundled MNIST subset (see `lessons/data/README.md`) and, in `data/text/`, the
/// English corpus of the text lessons (`TextCorpus.bundled`). The environment variable
/// `LEARN_LESSONS_DIR` names the lessons folder outright; otherwise the search
/// walks up from each start folder, by default the current directory and the
/// running executable's folder, so `.build/release/learn` finds the repository
/// it was built in whatever the current directory is. A `ceiling` bounds that walk, as
/// `GIT_CEILING_DIRECTORIES` bounds git's: a test that searches from a temporary
/// folder must not find the repository just because `TMPDIR` lies inside it.
public enum BundledData {
    public static let environmentVariable = "LEARN_LESSONS_DIR"
    public static let lessonsFolderName = "lessons"
    public static let dataFolderName = "data"

    /// The current directory, then the folder of the running executable.
    public static var defaultSearchStarts: [URL] {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
        return [current] + (executable.map { [$0] } ?? [])
    }

    /// The lessons folder: `$LEARN_LESSONS_DIR`, or the first `lessons/` with a
    /// `data/` subfolder in a start folder or one of its ancestors. With a `ceiling`,
    /// the walk up from a start folder searches the ceiling last and nothing above it
    /// (a start folder outside the ceiling is walked up to `/` as usual).
    public static func lessonsFolder(
        searchingFrom starts: [URL] = defaultSearchStarts,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        ceiling: URL? = nil
    ) throws -> URL {
        if let named = environment[environmentVariable], !named.isEmpty {
            let lessons = URL(fileURLWithPath: named, isDirectory: true)
            guard isFolder(lessons.appendingPathComponent(dataFolderName)) else {
                throw DatasetError.noSuchFolder(lessons.appendingPathComponent(dataFolderName))
            }
            return lessons
        }
        for start in starts {
            for folder in selfAndAncestors(start, upTo: ceiling) {
                let lessons = folder.appendingPathComponent(lessonsFolderName, isDirectory: true)
                if isFolder(lessons.appendingPathComponent(dataFolderName)) { return lessons }
            }
        }
        throw DatasetError.bundledDataNotFound(searchedFrom: starts)
    }

    /// `lessons/data/`, the folder of the bundled MNIST subset and of `text/`.
    public static func folder(
        searchingFrom starts: [URL] = defaultSearchStarts,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        ceiling: URL? = nil
    ) throws -> URL {
        try lessonsFolder(searchingFrom: starts, environment: environment, ceiling: ceiling)
            .appendingPathComponent(dataFolderName, isDirectory: true)
    }

    /// `start`, its parent, and so on up to `/`, or up to and including `ceiling`.
    private static func selfAndAncestors(_ start: URL, upTo ceiling: URL?) -> [URL] {
        let stop = ceiling?.standardizedFileURL.path
        var path = start.standardizedFileURL.path
        var folders = [URL(fileURLWithPath: path, isDirectory: true)]
        while path != "/" && !path.isEmpty && path != stop {
            path = (path as NSString).deletingLastPathComponent
            folders.append(URL(fileURLWithPath: path, isDirectory: true))
        }
        return folders
    }
}

/// Whether `url` names an existing folder (following symbolic links).
func isFolder(_ url: URL) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
}
