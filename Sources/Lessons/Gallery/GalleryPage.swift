import Foundation
import Plot
import Render

/// `output/NAME/index.html`: one lesson run as a self-contained page — title, summary,
/// goals, key results, the narrative (Markdown through Ink) with each figure where a
/// `{{figure: ID}}` marker places it (`FigurePlacement`, the handout's numbering), the
/// other figures after it, and the exercises. Opens offline from the file system: the
/// style is inline, images are relative paths into `figures/`, and the one script is
/// `FrameSlider.script`, a fixed constant that turns a frame series' slider.
///
/// A lesson folder is untrusted input (teachers share them), so nothing in it becomes live
/// markup. Everything taken from `lesson.yaml` or `summary.json` is a Plot text node
/// (escaped) or an attribute escaped here (Plot writes attribute values verbatim, which is
/// also why the page's `<title>` is a plain element: Plot's `.title` copies it into
/// `<meta content>`). The Markdown files go through Ink and then `SafeHTML`, which keeps
/// only the markup Markdown produces: HTML written into the Markdown cannot add scripts,
/// event handlers, styles or `javascript:` links. A series' frame list reaches the script
/// only as an escaped `data-frames` attribute (JSON), never as code.
public enum GalleryPage {
    /// The page's file name inside a run folder.
    public static let fileName = "index.html"

    /// Writes `runFolder/index.html`. Links the handout when `handout.pdf` is already in
    /// the run folder, so write the handout first.
    public static func write(spec: LessonSpec, summary: LessonRunSummary, lessonFolder: URL, runFolder: URL) throws {
        let run = RunFolder(url: runFolder, summary: summary)
        let html = try page(spec: spec, run: run, texts: LessonTexts(spec: spec, lessonFolder: lessonFolder))
        try writeAtomically(html, to: runFolder.appendingPathComponent(fileName))
    }

    static func page(spec: LessonSpec, run: RunFolder, texts: LessonTexts) throws -> String {
        let figures = run.summary.figures
        let placement = FigurePlacement(texts: texts, figures: figures)
        func node(_ index: Int) throws -> Node<HTML.BodyContext> {
            try figureNode(figures[index], number: placement.numbers[index], run: run)
        }
        func section(_ parts: [FigurePlacement.Part], class name: String) throws -> Node<HTML.BodyContext> {
            .section(.class(name), .group(try parts.map { part in
                switch part {
                case let .markdown(text): return .raw(SafeHTML.html(markdown: text))
                case let .figure(index): return try node(index)
                }
            }))
        }
        let narrative = try placement.narrative.map { try section($0, class: "narrative") }
        let unplaced = try placement.unplaced.map(node)
        let exercises = try placement.exercises.map { try section($0, class: "exercises") }
        let hasSeries = figures.contains { ($0.frames?.count ?? 0) > 1 }
        let hasHandout = FileManager.default.fileExists(atPath: run.url.appendingPathComponent(Handout.fileName).path)
        let document = HTML(
            .lang(.english),
            .head(.encoding(.utf8), .viewport(.accordingToDevice), .element(named: "title", text: spec.title), .style(GalleryStyle.css)),
            .body(.main(
                .p(.class("crumbs"), .a(.href("../index.html"), .text("All lessons")),
                   .if(hasHandout, .group(.text(" · "), .a(.href(Handout.fileName), .text("Printable handout (PDF)"))))),
                .h1(.text(spec.title)),
                .p(.class("summary"), .text(spec.summary)),
                .p(.class("meta"), .text(metaLine(spec, summary: run.summary))),
                .h2(.text("Learning goals")),
                .ul(.forEach(spec.goals) { .li(.text($0)) }),
                .h2(.text("Key results")),
                resultsTable(KeyResults(summary: run.summary)),
                runsTable(RunsTable(spec: spec, summary: run.summary)),
                .group(narrative),
                .if(!unplaced.isEmpty, .group(.h2(.text(placement.unplaced.count == figures.count ? "Figures" : "More figures")),
                                              .group(unplaced))),
                .unwrap(exercises) { $0 },
                .if(hasSeries, .element(named: "script", nodes: [Node<HTML.BodyContext>.raw(FrameSlider.script)]))
            ))
        )
        return document.render(indentedBy: .spaces(1)) + "\n"
    }

    /// `Level: beginner · a default run takes about 2 minutes (training, figures and pages)`:
    /// the lesson file's estimate, said as what it measures (a whole `learn lesson` run on a
    /// laptop, not the reading time); the key results give this run's training time. For
    /// `learn inspect`, whose page is not a lesson (no level, nothing trained), what was
    /// inspected instead.
    static func metaLine(_ spec: LessonSpec, summary: LessonRunSummary) -> String {
        if let file = summary.importedFrom {
            let images = summary.testExamples
            return "A model trained elsewhere (\(file)), inspected on \(images) image\(images == 1 ? "" : "s")"
        }
        return "Level: \(spec.level.rawValue) · a default run takes about \(spec.minutes) minute\(spec.minutes == 1 ? "" : "s") "
            + "(training, figures and pages)"
    }

    static func resultsTable(_ results: KeyResults) -> Node<HTML.BodyContext> {
        .table(.class("results"), .forEach(results.rows) { row in
            .tr(.th(.text(row.label)), .td(.text(row.value)))
        })
    }

    /// Every run of a lesson with variants, under its own heading; nothing otherwise.
    static func runsTable(_ table: RunsTable) -> Node<HTML.BodyContext> {
        .if(!table.isEmpty, .group(
            .h2(.text("Runs compared")),
            .table(.class("runs"),
                   .tr(.forEach(table.header) { .th(.text($0)) }),
                   .forEach(table.rows) { row in .tr(.forEach(row) { .td(.text($0)) }) }),
            .unwrap(table.note) { .p(.class("note"), .text($0)) }))
    }

    /// `<figure>` with the PNG at its pixel size (CSS scales it to the column) and the
    /// caption as both `alt` text and `<figcaption>`, headed "Figure N." — or, for a figure
    /// the handout leaves out, "Gallery figure." with no number. A frame series shows its
    /// first frame with a slider under it (`FrameSlider`). Links to the figure's SVG and PDF
    /// follow the caption when `--format` wrote them; for a series, those of the frame
    /// shown (the slider moves them along) and those of the handout's still, all frames
    /// in one figure.
    static func figureNode(_ figure: RenderedFigure, number: Int?, run: RunFolder) throws -> Node<HTML.BodyContext> {
        _ = try run.figureFile(figure)
        let frames = figure.frames ?? []
        for frame in frames { _ = try run.figureFile(path: frame.file) }
        let shown: (file: String, width: Int, height: Int) = frames.first.map { ($0.file, $0.width, $0.height) }
            ?? (figure.file, figure.width, figure.height)
        let lead = number.map { "Figure \($0). " } ?? "Gallery figure. "
        return .element(named: "figure", nodes: [
            .attribute(named: "id", value: number.map { "figure-\($0)" } ?? "figure-\(figure.id ?? figure.kind)"),
            .if(frames.count > 1, .attribute(named: "class", value: "series")),
            .if(frames.count > 1, .attribute(named: "data-frames", value: FrameSlider.dataAttribute(frames, run: run))),
            .img(.attribute(named: "src", value: HTMLAttribute.relativeURL(shown.file)),
                 .attribute(named: "alt", value: HTMLAttribute.escaped(figure.caption)),
                 .width(shown.width), .height(shown.height)),
            .if(frames.count > 1, FrameSlider.controls(frames)),
            .element(named: "figcaption", nodes: [.b(.text(lead)), .text(figure.caption)]),
            frames.count > 1 ? FrameSlider.versionLinks(frames, still: run.vectorVersions(of: figure), run: run)
                : versionLinks(run.vectorVersions(of: figure)),
        ])
    }

    /// `Also as SVG · PDF`, each a link to the file; nothing when there are none.
    static func versionLinks(_ versions: [(format: FigureFormat, file: String)]) -> Node<HTML.BodyContext> {
        .if(!versions.isEmpty, .p(.class("formats"), .text("Also as "), .group(versions.enumerated().map { i, version in
            .group(.if(i > 0, .text(" · ")),
                   .a(.href(HTMLAttribute.relativeURL(version.file)), .text(version.format.rawValue.uppercased())))
        })))
    }
}
