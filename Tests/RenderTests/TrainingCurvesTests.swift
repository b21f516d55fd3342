import Foundation
import XCTest
import Render

final class TrainingCurvesTests: XCTestCase {
    /// 6 epochs of 20 steps: loss decays with a wiggle; validation bottoms out at epoch 4.
    static func curves(earlyStop: Int? = 6) throws -> TrainingCurves {
        let steps = 120
        let loss: [Double] = (0..<steps).map { s -> Double in
            let t = Double(s)
            let trend: Double = 2.3 * exp(-t / 35) + 0.15
            return trend + 0.12 * sin(t * 1.7)
        }
        let accuracy: [Double] = loss.map { (v: Double) -> Double in min(1, max(0, 1.05 - v / 2.5)) }
        return try TrainingCurves(
            title: "Training a small CNN", stepsPerEpoch: 20,
            loss: .init(name: "loss", trainPerStep: loss, validationPerEpoch: [1.1, 0.62, 0.44, 0.40, 0.43, 0.47], lowerIsBetter: true),
            accuracy: .init(name: "accuracy", trainPerStep: accuracy, validationPerEpoch: [0.62, 0.80, 0.86, 0.88, 0.87, 0.86], lowerIsBetter: false),
            earlyStopEpoch: earlyStop)
    }

    func testLossAndAccuracyMatchGolden() throws {
        try Golden.assertMatches(try Self.curves(), named: "training-curves")
    }

    /// An early-stopped block beside one that ran to the end: its extra legend entry
    /// takes another row at a narrow width; aligned, both reserve that row.
    func testAlignedBlocksReserveTheTallestLegend() throws {
        let (stopped, ran) = (try Self.curves(earlyStop: 6), try Self.curves(earlyStop: nil))
        let width = 420.0, theme = Theme.standard
        XCTAssertGreaterThan(stopped.height(forWidth: width, theme: theme), ran.height(forWidth: width, theme: theme),
                             "the test needs the early-stop entry to wrap at this width")
        let aligned = TrainingCurves.aligningLegends([stopped, ran])
        XCTAssertEqual(aligned[0].height(forWidth: width, theme: theme), stopped.height(forWidth: width, theme: theme))
        XCTAssertEqual(aligned[1].height(forWidth: width, theme: theme), stopped.height(forWidth: width, theme: theme))
    }

    func testBestEpochIsTheLowestValidationLoss() throws {
        XCTAssertEqual(try Self.curves().bestEpoch, 4)
    }

    func testDivergingLossStillDrawsTheFinitePart() throws {
        let loss = [2.0, 1.5, 1.2, .nan, .infinity, .nan]
        let curves = try TrainingCurves(title: "diverged", stepsPerEpoch: 3,
                                        loss: .init(name: "loss", trainPerStep: loss, validationPerEpoch: [1.3, .nan], lowerIsBetter: true))
        XCTAssertEqual(curves.bestEpoch, 1)
        XCTAssertGreaterThan(Pixels.distinctColors(try Pixels.render(curves)), 20)
    }

    func testNoDataOrBadStepsThrow() {
        let empty = TrainingCurves.Metric(name: "loss", trainPerStep: [], validationPerEpoch: [], lowerIsBetter: true)
        XCTAssertThrowsError(try TrainingCurves(title: "t", stepsPerEpoch: 10, loss: empty))
        let some = TrainingCurves.Metric(name: "loss", trainPerStep: [1], validationPerEpoch: [], lowerIsBetter: true)
        XCTAssertThrowsError(try TrainingCurves(title: "t", stepsPerEpoch: 0, loss: some))
        let nan = TrainingCurves.Metric(name: "loss", trainPerStep: [.nan], validationPerEpoch: [], lowerIsBetter: true)
        XCTAssertThrowsError(try TrainingCurves(title: "t", stepsPerEpoch: 1, loss: nan))
    }
}
