import Foundation
import XCTest
import Tensor
@testable import NeuralNet

/// Positional encodings and the pre-LayerNorm Transformer block: finite differences,
/// names inside the block, the padding mask reaching the attention, what a recorder
/// sees, clear errors for impossible shapes, and thread-count independence.
final class TransformerBlockTests: XCTestCase {
    final class Log: Recorder {
        var tensors: [String: Tensor] = [:]
        func record(_ kind: TensorKind, name: String, tensor: Tensor) {
            XCTAssertNil(tensors["\(kind.rawValue)/\(name)"], "\(kind.rawValue)/\(name) recorded twice")
            tensors["\(kind.rawValue)/\(name)"] = tensor
        }
    }

    private func built<L: Layer>(_ layer: L, _ inputShape: [Int], name: String) throws -> L {
        layer.name = name
        _ = try layer.build(inputShape: inputShape, seed: 7)
        return layer
    }

    func testPositionalEncodingsAddPositionsAndLearnTheirTable() throws {
        let sines = try built(PositionalEncoding(.sinusoidal, context: 8), [5, 6], name: "positions")
        XCTAssertTrue(sines.parameters.isEmpty)
        let p = sines.table
        XCTAssertEqual(p.shape, [8, 6])
        XCTAssertEqual(p[3, 0], sin(3), accuracy: 1e-6)
        XCTAssertEqual(p[3, 1], cos(3), accuracy: 1e-6)
        XCTAssertEqual(p[3, 4], Float(sin(3 / pow(10_000, 4.0 / 6))), accuracy: 1e-6)
        let y = try sines.forward(Tensor(shape: [2, 5, 6]), context: .inference)
        XCTAssertEqual(Array(y.scalars[30..<60]), Array(p.scalars[0..<30]), "x + P[t] for every sequence")
        let learned = try built(PositionalEncoding(.learned, context: 8), [5, 6], name: "positional_encoding1")
        XCTAssertEqual(learned.parameters.map(\.name), ["positional_encoding1.embeddings"])
        XCTAssertEqual(learned.parameters.map(\.shape), [[8, 6]])
        try GradientCheck.check(learned, input: GradientCheck.randomTensor([3, 5, 6], "x"))
    }

    func testBlockGradientMatchesFiniteDifferences() throws {
        let block = try built(TransformerBlock(heads: 2, feedForward: 12, causal: true), [5, 6], name: "transformer1")
        for p in block.parameters where p.name.hasSuffix("bias") || p.name.hasSuffix("beta") {
            p.value = GradientCheck.randomTensor(p.shape, p.name)
        }
        try GradientCheck.check(block, input: GradientCheck.randomTensor([3, 5, 6], "x"))
        block.inputMask = Tensor(shape: [3, 5], scalars: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
        try GradientCheck.check(block, input: GradientCheck.randomTensor([3, 5, 6], "x"))
    }

    func testBlockNamesItsLayersInsideIt() throws {
        let block = try built(TransformerBlock(heads: 2, feedForward: 12), [5, 6], name: "transformer1")
        XCTAssertEqual(block.keySize, 3, "d_model / heads")
        XCTAssertEqual(block.parameters.map(\.name), [
            "transformer1.ln1.gamma", "transformer1.ln1.beta",
            "transformer1.attn.query.kernel", "transformer1.attn.query.bias", "transformer1.attn.key.kernel",
            "transformer1.attn.key.bias", "transformer1.attn.value.kernel", "transformer1.attn.value.bias",
            "transformer1.attn.output.kernel", "transformer1.attn.output.bias",
            "transformer1.ln2.gamma", "transformer1.ln2.beta",
            "transformer1.ff1.weight", "transformer1.ff1.bias", "transformer1.ff2.weight", "transformer1.ff2.bias",
        ])
        XCTAssertEqual(block.attention?.name, "transformer1.attn")
    }

    func testImpossibleShapesAreRefusedNamingTheLayer() {
        func message(_ layers: [Layer], _ inputShape: [Int]) -> String {
            do {
                _ = try Sequential(inputShape: inputShape, seed: 1, layers)
                return ""
            } catch { return "\(error)" }
        }
        let longer = message([PositionalEncoding(.learned, context: 8)], [12, 6])
        XCTAssert(longer.contains("positional_encoding1") && longer.contains("[12, 6]") && longer.contains("context of 8"),
                  longer)
        let heads = message([TransformerBlock(heads: 4, feedForward: 8)], [5, 6])
        XCTAssert(heads.contains("transformer1") && heads.contains("4 heads do not divide d_model 6"), heads)
        let keySize = message([MultiHeadAttention(heads: 2, keySize: 0)], [5, 6])
        XCTAssert(keySize.contains("attn1") && keySize.contains("[5, 6]") && keySize.contains("key_size (0)"), keySize)
        XCTAssertEqual(message([TransformerBlock(heads: 4, keySize: 5, feedForward: 8)], [5, 6]), "",
                       "a key size given needs no division")
    }

    func testRecorderSeesAttentionScoresAndProjectionsOfEveryBlock() throws {
        let model = try Sequential(inputShape: [5], seed: 3, [
            Embedding(vocabulary: 7, dimension: 8, maskZero: true), PositionalEncoding(.learned, context: 5),
            TransformerBlock(heads: 2, feedForward: 16, causal: true), TransformerBlock(heads: 2, feedForward: 16, causal: true),
            LayerNorm(), Dense(7),
        ])
        let log = Log()
        let x = Tensor(shape: [2, 5], scalars: [1, 2, 3, 4, 5, 3, 1, 0, 0, 0])
        let y = try model.forward(x, context: ForwardContext(training: false, recorder: log))
        _ = model.backward(Tensor(shape: y.shape, repeating: 0.1), inputGradient: false)
        for block in ["transformer1", "transformer2"] {
            let weights = try XCTUnwrap(log.tensors["attention/\(block).attn"])
            XCTAssertEqual(weights.shape, [2, 2, 5, 5], "[probe, heads, query, key]")
            XCTAssertEqual(log.tensors["attention/\(block).attn.scores"]?.shape, [2, 2, 5, 5])
            for projection in ["query", "key", "value"] {
                XCTAssertEqual(log.tensors["activation/\(block).attn.\(projection)"]?.shape, [2, 5, 2, 4])
            }
            // The padding mask from the Embedding reached the attention inside the block.
            XCTAssertEqual(weights[1, 0, 1, 2], 0)
            XCTAssertEqual(weights[1, 1, 3, 0], 0, "a padded query attends nowhere")
            XCTAssertNotNil(log.tensors["gradient/\(block).attn.query.kernel"])
            XCTAssertNotNil(log.tensors["activation/\(block).ff1"])
        }
        XCTAssertNotNil(log.tensors["activation/positional_encoding1"])
        XCTAssertNotNil(log.tensors["activation/layer_norm1"])
    }

    func testBlockIsBitIdenticalWithOneOrTwoThreads() throws {
        func run(_ threads: Int) throws -> [Tensor] {
            let saved = WorkerPool.shared.threads
            defer { WorkerPool.shared.threads = saved }
            WorkerPool.shared.threads = threads
            let block = try built(TransformerBlock(heads: 4, feedForward: 256, causal: true, dropout: 0.1), [64, 64],
                                  name: "transformer1")
            let y = try block.forward(GradientCheck.randomTensor([5, 64, 64], "x"),
                                      context: ForwardContext(training: true, step: 4, seed: 9))
            let dx = block.backward(GradientCheck.randomTensor(y.shape, "dy"), inputGradient: true)!
            return [y, dx] + block.parameters.map(\.gradient)
        }
        XCTAssertEqual(try run(1), try run(2))
    }
}
