import XCTest
import Render

final class SaliencyMapTests: XCTestCase {
    private func example(_ variant: Int) throws -> SaliencyMap.Example {
        let image = Synthetic.digit(variant: variant)
        // A gradient that is large on the strokes and has both signs.
        let gradient = try FloatArray(shape: image.shape, values: image.values.enumerated().map { i, v in
            v * (i % 2 == 0 ? 0.8 : -0.5) + 0.02 })
        return .init(image: image, gradient: gradient, caption: "true 0, predicted \(variant)")
    }

    func testSaliencyRowsMatchGolden() throws {
        let map = try SaliencyMap(title: "Which pixels change the loss", examples: [example(0), example(1)])
        try Golden.assertMatches(map, named: "saliency")
    }

    func testScaleRunsFromZeroToLargestAbsoluteGradient() throws {
        let map = try SaliencyMap(title: "t", examples: [example(0)])
        XCTAssertEqual(map.colorScale.lower, 0)
        XCTAssertEqual(map.colorScale.upper, Double(try example(0).gradient.values.map(abs).max()!))
    }

    func testMismatchedGradientThrows() throws {
        let bad = SaliencyMap.Example(image: Synthetic.digit(), gradient: Synthetic.digit(size: 14), caption: "")
        XCTAssertThrowsError(try SaliencyMap(title: "t", examples: [bad]))
        XCTAssertThrowsError(try SaliencyMap(title: "t", examples: []))
    }
}
