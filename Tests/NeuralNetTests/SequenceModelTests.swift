import XCTest
import Tensor
@testable import NeuralNet

/// Recurrent layers inside a model: the padding mask travels from the Embedding to the
/// layers after it, a recorder sees every step's states and dL/dx_t, and a small
/// next-token model learns a pattern.
final class SequenceModelTests: XCTestCase {
    final class Log: Recorder {
        var tensors: [String: Tensor] = [:]
        func record(_ kind: TensorKind, name: String, tensor: Tensor) { tensors["\(kind.rawValue)/\(name)"] = tensor }
    }

    private func textModel(_ cell: Layer, vocabulary: Int = 6) throws -> Sequential {
        try Sequential(inputShape: [5], seed: 3, [Embedding(vocabulary: vocabulary, dimension: 3, maskZero: true), cell,
                                                   Dense(vocabulary)])
    }

    func testStatesAndStepGradientsAreRecordedWithTheMaskApplied() throws {
        let model = try textModel(LSTM(4, returnSequences: true))
        let log = Log()
        // Sequence 1 is two tokens long, then padding (id 0).
        let x = Tensor(shape: [2, 5], scalars: [1, 2, 3, 4, 5, 3, 1, 0, 0, 0])
        let y = try model.forward(x, context: ForwardContext(training: false, recorder: log))
        XCTAssertEqual(y.shape, [2, 5, 6])
        for state in ["hidden", "cell", "input_gate", "forget_gate", "output_gate"] {
            XCTAssertEqual(log.tensors["state/lstm1.\(state)"]?.shape, [2, 5, 4], state)
        }
        let hidden = try XCTUnwrap(log.tensors["state/lstm1.hidden"])
        // Padded steps carry the last real state over, and the layer's output repeats it.
        XCTAssertEqual(Array(hidden.scalars[(20 + 8)..<(20 + 12)]), Array(hidden.scalars[(20 + 4)..<(20 + 8)]))
        let lstmOutput = try XCTUnwrap(log.tensors["activation/lstm1"])
        XCTAssertEqual(Array(lstmOutput.scalars[(20 + 16)..<(20 + 20)]), Array(hidden.scalars[(20 + 4)..<(20 + 8)]))
        // The per-step loss gives padded steps no gradient (their labels are ignored).
        var upstream = Tensor(shape: y.shape, repeating: 0.1)
        for j in (5 * 6 + 2 * 6)..<(10 * 6) { upstream.scalars[j] = 0 }
        _ = model.backward(upstream, inputGradient: false)
        XCTAssertEqual(log.tensors["gradient/lstm1.input"]?.shape, [2, 5, 3], "dL/dx_t of every step")
        let stepGradient = try XCTUnwrap(log.tensors["gradient/lstm1.input"])
        XCTAssertEqual(Array(stepGradient.scalars[(15 + 6)..<30]), [Float](repeating: 0, count: 9), "padding: none")
    }

    func testANextTokenModelLearnsARepeatingPattern() throws {
        // Token t is followed by t + 1 (cycling 1…5): the model must read the current token.
        var inputs: [Float] = [], labels: [Int] = []
        for start in 0..<40 {
            let tokens = (0..<6).map { 1 + (start + $0) % 5 }
            inputs += tokens.prefix(5).map(Float.init)
            labels += Array(tokens.dropFirst())
        }
        let data = try SequenceData(inputs: Tensor(shape: [40, 5], scalars: inputs), labels: labels)
        for cell in [GRU(8, returnSequences: true) as Layer, SimpleRNN(8, returnSequences: true), LSTM(8, returnSequences: true)] {
            let trainer = Trainer(model: try textModel(cell), loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.05),
                                  options: TrainingOptions(epochs: 30, batchSize: 8, seed: 1, clipNorm: 5))
            let history = try trainer.fit(data)
            XCTAssertEqual(history.epochs.last?.accuracy ?? 0, 1, accuracy: 1e-6, cell.kind)
            XCTAssertLessThan(history.epochs.last!.loss, 0.1, cell.kind)
        }
    }

    func testSequenceLabelsMustCoverEveryStep() {
        XCTAssertThrowsError(try SequenceData(inputs: Tensor(shape: [2, 3]), labels: [1, 2])) {
            XCTAssertEqual($0 as? TrainingError, .countMismatch(examples: 6, answers: 2, kind: "step labels"))
        }
    }
}
