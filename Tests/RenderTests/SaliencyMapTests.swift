import XCTest
import Render

final class SaliencyMapTests: XCTestCase {
    /// A gradient that is large on the strokes and has both signs, scaled by `size`.
    private func example(_ variant: Int, size: Float = 1) throws -> SaliencyMap.Example {
        let image = Synthetic.digit(variant: variant)
        let gradient = try FloatArray(shape: image.shape, values: image.values.enumerated().map { i, v in
            size * (v * (i % 2 == 0 ? 0.8 : -0.5) + 0.02) })
        return .init(image: image, gradient: gradient, caption: "true \(variant) · predicted \(variant) (p = 0.98)")
    }

    func testSaliencyRowsMatchGolden() throws {
        let map = try SaliencyMap(title: "Which pixels change the score", examples: [example(0), example(1, size: 0.001)],
                                  quantity: "|∂z/∂x|")
        try Golden.assertMatches(map, named: "saliency")
    }

    /// Rows whose gradients differ a thousandfold are each read on their own scale.
    func testEachExampleHasItsOwnScaleFromZeroToItsLargestAbsoluteGradient() throws {
        let examples = [try example(0), try example(1, size: 0.001)]
        let map = try SaliencyMap(title: "t", examples: examples, quantity: "|∂z/∂x|")
        XCTAssertEqual(map.colorScales.count, 2)
        for (scale, e) in zip(map.colorScales, examples) {
            XCTAssertEqual(scale.lower, 0)
            XCTAssertEqual(scale.upper, Double(e.gradient.values.map(abs).max()!))
        }
        XCTAssertEqual(map.colorScales[1].upper / map.colorScales[0].upper, 0.001, accuracy: 3e-4)
    }

    func testMismatchedGradientThrows() throws {
        let bad = SaliencyMap.Example(image: Synthetic.digit(), gradient: Synthetic.digit(size: 14), caption: "")
        XCTAssertThrowsError(try SaliencyMap(title: "t", examples: [bad], quantity: "q"))
        XCTAssertThrowsError(try SaliencyMap(title: "t", examples: [], quantity: "q"))
    }
}
