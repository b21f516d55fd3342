import Foundation
import Plot

/// `output/index.html`: every lesson run in the output folder (each subfolder holding a
/// `summary.json`), in teaching order (the lessons folder's `curriculum.yaml`, then the
/// other runs by folder name), as a card with a thumbnail (its first figure,
/// scaled by CSS), the title linking to the run's page, and its test result. Nothing
/// in it depends on the clock, so the same runs give the same bytes.
public enum GalleryIndex {
    /// Writes `outputRoot/index.html` and returns the run folder names it links.
    /// Hidden folders (a run still being written is `.NAME.partial`) are skipped, and so
    /// is a folder whose `summary.json` does not decode (it cannot be shown).
    @discardableResult
    public static func write(outputRoot: URL, teachingOrder: [String] = LessonCatalog.shippedTeachingOrder) throws -> [String] {
        let runs = self.runs(in: outputRoot, teachingOrder: teachingOrder)
        let document = HTML(
            .lang(.english),
            .head(.encoding(.utf8), .viewport(.accordingToDevice), .element(named: "title", text: "Lessons"), .style(GalleryStyle.css)),
            .body(.main(
                .h1(.text("Lessons")),
                .if(runs.isEmpty, .p(.text("No lesson runs yet: run `learn lesson NAME` first."))),
                .ul(.class("runs"), .forEach(runs) { .li(card($0)) })
            ))
        )
        try writeAtomically(document.render(indentedBy: .spaces(1)) + "\n",
                            to: outputRoot.appendingPathComponent("index.html"))
        return runs.map { $0.url.lastPathComponent }
    }

    static func runs(in root: URL, teachingOrder: [String]) -> [RunFolder] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        let runs = names.filter { !$0.hasPrefix(".") }.sorted().compactMap {
            try? RunFolder.load(root.appendingPathComponent($0, isDirectory: true))
        }
        // A run folder is usually named after its lesson; order by the lesson, then the folder.
        let lessons = LessonCatalog.teachingOrder(of: Array(Set(runs.map(\.summary.lesson))), curriculum: teachingOrder)
        let rank = Dictionary(uniqueKeysWithValues: lessons.enumerated().map { ($1, $0) })
        return runs.enumerated().sorted { a, b in
            let (x, y) = (rank[a.element.summary.lesson]!, rank[b.element.summary.lesson]!)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    static func card(_ run: RunFolder) -> Node<HTML.BodyContext> {
        let name = run.url.lastPathComponent
        let page = FileManager.default.fileExists(atPath: run.url.appendingPathComponent(GalleryPage.fileName).path)
            ? "\(name)/\(GalleryPage.fileName)" : nil
        let thumbnail = run.summary.figures.first { (try? run.figureFile($0)) != nil }
        let summary = run.summary
        return .group(
            link(to: page, thumbnail.map { figure -> Node<HTML.BodyContext> in
                .img(.attribute(named: "src", value: HTMLAttribute.relativeURL("\(name)/\(figure.file)")),
                     .attribute(named: "alt", value: HTMLAttribute.escaped(figure.caption)),
                     .width(figure.width), .height(figure.height))
            } ?? .div(.class("placeholder"), .text("no figures"))),
            .h2(link(to: page, .text(summary.title))),
            .p(.text("\(name) · \(KeyResults.headline(summary)) · \(summary.history.count) epochs · \(summary.dataset)")),
            .if(page == nil, .p(.text("No gallery page: this run was made with --no-render.")))
        )
    }

    private static func link(to page: String?, _ content: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        guard let page else { return content }
        return .element(named: "a", nodes: [.attribute(named: "href", value: HTMLAttribute.relativeURL(page)), content])
    }
}
