import Foundation
import NeuralNet
import Render
import XCTest
@testable import Lessons

/// A lesson folder and a finished run folder in a temporary directory, as a lesson run
/// leaves them, built without training: small Heatmap PNGs and a summary.
struct PublishFixture {
    static let title = "Digits <script>alert(1)</script> & more"
    static let handoutCaption = "Filters \"before\" & <b>after</b> training"
    static let galleryOnlyCaption = "Gradient norms per layer (gallery only)"
    static let seriesCaption = "The boundary over training"
    static let seriesLabels = ["step 0", "step <5> & \"more\"", "trained"]

    let root: URL
    let lessonFolder: URL
    let outputRoot: URL
    let runFolder: URL
    let spec: LessonSpec
    let summary: LessonRunSummary

    init(narrative: String = PublishFixture.narrative) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID().uuidString)")
        lessonFolder = root.appendingPathComponent("lessons/demo")
        outputRoot = root.appendingPathComponent("output")
        runFolder = outputRoot.appendingPathComponent("demo")
        let fm = FileManager.default
        try fm.createDirectory(at: lessonFolder, withIntermediateDirectories: true)
        try fm.createDirectory(at: runFolder.appendingPathComponent("figures"), withIntermediateDirectories: true)
        try narrative.write(to: lessonFolder.appendingPathComponent("intro.md"), atomically: true, encoding: .utf8)
        try "## Exercises\n\n1. Train for **ten** epochs.\n2. Halve the learning rate.\n"
            .write(to: lessonFolder.appendingPathComponent("exercises.md"), atomically: true, encoding: .utf8)
        spec = try LessonSpecParser.parse(yaml: Self.yaml, file: "lessons/demo/lesson.yaml", name: "demo")
        var figures: [RenderedFigure] = []
        for (index, (caption, handout)) in [(Self.handoutCaption, true), (Self.galleryOnlyCaption, false)].enumerated() {
            let file = "figures/0\(index + 1)-heatmap.png"
            let heatmap = try Heatmap(title: "Figure \(index + 1)", values: FloatArray(rows: [[0, 1, 2], [3, Float(index), 5]]))
            try heatmap.writePNG(to: runFolder.appendingPathComponent(file).path, width: 320, scale: 1)
            let image = try RasterImage(contentsOfPNG: runFolder.appendingPathComponent(file).path)
            figures.append(RenderedFigure(file: file, kind: "heatmap", caption: caption, handout: handout,
                                          width: image.width, height: image.height, id: spec.figures[index].id))
        }
        // A frame series: three frames of different sizes, and a still of small multiples.
        var frames: [RenderedFigure.Frame] = []
        for (k, label) in Self.seriesLabels.enumerated() {
            let file = "figures/03-series-frame\(k).png"
            try Heatmap(title: label, values: FloatArray(rows: [[0, Float(k)], [2, 3]]))
                .writePNG(to: runFolder.appendingPathComponent(file).path, width: 300 + 20 * Double(k), scale: 1)
            let image = try RasterImage(contentsOfPNG: runFolder.appendingPathComponent(file).path)
            frames.append(.init(file: file, label: label, width: image.width, height: image.height))
        }
        try Heatmap(title: "still", values: FloatArray(rows: [[0, 1], [2, 3]]))
            .writePNG(to: runFolder.appendingPathComponent("figures/03-series.png").path, width: 320, scale: 1)
        figures.append(RenderedFigure(file: "figures/03-series.png", kind: "decision-boundary", caption: Self.seriesCaption,
                                      handout: true, width: 320, height: 200, id: spec.figures[2].id, frames: frames))
        // EpochMetrics has no public initializer; summaries hold its JSON form.
        let history = try JSONDecoder().decode([EpochMetrics].self, from: Data("""
            [{"epoch": 1, "loss": 0.9, "accuracy": 0.6, "seconds": 1.5},
             {"epoch": 2, "loss": 0.5, "accuracy": 0.75, "seconds": 1.4}]
            """.utf8))
        summary = LessonRunSummary(lesson: "demo", title: spec.title, dataset: "mnist", trainExamples: 400,
                                   testExamples: 100, epochs: 2, batchSize: 64, learningRate: 0.001, seed: 42,
                                   threads: 2, steps: 14, testLoss: 0.61, testAccuracy: 0.75,
                                   history: history, divergence: nil,
                                   phaseSeconds: ["training": 2.9, "figures": 0.4], traceBytes: nil, figures: figures)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: runFolder.appendingPathComponent("summary.json"))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    static let yaml = """
    title: '\(title)'
    summary: A tiny run built for tests, with 3 < 4 & quotes "here".
    level: beginner
    minutes: 2
    goals:
      - Read a <heatmap> & its colour scale.
      - Explain what the second figure shows.
    data: {dataset: mnist}
    model:
      layers:
        - {type: Flatten}
        - {type: Dense, units: 10}
    training: {loss: softmax_cross_entropy, optimizer: adam}
    figures:
      - {plot: filters, caption: unused}
      - {plot: gradient-norms, caption: unused, handout: false}
      - {plot: decision-boundary, caption: unused, id: boundary}
    narrative: [intro.md]
    exercises: exercises.md
    """

    static let narrative = """
    ## What happens here

    A **convolutional** network slides a small `3 × 3` *filter* over the image; 2 < 3 & 4 > 1.

    - first bullet
    - second bullet with **bold**

    | layer | output shape |
    |---|---|
    | Conv2D | 26 × 26 × 32 |
    | Dense | 10 |

    1. one
    2. two
    """
}

final class GalleryTests: XCTestCase {
    private var fixture: PublishFixture!

    override func setUpWithError() throws { fixture = try PublishFixture() }
    override func tearDown() { fixture.remove() }

    private func writePage() throws -> String {
        try GalleryPage.write(spec: fixture.spec, summary: fixture.summary, lessonFolder: fixture.lessonFolder,
                              runFolder: fixture.runFolder)
        return try String(contentsOf: fixture.runFolder.appendingPathComponent("index.html"), encoding: .utf8)
    }

    private func attributeValues(_ name: String, in html: String) throws -> [String] {
        let regex = try NSRegularExpression(pattern: " \(name)=\"([^\"]*)\"")
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range(at: 1), in: html)!])
        }
    }

    func testPageEscapesEverythingTakenFromTheLessonFile() throws {
        let html = try writePage()
        XCTAssert(html.contains("<h1>Digits &lt;script&gt;alert(1)&lt;/script&gt; &amp; more</h1>"), html)
        XCTAssert(html.contains("<title>Digits &lt;script&gt;"), html)
        XCTAssertFalse(html.contains("<script>alert"), "a lesson title must never become a script element")
        XCTAssert(html.contains("Read a &lt;heatmap&gt; &amp; its colour scale."), html)
        XCTAssert(html.contains("alt=\"Filters &quot;before&quot; &amp; &lt;b&gt;after&lt;/b&gt; training\""), html)
        XCTAssertFalse(html.contains("<b>after</b>"), "a caption's tags are shown, not applied")
    }

    func testHTMLInALessonsMarkdownNeverBecomesLiveMarkup() throws {
        fixture.remove()
        fixture = try PublishFixture(narrative: """
            ## Hostile

            [click](javascript:alert(1)) and [fine](https://example.org)

            <script>alert(1)</script>

            <div style="position:fixed" onclick="alert(1)">covered</div>

            <img src=x onerror=alert(1)>

            </section></main><a href="&#106;avascript:alert(1)">unclosed
            """)
        // The page's own slider script is the fixed constant; nothing else may run.
        let html = try writePage().replacingOccurrences(of: "<script>" + FrameSlider.script + "</script>", with: "")
        for forbidden in ["<script", "onerror", "onclick", "javascript:", "position:fixed", "&#106;"] {
            XCTAssertFalse(html.contains(forbidden), "\(forbidden) in the page")
        }
        XCTAssert(html.contains("<a>click</a> and <a href=\"https://example.org\">fine</a>"), html)
        XCTAssert(html.contains("covered"), "the text of a dropped element stays")
        XCTAssertEqual(html.components(separatedBy: "</main>").count, 2, "the author cannot close the page's main")
        XCTAssert(html.contains("<section class=\"exercises\">"), "the page goes on after the narrative")
    }

    func testEveryImageOnThePageIsAFileInTheRunFolderWithItsSize() throws {
        let html = try writePage()
        let sources = try attributeValues("src", in: html)
        // A series shows its first frame; the others are in its data-frames list.
        let shown = fixture.summary.figures.map { $0.frames?.first.map { ($0.file, $0.width, $0.height) } ?? ($0.file, $0.width, $0.height) }
        XCTAssertEqual(sources, shown.map(\.0))
        for source in sources {
            XCTAssert(FileManager.default.fileExists(atPath: fixture.runFolder.appendingPathComponent(source).path), source)
        }
        XCTAssertEqual(try attributeValues("width", in: html), shown.map { "\($0.1)" })
        XCTAssertEqual(try attributeValues("height", in: html), shown.map { "\($0.2)" })
    }

    func testPageNeedsNothingFromTheNetwork() throws {
        let html = try writePage()
        for forbidden in ["http://", "https://", "<link", "@import", "url(", "<script src"] {
            XCTAssertFalse(html.contains(forbidden), forbidden)
        }
        XCTAssert(html.contains("<style>"), "the stylesheet is inline")
    }

    /// The one script is the fixed slider; the frames reach it as an escaped JSON attribute.
    func testFrameSeriesIsOneFigureWithASliderOverItsFrames() throws {
        let html = try writePage()
        XCTAssertEqual(html.components(separatedBy: "<script").count - 1, 1, "one script on the page")
        XCTAssert(html.contains("<script>" + FrameSlider.script + "</script>"), "the script is the fixed constant")
        let frames = try XCTUnwrap(try attributeValues("data-frames", in: html).first)
        XCTAssertFalse(frames.contains("\"") || frames.contains("<"), frames)
        let decoded = try JSONSerialization.jsonObject(with: Data(HTMLToken.decodeEntities(frames).utf8)) as? [[String: Any]]
        XCTAssertEqual(decoded?.map { $0["label"] as? String }, PublishFixture.seriesLabels)
        XCTAssertEqual(decoded?.map { $0["src"] as? String }, fixture.summary.figures[2].frames?.map(\.file))
        XCTAssert(html.contains("<input type=\"range\" min=\"0\" max=\"2\""), html)
        XCTAssert(html.contains("<output>step 0 (1 of 3)</output>"), html)
        XCTAssertEqual(html.components(separatedBy: "<figure").count - 1, 3, "a series is one figure")
    }

    /// Without markers the figures follow the narrative; a marker puts one right after its
    /// paragraph. Numbers count handout figures, so the gallery-only one has none.
    func testMarkerPlacesAFigureBesideItsParagraphWithTheHandoutsNumber() throws {
        fixture.remove()
        fixture = try PublishFixture(narrative: "The boundary moves.\n\n{{figure: boundary}}\n\nMore text after it.\n")
        let html = try writePage()
        let order = ["The boundary moves.", "Figure 1. ", PublishFixture.seriesCaption, "More text after it.",
                     "More figures", "Figure 2. ", "Gallery figure. ", PublishFixture.galleryOnlyCaption, "Exercises"]
        var previous = html.startIndex
        for piece in order {
            guard let range = html.range(of: piece, range: previous..<html.endIndex) else {
                return XCTFail("'\(piece)' missing or out of order in\n\(html)")
            }
            previous = range.upperBound
        }
        XCTAssertFalse(html.contains("{{figure"), "the marker itself is not shown")
    }

    func testMarkerNamingNoFigureIsAnErrorWithFileAndLine() throws {
        fixture.remove()
        fixture = try PublishFixture(narrative: "Text.\n\n{{figure: boundry}}\n")
        XCTAssertThrowsError(try writePage()) { error in
            XCTAssertEqual("\(error)", fixture.lessonFolder.appendingPathComponent("intro.md").path
                           + ":3: no figure 'boundry' in lesson.yaml (ids: filters, gradient-norms, boundary)")
        }
    }

    func testSummaryWithoutIdsOrFramesStillReads() throws {
        let old = #"{"file": "figures/01-a.png", "kind": "curves", "caption": "c", "handout": true, "width": 4, "height": 3}"#
        let figure = try JSONDecoder().decode(RenderedFigure.self, from: Data(old.utf8))
        XCTAssertNil(figure.id)
        XCTAssertNil(figure.frames)
    }

    func testPageShowsResultsNarrativeFiguresInLessonOrderThenExercises() throws {
        let html = try writePage()
        let order = ["Learning goals", "Key results", "75.0 %", "2.9 s", "<strong>convolutional</strong>",
                     "<code>3 × 3</code>", "<th>layer</th>", "Figure 1. ", "Gallery figure. ",
                     PublishFixture.galleryOnlyCaption, "Figure 2. ", PublishFixture.seriesCaption, "Exercises",
                     "<strong>ten</strong>"]
        var previous = html.startIndex
        for piece in order {
            guard let range = html.range(of: piece, range: previous..<html.endIndex) else {
                return XCTFail("'\(piece)' missing or out of order")
            }
            previous = range.upperBound
        }
    }

    func testPageLinksTheHandoutOnlyWhenItExists() throws {
        XCTAssertFalse(try writePage().contains("href=\"handout.pdf\""))
        try Handout.write(spec: fixture.spec, summary: fixture.summary, lessonFolder: fixture.lessonFolder,
                          runFolder: fixture.runFolder)
        XCTAssert(try writePage().contains("href=\"handout.pdf\""))
    }

    func testPageLinksAFiguresSVGAndPDFOnlyWhenTheyExist() throws {
        XCTAssertFalse(try writePage().contains("class=\"formats\""))
        let heatmap = try Heatmap(title: "Figure 1", values: FloatArray(rows: [[0, 1, 2], [3, 0, 5]]))
        try heatmap.write(.svg, to: fixture.runFolder.appendingPathComponent("figures/01-heatmap.svg").path, width: 320)
        try heatmap.write(.pdf, to: fixture.runFolder.appendingPathComponent("figures/01-heatmap.pdf").path, width: 320)
        try heatmap.write(.pdf, to: fixture.runFolder.appendingPathComponent("figures/03-series.pdf").path, width: 320)
        let html = try writePage()
        XCTAssert(html.contains("<a href=\"figures/01-heatmap.svg\">SVG</a>"), html)
        XCTAssert(html.contains("<a href=\"figures/01-heatmap.pdf\">PDF</a>"), html)
        XCTAssert(html.contains("<a href=\"figures/03-series.pdf\">PDF</a>"), html)
        XCTAssertFalse(html.contains("02-heatmap.svg") || html.contains("02-heatmap.pdf") || html.contains("03-series.svg"))
    }

    /// A series links the SVG of the frame shown (the slider moves the link along, from
    /// each frame's `vectors`) and, apart, the still that holds all frames.
    func testSeriesLinksTheShownFramesVectorFileAndTheStill() throws {
        let frames = try XCTUnwrap(fixture.summary.figures[2].frames)
        let heatmap = try Heatmap(title: "Frame", values: FloatArray(rows: [[0, 1], [2, 3]]))
        let stems = frames.map { ($0.file as NSString).deletingPathExtension } + ["figures/03-series"]
        for stem in stems {
            try heatmap.write(.svg, to: fixture.runFolder.appendingPathComponent(stem + ".svg").path, width: 320)
        }
        let html = try writePage()
        XCTAssert(html.contains("This frame also as "), html)
        XCTAssert(html.contains("<a href=\"\(stems[0]).svg\" data-format=\"svg\">SVG</a>"), html)
        XCTAssert(html.contains("all frames in one figure: "), html)
        XCTAssert(html.contains("<a href=\"figures/03-series.svg\">SVG</a>"), html)
        let data = try XCTUnwrap(try attributeValues("data-frames", in: html).first)
        let decoded = try JSONSerialization.jsonObject(with: Data(HTMLToken.decodeEntities(data).utf8)) as? [[String: Any]]
        XCTAssertEqual(decoded?.map { ($0["vectors"] as? [String: String])?["svg"] }, frames.indices.map { stems[$0] + ".svg" })
    }

    func testMissingNarrativeFileIsNamed() throws {
        try FileManager.default.removeItem(at: fixture.lessonFolder.appendingPathComponent("intro.md"))
        XCTAssertThrowsError(try writePage()) { error in
            XCTAssertEqual(error as? PublishError,
                           .missingLessonFile(fixture.lessonFolder.appendingPathComponent("intro.md").path))
        }
    }

    func testNarrativeOutsideTheLessonFolderIsRefused() throws {
        var spec = fixture.spec
        spec.narrative = ["../../output/demo/summary.json"]
        XCTAssertThrowsError(try Handout.write(spec: spec, summary: fixture.summary, lessonFolder: fixture.lessonFolder,
                                               runFolder: fixture.runFolder)) { error in
            XCTAssertEqual(error as? PublishError, .invalidLessonFileName("../../output/demo/summary.json"))
        }
    }

    func testMissingFigureIsAnErrorNotABrokenImage() throws {
        try FileManager.default.removeItem(at: fixture.runFolder.appendingPathComponent(fixture.summary.figures[1].file))
        XCTAssertThrowsError(try writePage()) { error in
            XCTAssert("\(error)".contains("02-heatmap.png"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.runFolder.appendingPathComponent("index.html").path))
    }

    func testIndexLinksEveryFinishedRunWithAThumbnail() throws {
        let fm = FileManager.default
        _ = try writePage()
        try fm.copyItem(at: fixture.runFolder, to: fixture.outputRoot.appendingPathComponent("second"))
        try fm.copyItem(at: fixture.runFolder, to: fixture.outputRoot.appendingPathComponent(".third.partial"))
        try fm.createDirectory(at: fixture.outputRoot.appendingPathComponent("not-a-run"), withIntermediateDirectories: true)
        XCTAssertEqual(try GalleryIndex.write(outputRoot: fixture.outputRoot), ["demo", "second"])
        let html = try String(contentsOf: fixture.outputRoot.appendingPathComponent("index.html"), encoding: .utf8)
        let links = try attributeValues("href", in: html)
        XCTAssertEqual(Set(links), ["demo/index.html", "second/index.html"])
        let thumbnails = try attributeValues("src", in: html)
        XCTAssertEqual(thumbnails, ["demo/figures/01-heatmap.png", "second/figures/01-heatmap.png"])
        for path in thumbnails + links {
            XCTAssert(fm.fileExists(atPath: fixture.outputRoot.appendingPathComponent(path).path), path)
        }
        XCTAssert(html.contains("Digits &lt;script&gt;"), html)
        XCTAssertFalse(html.contains("<script"))
        XCTAssertEqual(html.components(separatedBy: "test accuracy 75.0 %").count - 1, 2)
    }

    func testIndexListsRunsInTeachingOrderThenByName() throws {
        let fm = FileManager.default
        _ = try writePage()
        for (folder, lesson) in [("a-run", "later"), ("b-run", "first")] {
            let copy = fixture.outputRoot.appendingPathComponent(folder)
            try fm.copyItem(at: fixture.runFolder, to: copy)
            let file = copy.appendingPathComponent("summary.json")
            var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            json["lesson"] = lesson
            try JSONSerialization.data(withJSONObject: json).write(to: file)
        }
        XCTAssertEqual(try GalleryIndex.write(outputRoot: fixture.outputRoot, teachingOrder: ["first", "later"]),
                       ["b-run", "a-run", "demo"])
        XCTAssertEqual(try GalleryIndex.write(outputRoot: fixture.outputRoot, teachingOrder: []), ["demo", "b-run", "a-run"],
                       "without a curriculum, by lesson name")
    }

    func testIndexIsTheSameBytesForTheSameRuns() throws {
        try GalleryIndex.write(outputRoot: fixture.outputRoot)
        let first = try Data(contentsOf: fixture.outputRoot.appendingPathComponent("index.html"))
        try GalleryIndex.write(outputRoot: fixture.outputRoot)
        XCTAssertEqual(first, try Data(contentsOf: fixture.outputRoot.appendingPathComponent("index.html")))
    }

    /// Runs `check_gallery.sh` (headless Chromium) on the fixture's output; skipped when
    /// no chromium is installed (the script exits 77).
    func testPagesShowEveryImageInAHeadlessBrowser() throws {
        _ = try writePage()
        try GalleryIndex.write(outputRoot: fixture.outputRoot)
        let check = try GalleryBrowserCheck.run(outputRoot: fixture.outputRoot)
        if check.status == 77 { throw XCTSkip("chromium is not installed") }
        let status = try XCTUnwrap(check.status, "check_gallery.sh was still running after \(Int(check.seconds)) s; stopped")
        XCTAssertEqual(status, 0, check.output)
        XCTAssert(check.output.contains("index.html: images=1 broken=0 series=0 sliders=ok"), check.output)
        XCTAssert(check.output.contains("demo/index.html: images=3 broken=0 series=1 sliders=ok"), check.output)
    }

    /// A page whose script never returns keeps headless Chromium waiting forever; the
    /// check must report it as failed once the per-page limit has passed.
    func testBrowserCheckOfAPageThatNeverFinishesFailsWithinItsLimit() throws {
        let folder = fixture.root.appendingPathComponent("hanging")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "<!DOCTYPE html><html><body><p>busy</p><script>while (true) {}</script></body></html>"
            .write(to: folder.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let check = try GalleryBrowserCheck.run(outputRoot: folder, pageSeconds: 3, deadline: 60)
        if check.status == 77 { throw XCTSkip("chromium is not installed") }
        let status = try XCTUnwrap(check.status, "check_gallery.sh ignored its 3 s limit and was stopped after 60 s")
        XCTAssertEqual(status, 1, check.output)
        XCTAssert(check.output.contains("index.html: timed out after 3 s"), check.output)
        XCTAssertLessThan(check.seconds, 20, "the check ends soon after the page's limit")
    }
}
