import Foundation
import XCTest
@testable import Lessons

/// FIGURES.md: "in the handout, a figure's smallest text prints at 7 pt or more". The
/// printed size is the figure's smallest text (points of its 800-pt layout, measured as
/// it is drawn) times the width the handout prints it at over 800. Issue 20: each figure
/// also prints on the page of the paragraph before its marker or the next one, and no
/// page but the last leaves more than 30 % of its column empty.
final class HandoutPrintSizeTests: XCTestCase {
    /// Quick-runs `lesson`, writes its handout and fails for each figure whose smallest
    /// text prints under 7 pt or that lands more than a page from its paragraph, and for
    /// each page but the last that is more than 30 % empty.
    private func assertHandoutTextPrintsAtSevenPointsOrMore(_ lesson: String) throws {
        let run = try LessonQuickRun(lesson)
        defer { run.remove() }
        let catalog = try LessonCatalog.locate()
        let report = try Handout.write(spec: try catalog.spec(lesson), summary: run.summary,
                                       lessonFolder: try catalog.lessonFolder(lesson), runFolder: run.runFolder)
        XCTAssertFalse(report.figures.isEmpty, "\(lesson) prints figures")
        for figure in report.figures {
            XCTAssertNotNil(figure.smallestText, "\(lesson) \(figure.file): the summary records its smallest text")
        }
        XCTAssertEqual(report.figuresWithSmallText, [], "\(lesson): text under 7 pt in print\n" + report.lines.joined(separator: "\n"))
        XCTAssertEqual(report.figuresAwayFromTheirParagraph, [],
                       "\(lesson): figures more than a page from their paragraph\n" + report.lines.joined(separator: "\n"))
        XCTAssertEqual(report.pagesLeftEmpty, [],
                       "\(lesson): pages more than 30 % empty\n" + report.lines.joined(separator: "\n"))
    }

    func testCNNHandoutPrintsEveryFiguresTextAtSevenPointsOrMore() throws {
        try assertHandoutTextPrintsAtSevenPointsOrMore("cnn-mnist")
    }

    /// The stage graphs are wider than the page: their text is sized so that it still
    /// prints at 7 pt once the graph is scaled to fit.
    func testBackpropHandoutPrintsEveryFiguresTextAtSevenPointsOrMore() throws {
        try assertHandoutTextPrintsAtSevenPointsOrMore("backprop-by-hand")
    }

    func testNeuronActivationsHandoutPrintsEveryFiguresTextAtSevenPointsOrMore() throws {
        try assertHandoutTextPrintsAtSevenPointsOrMore("neuron-activations")
    }

    /// The sweep's heatmap prints its values only in rows tall enough for 7 pt.
    func testWorkflowHandoutPrintsEveryFiguresTextAtSevenPointsOrMore() throws {
        try assertHandoutTextPrintsAtSevenPointsOrMore("workflow")
    }

    /// Every lesson of the catalog, quick-run one after another (about a minute on two
    /// cores), when `CHECK_ALL_HANDOUTS=1`: a check to run before a merge that changes
    /// figures, too slow for every test run.
    func testEveryLessonsHandoutPrintsItsTextAtSevenPointsOrMore() throws {
        guard ProcessInfo.processInfo.environment["CHECK_ALL_HANDOUTS"] == "1" else {
            throw XCTSkip("set CHECK_ALL_HANDOUTS=1 to quick-run every lesson")
        }
        for lesson in try LessonCatalog.locate().names { try assertHandoutTextPrintsAtSevenPointsOrMore(lesson) }
    }
}
