import Foundation
import XCTest
import Tensor
import Trace
@testable import NeuralNet

/// learn's SimpleRNN, LSTM and GRU against Keras on the same weights and inputs, tensor
/// by tensor, as llm.c's test compares with PyTorch: outputs, final states and the
/// gradients of L = Σ r ⊙ y with respect to the input and every weight, with and without
/// a padding mask, for the last step and every step; and the masked per-step sparse
/// cross-entropy. The reference file is made by `keras/make_recurrent_reference.py`
/// (TensorFlow from PyPI, not needed here).
final class RecurrentReferenceTests: XCTestCase {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("keras/keras-recurrent.safetensors")
    /// Float32 throughout on both sides; the worst difference measured is printed.
    static let tolerance: Float = 2e-5

    private var reference: SafetensorsFile { get throws { try SafetensorsFile(url: Self.file) } }

    /// Asserts `actual` ≈ `expected` elementwise (relative to the tensor's largest value)
    /// and prints a line per tensor: OK or NOT OK and the largest difference.
    private func compare(_ name: String, _ actual: Tensor, _ expected: Tensor,
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, name, file: file, line: line)
        guard actual.shape == expected.shape else { return }
        let scale = max(1, expected.scalars.map(abs).max() ?? 0)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        let ok = worst <= Self.tolerance * scale
        print("\(ok ? "OK    " : "NOT OK") \(name): largest difference \(worst)")
        XCTAssert(ok, "\(name): largest difference \(worst) (scale \(scale))", file: file, line: line)
    }

    private func layer(_ kind: String, returnSequences: Bool) -> RecurrentLayer {
        switch kind {
        case "SimpleRNN": return SimpleRNN(6, returnSequences: returnSequences, name: "rnn")
        case "LSTM": return LSTM(6, returnSequences: returnSequences, name: "rnn")
        default: return GRU(6, returnSequences: returnSequences, name: "rnn")
        }
    }

    func testEveryRecurrentLayerMatchesKeras() throws {
        let keras = try reference
        let x = try keras.tensor("x"), mask = try keras.tensor("mask")
        for kind in ["SimpleRNN", "LSTM", "GRU"] {
            for returnSequences in [false, true] {
                for masked in [false, true] {
                    let name = "\(kind)/\(returnSequences ? "sequences" : "last")/\(masked ? "masked" : "full")"
                    let rnn = layer(kind, returnSequences: returnSequences)
                    _ = try rnn.build(inputShape: [5, 4], seed: 1)
                    for (p, weight) in zip(rnn.parameters, ["kernel", "recurrent_kernel", "bias"]) {
                        p.value = try keras.tensor("\(kind)/\(weight)")
                    }
                    rnn.inputMask = masked ? mask : nil
                    let y = try rnn.forward(x, context: .inference)
                    compare("\(name)/y", y, try keras.tensor("\(name)/y"))
                    let states = Dictionary(uniqueKeysWithValues: rnn.states().map { ($0.name, $0.tensor) })
                    compare("\(name)/final_h", lastStep(states["hidden"]!), try keras.tensor("\(name)/final_h"))
                    if kind == "LSTM" {
                        compare("\(name)/final_c", lastStep(states["cell"]!), try keras.tensor("\(name)/final_c"))
                    }
                    let dx = rnn.backward(try keras.tensor("\(name)/r"), inputGradient: true)!
                    compare("\(name)/dx", dx, try keras.tensor("\(name)/dx"))
                    for (p, weight) in zip(rnn.parameters, ["dkernel", "drecurrent_kernel", "dbias"]) {
                        compare("\(name)/\(weight)", p.gradient, try keras.tensor("\(name)/\(weight)"))
                    }
                }
            }
        }
    }

    func testMaskedSequenceCrossEntropyMatchesKeras() throws {
        let keras = try reference
        let logits = try keras.tensor("loss/logits"), mask = try keras.tensor("mask")
        guard case let .i32(raw) = try keras.payload("loss/labels") else { return XCTFail("labels are not I32") }
        // Keras weights padded steps 0; learn labels them `ignored`.
        let labels = zip(raw, mask.scalars).map { $1 == 0 ? LossTarget.ignored : Int($0) }
        let (value, gradient) = try SoftmaxCrossEntropy().evaluate(logits, .classes(labels))
        compare("loss/value", Tensor(shape: [1], scalars: [value]), try keras.tensor("loss/value"))
        compare("loss/dlogits", gradient, try keras.tensor("loss/dlogits"))
    }

    /// The state after the last step of `[batch, time, units]`.
    private func lastStep(_ states: Tensor) -> Tensor {
        let (batch, time, units) = (states.shape[0], states.shape[1], states.shape[2])
        var last: [Float] = []
        for b in 0..<batch {
            let start = (b * time + time - 1) * units
            last += states.scalars[start..<(start + units)]
        }
        return Tensor(shape: [batch, units], scalars: last)
    }
}
