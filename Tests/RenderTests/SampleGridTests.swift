import XCTest
@testable import Render

final class SampleGridTests: XCTestCase {
    func testPredictionsWithMistakesMatchGolden() throws {
        let names = ["zero", "one"]
        let samples = (0..<8).map { i in
            SampleGrid.Sample(image: Synthetic.digit(variant: i % 2), trueClass: i % 2,
                              predictedClass: i == 3 || i == 6 ? 1 - i % 2 : i % 2, confidence: 0.5 + Double(i) / 20)
        }
        let grid = try SampleGrid(title: "Test images and predictions", samples: samples, classNames: names)
        try Golden.assertMatches(grid, named: "sample-grid")
    }

    func testMistakesAreFramedInTheMistakeColour() throws {
        let names = ["zero", "one"]
        let right = try SampleGrid(title: "t", samples: [.init(image: Synthetic.digit(), trueClass: 0, predictedClass: 0)], classNames: names)
        let wrong = try SampleGrid(title: "t", samples: [.init(image: Synthetic.digit(), trueClass: 0, predictedClass: 1)], classNames: names)
        let vermillion: UInt32 = 0xFFD5_5E00
        XCTAssertFalse(try Pixels.render(right).pixels.contains(vermillion))
        XCTAssertTrue(try Pixels.render(wrong).pixels.contains(vermillion))
    }

    func testWordWrapKeepsEveryLineWithinTheWidth() throws {
        let theme = Theme.standard, style = TextStyle(size: theme.smallSize, bold: true)
        let canvas = try ImageCanvas(size: Size(1, 1), scale: 1, theme: theme).canvas
        let line = "pred: triangle (0.97)"
        XCTAssertGreaterThan(canvas.measure(line, style).width, 120, "the test needs a line wider than the width")
        let lines = WordWrap.lines(line, width: 120, style: style, theme: theme)
        XCTAssertEqual(lines, ["pred: triangle", "(0.97)"])
        for l in lines { XCTAssertLessThanOrEqual(canvas.measure(l, style).width, 120) }
        XCTAssertEqual(WordWrap.lines("pred: 7 (0.97)", width: 200, style: style, theme: theme), ["pred: 7 (0.97)"])
    }

    func testLongClassNamesWrapAndMakeTheCaptionsTaller() throws {
        func grid(_ names: [String]) throws -> SampleGrid {
            try SampleGrid(title: "t", samples: (0..<8).map { _ in SampleGrid.Sample(image: Synthetic.digit(), trueClass: 0, predictedClass: 1, confidence: 0.97) },
                           classNames: names)
        }
        let short = try grid(["a", "b"]).height(forWidth: 800, theme: .standard)
        let long = try grid(["square", "triangle"]).height(forWidth: 800, theme: .standard)
        XCTAssertGreaterThan(long, short, "a wrapped caption takes more lines under its tile")
    }

    func testBadSamplesThrow() {
        XCTAssertThrowsError(try SampleGrid(title: "t", samples: [], classNames: ["a"]))
        XCTAssertThrowsError(try SampleGrid(title: "t", samples: [.init(image: Synthetic.digit(), trueClass: 3)], classNames: ["a"]))
    }
}
