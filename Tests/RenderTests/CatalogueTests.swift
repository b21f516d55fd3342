import XCTest
import Render

/// Properties every figure of the catalogue must have, whatever it shows.
final class CatalogueTests: XCTestCase {
    private func catalogue() throws -> [(String, Figure)] {
        let s = ScatterAndBoundaryTests.spirals()
        let digit = Synthetic.digit()
        return [
            ("filter grid", try FilterGrid(title: "conv1", weights: Synthetic.kernels())),
            ("filter comparison", try FilterComparison(title: "conv1", before: Synthetic.kernels(gain: 0.2), after: Synthetic.kernels())),
            ("feature maps", try FeatureMapGrid(title: "maps", input: digit,
                                                layers: [.init(name: "conv1", values: Synthetic.activations(size: 26, channels: 4))])),
            ("saliency", try SaliencyMap(title: "saliency", examples: [.init(image: digit, gradient: digit, caption: "c")], quantity: "|∂z/∂x|")),
            ("training curves", try TrainingCurvesTests.curves()),
            ("line chart", try LineChart(title: "l", xLabel: "x", yLabel: "y", series: [Series(name: "a", y: [1, 3, 2])])),
            ("scatter", try ScatterPlot(title: "s", x: s.x, y: s.y, classes: s.classes, classNames: ["a", "b"])),
            ("heatmap", try Heatmap(title: "h", values: FloatArray(rows: [[1, 2], [3, 4]]))),
            ("confusion", try ConfusionMatrix(title: "c", counts: [[5, 1], [2, 7]], classNames: ["a", "b"])),
            ("attention", try AttentionMap(title: "a", queryTokens: ["x", "y"], keyTokens: ["x", "y"],
                                           heads: [.init(name: "h", weights: FloatArray(rows: [[1, 0], [0.4, 0.6]]))])),
            ("distribution", try DistributionOverTime(title: "d", valueLabel: "w", steps: [0, 1, 2], lower: -1, upper: 1,
                                                      counts: [[1, 5, 1], [2, 4, 2], [3, 3, 3]])),
            ("boundary", try DecisionBoundary(title: "b", xRange: -3...3, yRange: -3...3,
                                              probabilities: FloatArray(shape: [2, 2, 2], values: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7]),
                                              x: s.x, y: s.y, classes: s.classes, classNames: ["a", "b"])),
            ("samples", try SampleGrid(title: "s", samples: [.init(image: digit, trueClass: 0, predictedClass: 1)], classNames: ["a", "b"])),
            ("contour", try ContourPlotTests.bowl()),
            ("graph", try ComputationGraphTests.neuron()),
            ("time × unit", try TimeUnitHeatmap(title: "f", tokens: Synthetic.sentence.map(String.init),
                                               values: Synthetic.forgetGates(), range: .unitInterval, valueLabel: "forget gate")),
            ("coloured text", try ColoredText(title: "q", text: Synthetic.paragraph,
                                              rows: [.init(name: "cell 17", values: Synthetic.quoteCell(Synthetic.paragraph))],
                                              range: .symmetric(), valueLabel: "cell state")),
            ("text samples", try TextSamples(title: "s", samples: Synthetic.samplesOverTraining.map {
                .init(label: $0.0, prompt: "The ", continuation: $0.1)
            })),
            ("top-k strip", try TopKStrip(title: "k", tokens: Synthetic.sentence.map(String.init),
                                          candidates: Synthetic.topFive(Synthetic.sentence))),
        ]
    }

    func testEveryFigureIs1200PixelsWideAndNotBlank() throws {
        for (name, figure) in try catalogue() {
            let image = try figure.raster()
            XCTAssertEqual(image.width, 1200, name)
            XCTAssertGreaterThan(image.height, 150, name)
            XCTAssertGreaterThan(Pixels.distinctColors(image), 30, "\(name) looks blank")
            XCTAssertGreaterThan(Pixels.inkedFraction(image), 0.01, "\(name) looks blank")
        }
    }

    func testEveryFigureFitsANarrowPDFColumnWithoutCairoErrors() throws {
        for (name, figure) in try catalogue() {
            XCTAssertNoThrow(try figure.pngData(width: 400, scale: 1), name)
        }
    }
}
