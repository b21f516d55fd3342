import Foundation
import Render

/// A finished lesson run on disk (`output/NAME/`): its summary and where its files are.
struct RunFolder {
    let url: URL
    let summary: LessonRunSummary

    init(url: URL, summary: LessonRunSummary) {
        self.url = url
        self.summary = summary
    }

    /// Reads `summary.json` in `url`.
    static func load(_ url: URL) throws -> RunFolder {
        let file = url.appendingPathComponent(LessonRunSummary.fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PublishError.unreadableSummary(file.path, reason: "no such file")
        }
        do {
            return RunFolder(url: url, summary: try JSONDecoder().decode(LessonRunSummary.self, from: data))
        } catch {
            throw PublishError.unreadableSummary(file.path, reason: "not a run summary (\(error))")
        }
    }

    /// The absolute file of a figure, after checking that it exists.
    func figureFile(_ figure: RenderedFigure) throws -> URL {
        try figureFile(path: figure.file)
    }

    /// The absolute file of a figure or frame path (relative to the run folder), after
    /// checking that it exists.
    func figureFile(path: String) throws -> URL {
        let file = url.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: file.path) else { throw PublishError.missingFigure(file.path) }
        return file
    }

    /// The figure's vector versions that exist beside its PNG (`figures/01-filters.svg`,
    /// `.pdf`), written by `--format`; paths relative to the run folder.
    func vectorVersions(of figure: RenderedFigure) -> [(format: FigureFormat, file: String)] {
        vectorVersions(ofImage: figure.file)
    }

    /// The vector versions beside one PNG (a figure's, or a frame's of a series).
    func vectorVersions(ofImage file: String) -> [(format: FigureFormat, file: String)] {
        let stem = (file as NSString).deletingPathExtension
        return FigureFormat.allCases.filter { $0 != .png }.map { ($0, stem + "." + $0.fileExtension) }
            .filter { FileManager.default.fileExists(atPath: url.appendingPathComponent($0.1).path) }
    }
}

/// Writes `text` to `file` through a temporary file and a rename, so a reader never
/// sees half a page.
func writeAtomically(_ text: String, to file: URL) throws {
    do {
        try Data(text.utf8).write(to: file, options: .atomic)
    } catch {
        throw PublishError.unwritable(file.path, reason: (error as NSError).localizedDescription)
    }
}
