import Foundation
import XCTest
import Tensor
import Trace
@testable import NeuralNet

/// learn's MultiHeadAttention, LayerNorm, GELU and pre-LayerNorm Transformer block
/// against Keras on the same weights and inputs, tensor by tensor (as llm.c's test
/// compares with PyTorch): outputs, attention weights and the gradients of
/// L = Σ r ⊙ y with respect to the input and every weight, with causal and padding
/// masks. The reference file is made by `keras/make_attention_reference.py`
/// (TensorFlow from PyPI, not needed here).
final class AttentionReferenceTests: XCTestCase {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("keras/keras-attention.safetensors")
    /// Float32 on both sides; each tensor's largest difference is printed.
    static let tolerance: Float = 2e-5

    private var reference: SafetensorsFile { get throws { try SafetensorsFile(url: Self.file) } }

    /// Asserts `actual` ≈ `expected` elementwise (relative to the tensor's largest value)
    /// and prints a line per tensor: OK or NOT OK and the largest difference.
    private func compare(_ name: String, _ actual: Tensor, _ expected: Tensor,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, name, file: file, line: line)
        guard actual.count == expected.count else { return }
        let scale = max(1, expected.scalars.map(abs).max() ?? 0)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        let ok = worst <= Self.tolerance * scale
        print("\(ok ? "OK    " : "NOT OK") \(name): largest difference \(worst)")
        XCTAssert(ok, "\(name): largest difference \(worst) (scale \(scale))", file: file, line: line)
    }

    private static let projections = ["query.kernel", "query.bias", "key.kernel", "key.bias", "value.kernel", "value.bias",
                                      "output.kernel", "output.bias"]

    func testMultiHeadAttentionMatchesKerasWithEveryMask() throws {
        let keras = try reference
        let x = try keras.tensor("x"), mask = try keras.tensor("mask")
        for causal in [false, true] {
            for masked in [false, true] {
                let name = "mha/\(causal ? "causal" : "full")/\(masked ? "masked" : "unmasked")"
                let layer = MultiHeadAttention(heads: 2, keySize: 4, causal: causal, name: "attn")
                _ = try layer.build(inputShape: [5, 8], seed: 1)
                for (p, weight) in zip(layer.parameters, Self.projections) { p.value = try keras.tensor("mha/\(weight)") }
                layer.inputMask = masked ? mask : nil
                let y = try layer.forward(x, context: .inference)
                compare("\(name)/y", y, try keras.tensor("\(name)/y"))
                compare("\(name)/weights", layer.attentionWeights!, try keras.tensor("\(name)/weights"))
                let dx = layer.backward(try keras.tensor("\(name)/r"), inputGradient: true)!
                compare("\(name)/dx", dx, try keras.tensor("\(name)/dx"))
                for (p, weight) in zip(layer.parameters, Self.projections) {
                    compare("\(name)/d\(weight)", p.gradient, try keras.tensor("\(name)/d\(weight)"))
                }
            }
        }
    }

    func testLayerNormMatchesKerasLayerNormalization() throws {
        let keras = try reference
        let norm = LayerNorm(name: "ln")
        _ = try norm.build(inputShape: [5, 8], seed: 1)
        norm.gamma.value = try keras.tensor("ln/gamma")
        norm.beta.value = try keras.tensor("ln/beta")
        compare("ln/y", try norm.forward(try keras.tensor("ln/x"), context: .inference), try keras.tensor("ln/y"))
        compare("ln/dx", norm.backward(try keras.tensor("ln/r"), inputGradient: true)!, try keras.tensor("ln/dx"))
        compare("ln/dgamma", norm.gamma.gradient, try keras.tensor("ln/dgamma"))
        compare("ln/dbeta", norm.beta.gradient, try keras.tensor("ln/dbeta"))
    }

    func testGELUMatchesKeras() throws {
        let keras = try reference
        let x = try keras.tensor("gelu/x")
        compare("gelu/y", x.gelu(), try keras.tensor("gelu/y"))
        compare("gelu/dx", Tensor(shape: x.shape, repeating: 1).geluGradient(input: x), try keras.tensor("gelu/dx"))
    }

    func testPreLayerNormBlockMatchesKeras() throws {
        let keras = try reference
        let block = TransformerBlock(heads: 2, feedForward: 16, causal: true, name: "block")
        _ = try block.build(inputShape: [5, 8], seed: 1)
        func stored(_ p: Parameter, _ prefix: String = "") -> String { "block/" + prefix + p.name.dropFirst("block.".count) }
        for p in block.parameters { p.value = try keras.tensor(stored(p)) }
        block.inputMask = try keras.tensor("mask")
        let y = try block.forward(try keras.tensor("x"), context: .inference)
        compare("block/y", y, try keras.tensor("block/y"))
        compare("block/dx", block.backward(try keras.tensor("block/r"), inputGradient: true)!, try keras.tensor("block/dx"))
        for p in block.parameters { compare(stored(p, "d"), p.gradient, try keras.tensor(stored(p, "d"))) }
    }
}
