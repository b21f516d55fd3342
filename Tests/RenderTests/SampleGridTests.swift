import XCTest
import Render

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

    func testBadSamplesThrow() {
        XCTAssertThrowsError(try SampleGrid(title: "t", samples: [], classNames: ["a"]))
        XCTAssertThrowsError(try SampleGrid(title: "t", samples: [.init(image: Synthetic.digit(), trueClass: 3)], classNames: ["a"]))
    }
}
