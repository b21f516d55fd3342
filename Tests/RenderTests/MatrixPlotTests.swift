import Foundation
import XCTest
import Render

final class MatrixPlotTests: XCTestCase {
    func testSignedHeatmapWithValuesMatchesGolden() throws {
        let values = try FloatArray(rows: (0..<5).map { r in (0..<7).map { c in Float(sin(Double(r) - Double(c) * 0.7)) } })
        let map = try Heatmap(title: "A weight matrix", values: values, rowLabels: (0..<5).map { "out \($0)" },
                              columnLabels: (0..<7).map { "in \($0)" }, xLabel: "input", yLabel: "output",
                              valueLabel: "weight", showValues: true)
        XCTAssertEqual(map.colorScale.upper, Double(values.values.map(abs).max()!))
        XCTAssertEqual(map.colorScale.lower, -map.colorScale.upper)
        try Golden.assertMatches(map, named: "heatmap")
    }

    func testConfusionMatrixMatchesGolden() throws {
        let counts = [[48, 1, 1], [3, 40, 7], [0, 9, 41]]
        let matrix = try ConfusionMatrix(title: "Confusion on the test set", counts: counts,
                                         classNames: ["T-shirt", "Pullover", "Coat"])
        XCTAssertEqual(matrix.accuracy, 129.0 / 150.0, accuracy: 1e-12)
        XCTAssertEqual(matrix.fractions[1], [3.0 / 50, 40.0 / 50, 7.0 / 50])
        for row in matrix.fractions { XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12) }
        try Golden.assertMatches(matrix, named: "confusion-matrix")
    }

    func testAttentionHeadsMatchGolden() throws {
        let tokens = ["the", "cat", "sat", "on", "the", "mat"]
        let heads = try (0..<2).map { h -> AttentionMap.Head in
            var w = [Float]()
            for q in 0..<6 {
                let scores = (0..<6).map { k in exp(-abs(Double(q - k - h)) * 1.5) * (k <= q ? 1 : 0.02) }
                let total = scores.reduce(0, +)
                w += scores.map { Float($0 / total) }
            }
            return .init(name: "layer 1, head \(h)", weights: try FloatArray(shape: [6, 6], values: w))
        }
        let map = try AttentionMap(title: "Self-attention", queryTokens: tokens, keyTokens: tokens, heads: heads)
        XCTAssertEqual(map.colorScale.lower, 0)
        try Golden.assertMatches(map, named: "attention")
    }

    func testDistributionOverTimeMatchesGolden() throws {
        // A weight histogram that widens as training proceeds.
        let bins = 30, steps = (0..<40).map { Double($0 * 10) }
        let counts = steps.map { s -> [Double] in
            let sigma = 0.1 + s / 800
            return (0..<bins).map { b in
                let v = -1 + 2 * (Double(b) + 0.5) / Double(bins)
                return (1000 * exp(-v * v / (2 * sigma * sigma))).rounded()
            }
        }
        let plot = try DistributionOverTime(title: "conv1.weight over training", valueLabel: "weight value",
                                            steps: steps, lower: -1, upper: 1, counts: counts)
        try Golden.assertMatches(plot, named: "distribution-over-time")
    }

    func testBadMatricesThrow() throws {
        XCTAssertThrowsError(try Heatmap(title: "t", values: FloatArray(shape: [0, 3], values: [])))
        XCTAssertThrowsError(try Heatmap(title: "t", values: FloatArray(rows: [[.nan, .nan]])))
        XCTAssertThrowsError(try Heatmap(title: "t", values: FloatArray(rows: [[1, 2]]), rowLabels: ["a", "b"]))
        XCTAssertThrowsError(try ConfusionMatrix(title: "t", counts: [[1, 2]], classNames: ["a"]))
        XCTAssertThrowsError(try AttentionMap(title: "t", queryTokens: ["a"], keyTokens: ["b"], heads: []))
        XCTAssertThrowsError(try DistributionOverTime(title: "t", valueLabel: "v", steps: [0], lower: 1, upper: 1, counts: [[1]]))
        XCTAssertThrowsError(try DistributionOverTime(title: "t", valueLabel: "v", steps: [0, 1], lower: 0, upper: 1, counts: [[1]]))
    }
}
