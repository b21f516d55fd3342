import NeuralNet
import Render
import Tensor
import XCTest
@testable import Lessons

/// The cnn-mnist saliency figure: per probe digit, the gradient of the trained model's
/// predicted class score, titled with the probe's true class, the prediction and its
/// probability.
final class CNNMnistSaliencyTests: XCTestCase {
    func testRowsShowThePredictedScoresGradientWithTrueClassAndPrediction() throws {
        let run = try LessonQuickRun("cnn-mnist", render: false)
        defer { run.remove() }
        let trace = try TraceFigures(traceFolder: run.traces[0].folder)
        let map = try XCTUnwrap(try trace.saliency() as? SaliencyMap)
        XCTAssertEqual(map.quantity, "|∂z/∂x|")
        XCTAssertEqual(map.examples.count, 6)

        let probe = try trace.probeStep().input.slice(0..<6)
        let expected = try trace.model().classScoreGradient(probe)
        let p = softmax(expected.logits)
        for (i, example) in map.examples.enumerated() {
            let k = expected.predicted[i]
            XCTAssertEqual(example.gradient.values, expected.gradient.slice(i).scalars, "probe \(i)")
            // The image probe is the first test digit of each class, in class order.
            let confidence = Ticks.compact(Double(p.scalars[i * 10 + k]), digits: 3)
            XCTAssertEqual(example.caption, "true \(i) · predicted \(k) (p = \(confidence))")
            XCTAssertEqual(example.isMistake, k != i)
            XCTAssertGreaterThan(map.colorScales[i].upper, 0)
        }
    }
}
