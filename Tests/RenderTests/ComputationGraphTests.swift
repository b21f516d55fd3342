import XCTest
import Render

final class ComputationGraphTests: XCTestCase {
    /// micrograd's neuron: o = tanh(x1·w1 + x2·w2 + b), with its gradients.
    static func neuron() throws -> ComputationGraph {
        typealias N = ComputationGraph.Node
        let nodes = [
            N(id: "x1", label: "x1", value: 2, gradient: -1.5), N(id: "w1", label: "w1", value: -3, gradient: 1),
            N(id: "x2", label: "x2", value: 0, gradient: 0.5), N(id: "w2", label: "w2", value: 1, gradient: 0),
            N(id: "x1w1", label: "x1·w1", value: -6, gradient: 0.5, operation: "×"),
            N(id: "x2w2", label: "x2·w2", value: 0, gradient: 0.5, operation: "×"),
            N(id: "sum", label: "x1w1 + x2w2", value: -6, gradient: 0.5, operation: "+"),
            N(id: "b", label: "b", value: 6.8814, gradient: 0.5),
            N(id: "n", label: "n", value: 0.8814, gradient: 0.5, operation: "+"),
            N(id: "o", label: "o", value: 0.7071, gradient: 1, operation: "tanh"),
        ]
        let edges = [("x1", "x1w1"), ("w1", "x1w1"), ("x2", "x2w2"), ("w2", "x2w2"), ("x1w1", "sum"), ("x2w2", "sum"),
                     ("sum", "n"), ("b", "n"), ("n", "o")].map { ComputationGraph.Edge(from: $0.0, to: $0.1) }
        return try ComputationGraph(title: "Backpropagation through one neuron", nodes: nodes, edges: edges)
    }

    func testNeuronGraphMatchesGolden() throws {
        try Golden.assertMatches(try Self.neuron(), named: "computation-graph")
    }

    func testColumnsFollowDepthFromTheInputs() throws {
        let graph = try Self.neuron()
        XCTAssertEqual(graph.placement.map(\.column), [0, 0, 0, 0, 1, 1, 2, 2, 3, 4])
    }

    /// A backprop stage: the nodes it computes are shaded, and its rule sits under the title.
    func testHighlightedNodesAreShadedAndNotesAddLines() throws {
        let plain = try Self.neuron()
        let stage = try ComputationGraph(title: plain.title, nodes: plain.nodes, edges: plain.edges,
                                         highlighted: ["x1w1", "x2w2"], notes: ["∂L/∂(x1·w1) = 0.5000", "second line"])
        let shade: UInt32 = 0xFFFC_E8DC
        XCTAssertEqual(try plain.raster().pixels.filter { $0 == shade }.count, 0)
        // Two boxes of 98 × 52 points (8.2 × 4.3 em of 12 pt) at 1.5 px per point, less borders and text.
        XCTAssertGreaterThan(try stage.raster().pixels.filter { $0 == shade }.count, 2 * 7000)
        XCTAssertEqual(stage.height(forWidth: 2000, theme: .standard) - plain.height(forWidth: 2000, theme: .standard),
                       2 * Theme.standard.labelSize * 1.5, accuracy: 1e-9)
        XCTAssertThrowsError(try ComputationGraph(title: "t", nodes: plain.nodes, edges: [], highlighted: ["nope"]))
    }

    func testNumbersShowFourSignificantDigits() {
        XCTAssertEqual(ComputationGraph.number(-0.5), "−0.5000")
        XCTAssertEqual(ComputationGraph.number(0), "0.000")
        XCTAssertEqual(ComputationGraph.number(-0.021983), "−0.02198")
        XCTAssertEqual(ComputationGraph.number(0.0077070), "0.007707")
        XCTAssertEqual(ComputationGraph.number(12.3456), "12.35")
        XCTAssertEqual(ComputationGraph.number(-0.000012), "−1.200e−05")
    }

    func testUnknownNodesAndCyclesThrow() {
        typealias N = ComputationGraph.Node
        let nodes = [N(id: "a", label: "a", value: 1), N(id: "b", label: "b", value: 2)]
        XCTAssertThrowsError(try ComputationGraph(title: "t", nodes: nodes, edges: [.init(from: "a", to: "c")]))
        XCTAssertThrowsError(try ComputationGraph(title: "t", nodes: nodes, edges: [.init(from: "a", to: "b"), .init(from: "b", to: "a")]))
        XCTAssertThrowsError(try ComputationGraph(title: "t", nodes: [], edges: []))
        XCTAssertThrowsError(try ComputationGraph(title: "t", nodes: nodes + [N(id: "a", label: "dup", value: 0)], edges: []))
    }
}
