import XCTest
import NeuralNet
import Tensor
@testable import Benchmarks

/// The timed Transformer is the issue's model, and one training step of it runs.
final class TransformerBenchmarkTests: XCTestCase {
    func testTheTimedModelIsTheIssuesShape() throws {
        let model = try TransformerBenchmark.network()
        XCTAssertEqual(model.layers.map(\.kind), ["Embedding", "PositionalEncoding", "TransformerBlock", "TransformerBlock",
                                                  "LayerNorm", "Dense"])
        XCTAssertEqual(model.outputShape, [64, 64])
        let blocks = model.layers.compactMap { $0 as? TransformerBlock }
        XCTAssertEqual(blocks.map { [$0.heads, $0.keySize, $0.feedForward] }, [[4, 16, 256], [4, 16, 256]])
        XCTAssert(blocks.allSatisfy(\.causal))
        // As Keras's summary of transformer_bench.py's model counts it.
        XCTAssertEqual(model.parameters.map { $0.value.count }.reduce(0, +), 112_448)
    }

    func testOneRoundRuns() throws {
        let bench = TransformerBenchmark(steps: 1, rounds: 1)
        XCTAssertGreaterThan(try bench.trainingTokensPerSecond(), 0)
        XCTAssertGreaterThan(try bench.inferenceTokensPerSecond(), 0)
    }
}
