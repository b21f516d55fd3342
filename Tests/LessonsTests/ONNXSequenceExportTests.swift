import Foundation
@testable import Lessons
import NeuralNet
import Tensor
import XCTest

/// `learn export --onnx` of sequence and attention models checked against onnxruntime:
/// a model of each kind (random weights) is saved as a run saves it, exported, and run
/// by onnxruntime on token ids with padding (id 0) at the end and in the middle; its
/// output must equal the engine's own forward pass of the saved model to 1e-4.
/// Skips, saying so, without python3 + onnxruntime + numpy (`ONNXExportTests`).
final class ONNXSequenceExportTests: XCTestCase {
    func testMaskedLSTMTextModelMatchesOnnxruntime() throws {
        // lstm-text's shape: every step's next-token logits, padding carried over by the mask.
        try assertOnnxruntimeAgrees([.embedding(vocabulary: 9, dimension: 5, maskZero: true),
                                     .recurrent(.lstm, units: 6, returnSequences: true),
                                     .dense(units: 9, activation: .linear, initializer: .glorotUniform)],
                                    inputShape: [7], ids: true)
    }

    func testMaskedSimpleRNNIntoGRUWithLastStateOnlyMatchesOnnxruntime() throws {
        // The mask passes through the first layer's every-step output to the second.
        try assertOnnxruntimeAgrees([.embedding(vocabulary: 9, dimension: 4, maskZero: true),
                                     .recurrent(.simpleRNN, units: 3, returnSequences: true),
                                     .recurrent(.gru, units: 5, returnSequences: false),
                                     .dense(units: 3, activation: .linear, initializer: .glorotUniform)],
                                    inputShape: [6], ids: true)
    }

    func testSimpleRNNOnRealValuedSequencesMatchesOnnxruntime() throws {
        // rnn-sine's shape: a value per step in, a prediction per step out; then an unmasked GRU.
        try assertOnnxruntimeAgrees([.recurrent(.simpleRNN, units: 6, returnSequences: true),
                                     .recurrent(.gru, units: 4, returnSequences: true),
                                     .dense(units: 1, activation: .linear, initializer: .glorotUniform)],
                                    inputShape: [8, 2], ids: false)
    }

    func testAttentionWithLearnedPositionsMatchesOnnxruntime() throws {
        // attention-basics' shape, with two heads of a key size other than D / heads.
        try assertOnnxruntimeAgrees([.embedding(vocabulary: 11, dimension: 6, maskZero: false),
                                     .positionalEncoding(.learned, context: 9),
                                     .multiHeadAttention(heads: 2, keySize: 4, causal: false, dropout: 0.1),
                                     .dense(units: 11, activation: .linear, initializer: .glorotUniform)],
                                    inputShape: [7], ids: true)
    }

    func testCausalTransformerWithPaddingMaskMatchesOnnxruntime() throws {
        // transformer-text's shape, with mask_zero so both masks act, sinusoids, dropout layers
        // (the identity here) and a padded query whose attention row is zero.
        try assertOnnxruntimeAgrees([.embedding(vocabulary: 10, dimension: 8, maskZero: true),
                                     .positionalEncoding(.sinusoidal, context: 12),
                                     .transformerBlock(heads: 2, keySize: nil, feedForward: 12, causal: true, dropout: 0.1),
                                     .transformerBlock(heads: 4, keySize: 3, feedForward: 6, causal: false, dropout: 0),
                                     .layerNorm(epsilon: nil),
                                     .dense(units: 10, activation: .linear, initializer: .glorotUniform)],
                                    inputShape: [6], ids: true)
    }

    func testEmbeddingFlattenedIntoAClassifierMatchesOnnxruntime() throws {
        try assertOnnxruntimeAgrees([.embedding(vocabulary: 10, dimension: 4, maskZero: false), .flatten,
                                     .dense(units: 2, activation: .linear, initializer: .glorotUniform)],
                                    inputShape: [6], ids: true)
    }

    // MARK: - Helpers

    /// Saves a model of `layers` (random weights) as a run does, exports it, and compares
    /// onnxruntime's output with the saved model's forward pass. With `ids`, the inputs
    /// are token ids below the first layer's vocabulary, with padding zeros in them.
    func assertOnnxruntimeAgrees(_ layers: [LayerSpec], inputShape: [Int], ids: Bool,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        try ONNXExportTests.requireOnnxruntime()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-sequence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let architecture = ModelArchitecture(inputShape: inputShape, layers: layers, classNames: [])
        var random = RandomStream(seed: 11, name: "onnx-sequence-export-test")
        let onnxFile = try ONNXExportTests.exportRandomModel(architecture, to: folder, random: &random)
        let examples = 4, width = inputShape.reduce(1, *)
        var values = (0..<(examples * width)).map { _ in random.nextUniform() * 2 - 1 }
        if ids, case let .embedding(vocabulary?, _, _) = layers[0] {
            values = (0..<(examples * width)).map { _ in Float(1 + Int(random.nextUniform() * Float(vocabulary - 1))) }
            // Example 1 ends in two padding steps, example 2 has one in the middle, example 3 starts with one.
            values[2 * width - 1] = 0; values[2 * width - 2] = 0
            values[2 * width + width / 2] = 0
            values[3 * width] = 0
        }
        let inputs = Tensor(shape: [examples] + inputShape, scalars: values)
        let (saved, _) = try ModelArchitecture.trainedModel(in: folder)
        let expected = try saved.forward(inputs, context: .inference).scalars
        let found = try ONNXExportTests.onnxruntime(onnxFile, inputs: inputs, in: folder)
        XCTAssertEqual(found.count, expected.count, "number of outputs", file: file, line: line)
        let worst = zip(found, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-4, "largest |onnxruntime − engine|", file: file, line: line)
        XCTAssertGreaterThan(expected.map(abs).max() ?? 0, 1e-3, "outputs that are not all zero", file: file, line: line)
    }
}
