import Render
import Trace
import XCTest
@testable import Lessons

/// Every per-layer chart of a lesson gives a layer the same colour, from a ramp by depth
/// that no run takes (issue 20: neuron-activations' layers were blue, vermillion, black,
/// purple, the colours of its four runs, so "blue = relu" was read into the layer charts).
final class LayerColoursTests: XCTestCase {
    func testWeightedLayersTakeTheDepthRampAndAnActivationItsLayersColour() {
        func layer(_ name: String, weight: [Int]? = nil) -> LayerDescription {
            LayerDescription(name: name, type: "T", outputShape: [1],
                             parameters: weight.map { [ParameterDescription(name: "\(name).weight", shape: $0)] } ?? [])
        }
        let colours = TraceFigures.layerColors([
            layer("conv1", weight: [3, 3, 1, 8]), layer("pool1"), layer("conv2", weight: [3, 3, 8, 8]), layer("flatten"),
            layer("dense1", weight: [72, 16]), layer("relu"), layer("dense2", weight: [16, 10]),
        ])
        let theme = Theme.standard
        XCTAssertEqual(colours["conv1"], theme.depthColor(0, of: 4))
        XCTAssertEqual(colours["pool1"], colours["conv1"])
        XCTAssertEqual(colours["conv2"], theme.depthColor(1, of: 4))
        XCTAssertEqual(colours["dense1"], theme.depthColor(2, of: 4))
        XCTAssertEqual(colours["relu"], colours["dense1"], "an activation layer is drawn as the layer it follows")
        XCTAssertEqual(colours["dense2"], theme.depthColor(3, of: 4))
        let weighted = ["conv1", "conv2", "dense1", "dense2"].compactMap { colours[$0] }
        for (i, a) in weighted.enumerated() { for b in weighted[(i + 1)...] { XCTAssertNotEqual(a, b) } }
        for layer in ["conv1", "conv2", "dense1", "dense2"] {
            XCTAssertFalse(theme.categorical.contains(colours[layer]!), "\(layer) is in no run's categorical colour")
        }
    }

    func testTheDepthRampRunsFromDarkToLightAndStopsShortOfPaleYellow() {
        let theme = Theme.standard
        let ramp = (0..<5).map { theme.depthColor($0, of: 5) }
        for (a, b) in zip(ramp, ramp.dropFirst()) { XCTAssertLessThan(a.relativeLuminance, b.relativeLuminance) }
        XCTAssertEqual(ramp[0], theme.sequential.color(at: 0))
        XCTAssertNotEqual(ramp[4], theme.sequential.color(at: 1), "the palest end is too faint for a line on white")
        XCTAssertEqual(theme.depthColor(0, of: 1), ramp[0])
    }
}
