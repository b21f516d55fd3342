import Foundation
import Plot

/// `output/NAME/index.html`: one lesson run as a self-contained page — title, summary,
/// goals, key results, the narrative (Markdown through Ink), every figure in lesson order
/// with its caption, and the exercises. Opens offline from the file system: the style is
/// inline, images are relative paths into `figures/`, there are no scripts.
///
/// A lesson folder is untrusted input (teachers share them), so nothing in it becomes live
/// markup. Everything taken from `lesson.yaml` or `summary.json` is a Plot text node
/// (escaped) or an attribute escaped here (Plot writes attribute values verbatim, which is
/// also why the page's `<title>` is a plain element: Plot's `.title` copies it into
/// `<meta content>`). The Markdown files go through Ink and then `SafeHTML`, which keeps
/// only the markup Markdown produces: HTML written into the Markdown cannot add scripts,
/// event handlers, styles or `javascript:` links.
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
        let figures = try run.summary.figures.enumerated().map { index, figure in
            try figureNode(figure, number: index + 1, run: run)
        }
        let hasHandout = FileManager.default.fileExists(atPath: run.url.appendingPathComponent(Handout.fileName).path)
        let document = HTML(
            .lang(.english),
            .head(.encoding(.utf8), .viewport(.accordingToDevice), .element(named: "title", text: spec.title), .style(GalleryStyle.css)),
            .body(.main(
                .p(.class("crumbs"), .a(.href("../index.html"), .text("All lessons")),
                   .if(hasHandout, .group(.text(" · "), .a(.href(Handout.fileName), .text("Printable handout (PDF)"))))),
                .h1(.text(spec.title)),
                .p(.class("summary"), .text(spec.summary)),
                .p(.class("meta"), .text(metaLine(spec))),
                .h2(.text("Learning goals")),
                .ul(.forEach(spec.goals) { .li(.text($0)) }),
                .h2(.text("Key results")),
                resultsTable(KeyResults(summary: run.summary)),
                runsTable(RunsTable(spec: spec, summary: run.summary)),
                .forEach(texts.narrative) { .section(.class("narrative"), .raw(SafeHTML.html(markdown: $0))) },
                .if(!figures.isEmpty, .group(.h2(.text("Figures")), .group(figures))),
                .unwrap(texts.exercises) { .section(.class("exercises"), .raw(SafeHTML.html(markdown: $0))) }
            ))
        )
        return document.render(indentedBy: .spaces(1)) + "\n"
    }

    /// `Level: beginner · about 2 minutes`.
    static func metaLine(_ spec: LessonSpec) -> String {
        "Level: \(spec.level.rawValue) · about \(spec.minutes) minute\(spec.minutes == 1 ? "" : "s")"
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
    /// caption as both `alt` text and `<figcaption>`.
    static func figureNode(_ figure: RenderedFigure, number: Int, run: RunFolder) throws -> Node<HTML.BodyContext> {
        _ = try run.figureFile(figure)
        return .element(named: "figure", nodes: [
            .attribute(named: "id", value: "figure-\(number)"),
            .img(.attribute(named: "src", value: HTMLAttribute.relativeURL(figure.file)),
                 .attribute(named: "alt", value: HTMLAttribute.escaped(figure.caption)),
                 .width(figure.width), .height(figure.height)),
            .element(named: "figcaption", nodes: [.b(.text("Figure \(number). ")), .text(figure.caption)]),
        ])
    }
}
