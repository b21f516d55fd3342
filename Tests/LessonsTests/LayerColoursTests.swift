import Render
import Trace
import XCTest
@testable import Lessons

/// Every per-layer chart of a lesson gives a layer the same colour, and neighbouring
/// layers colours of different hue families (issue 20: cnn-mnist's conv2 was orange
/// beside dense1's vermillion, by series index).
final class LayerColoursTests: XCTestCase {
    func testWeightedLayersTakeTheDistinctOrderAndAnActivationItsLayersColour() {
        func layer(_ name: String, weight: [Int]? = nil) -> LayerDescription {
            LayerDescription(name: name, type: "T", outputShape: [1],
                             parameters: weight.map { [ParameterDescription(name: "\(name).weight", shape: $0)] } ?? [])
        }
        let colours = TraceFigures.layerCategories([
            layer("conv1", weight: [3, 3, 1, 8]), layer("pool1"), layer("conv2", weight: [3, 3, 8, 8]), layer("flatten"),
            layer("dense1", weight: [72, 16]), layer("relu"), layer("dense2", weight: [16, 10]),
        ])
        let order = Theme.distinctCategories
        XCTAssertEqual(colours["conv1"], order[0])
        XCTAssertEqual(colours["conv2"], order[1])
        XCTAssertEqual(colours["dense1"], order[2])
        XCTAssertEqual(colours["relu"], colours["dense1"], "an activation layer is drawn as the layer it follows")
        XCTAssertEqual(colours["dense2"], order[3])
        let weighted = ["conv1", "conv2", "dense1", "dense2"].compactMap { colours[$0] }
        for (a, b) in zip(weighted, weighted.dropFirst()) {
            XCTAssertFalse(Theme.standard.sameHueFamily(a, b), "neighbouring layers: \(a), \(b)")
        }
    }
}
