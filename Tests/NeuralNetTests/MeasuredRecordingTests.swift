import XCTest
@testable import NeuralNet
import Tensor

/// A model asks its measuring layers (Conv2D, MaxPool2D) for the moments of exactly
/// the tensors its recorder keeps, and hands them over with those tensors; a
/// backward pass without parameter gradients leaves them untouched.
final class MeasuredRecordingTests: XCTestCase {
    /// Keeps what it is given; declines a chosen gradient name, like a probe step's recorder.
    final class MomentsLog: Recorder {
        var declined: Set<String> = []
        var records: [(name: String, tensor: Tensor, moments: TensorMoments?)] = []
        func wants(_ kind: TensorKind, name: String) -> Bool { !declined.contains(name) }
        func record(_ kind: TensorKind, name: String, tensor: Tensor) {
            record(kind, name: name, tensor: tensor, moments: nil)
        }
        func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?) {
            records.append(("\(kind.rawValue):\(name)", tensor, moments))
        }
        func moments(_ name: String) -> TensorMoments?? { records.first { $0.name == name }.map(\.moments) }
    }

    private func smallCNN() throws -> Sequential {
        try Sequential(inputShape: [12, 12, 1], seed: 4, [
            Conv2D(8, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(8, kernelSize: 3, activation: .tanh), Flatten(), Dense(3),
        ])
    }

    private func input() -> Tensor {
        var rng = RandomStream(seed: 9, name: "measured-input")
        return Tensor(shape: [4, 12, 12, 1], scalars: (0..<(4 * 144)).map { _ in rng.nextUniform() })
    }

    func testMeasuredTensorsComeWithMomentsThatCoverThem() throws {
        let model = try smallCNN(), log = MomentsLog()
        let y = try model.forward(input(), context: ForwardContext(training: true, recorder: log))
        _ = model.backward(y, inputGradient: false)
        // Written by a measuring kernel: conv1 (ReLU fused), pool1, and the gradients pool1 and conv2 return.
        for name in ["activation:conv1", "activation:pool1", "gradient:conv1", "gradient:pool1"] {
            let record = try XCTUnwrap(log.records.first { $0.name == name }, name)
            let moments = try XCTUnwrap(record.moments, "\(name) has no moments")
            XCTAssertEqual(moments.count, record.tensor.count, name)
            let sum = moments.pieces.reduce(0) { $0 + $1.sum }
            let exact = record.tensor.scalars.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(sum, exact, accuracy: 1e-4 * max(1, abs(exact)), name)
            XCTAssertEqual(moments.pieces.map(\.max).max(), record.tensor.scalars.max(), name)
        }
        // conv2's tanh runs after the GEMM, and dense layers do not measure: no moments.
        for name in ["activation:conv2", "activation:dense1", "gradient:dense1", "gradient:flatten1"] {
            XCTAssertEqual(log.moments(name), .some(nil), name)
        }
    }

    /// conv1 and pool1 run as one pass when recorded (`Conv2D.forwardPooledMeasured`): the
    /// tensors and moments handed over, the output and every gradient after, are bit for bit
    /// those of the layers' own passes, one after the other.
    func testARecordedConvolutionAndItsPoolingInOnePassAreTheTwoLayers() throws {
        let x = input(), fused = try smallCNN(), log = MomentsLog()
        let y = try fused.forward(x, context: ForwardContext(training: true, recorder: log))
        let dy = Tensor(shape: y.shape, scalars: y.scalars.map { $0 * 0.5 - 0.25 })
        _ = fused.backward(dy, inputGradient: false)

        let plain = try smallCNN()
        let conv = try XCTUnwrap(plain.layers[0] as? Conv2D), pool = try XCTUnwrap(plain.layers[1] as? MaxPool2D)
        XCTAssertNotNil(conv2DMaxPooledMeasured(x, weight: conv.weight.value, bias: conv.bias.value, stride: 1,
                                                padding: .valid, rectified: true, poolSize: 2, poolStride: 2),
                        "conv1 and pool1 take the one pass")
        (conv.measuresOutput, pool.measuresOutput) = (true, true)
        var outputs: [Tensor] = []
        for layer in plain.layers { outputs.append(try layer.forward(outputs.last ?? x, context: ForwardContext(training: true))) }
        var g: Tensor? = dy
        for (i, layer) in plain.layers.enumerated().reversed() { g = layer.backward(g!, inputGradient: i > 0) }

        func bits(_ t: Tensor?) -> [UInt32] { t?.scalars.map(\.bitPattern) ?? [] }
        XCTAssertEqual(bits(y), bits(outputs.last))
        for (a, b) in zip(fused.parameters, plain.parameters) {
            XCTAssertEqual(bits(a.gradient), bits(b.gradient), a.name)
        }
        for (name, tensor, moments) in [("conv1", outputs[0], conv.outputMoments), ("pool1", outputs[1], pool.outputMoments)] {
            let record = try XCTUnwrap(log.records.first { $0.name == "activation:\(name)" }, name)
            XCTAssertEqual(bits(record.tensor), bits(tensor), name)
            XCTAssertEqual(record.moments, try XCTUnwrap(moments), name)
        }
    }

    /// A recorder at a statistics-only step (`histogramSample`) takes conv1's output and
    /// dL/d(conv1) as summaries of tensors that were never stored, with the pieces and sampled
    /// values the stored tensors give; where it declines a summary, it is handed the tensor.
    /// The rest of the step, conv1's gradients included, is the same bit for bit.
    func testAStatisticsOnlyRecorderGetsTheConvolutionAsItsSummary() throws {
        final class SummaryLog: Recorder {
            let accepts: Bool
            var records: [String: (tensor: Tensor, moments: TensorMoments?)] = [:]
            var summaries: [String: TensorSummary] = [:]
            init(accepts: Bool) { self.accepts = accepts }
            func record(_ kind: TensorKind, name: String, tensor: Tensor) { record(kind, name: name, tensor: tensor, moments: nil) }
            func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?) {
                records["\(kind.rawValue):\(name)"] = (tensor, moments)
            }
            func histogramSample(_ kind: TensorKind, name: String) -> Int? { 100 }
            func record(_ kind: TensorKind, name: String, summary: TensorSummary) -> Bool {
                summaries["\(kind.rawValue):\(name)"] = summary
                return accepts
            }
        }
        func run(_ recorder: Recorder) throws -> (y: Tensor, gradients: [Tensor]) {
            let model = try smallCNN()
            let y = try model.forward(input(), context: ForwardContext(training: true, recorder: recorder))
            _ = model.backward(Tensor(shape: y.shape, scalars: y.scalars.map { $0 * 0.5 - 0.25 }), inputGradient: false)
            return (y, model.parameters.map(\.gradient))
        }
        func bits(_ t: Tensor?) -> [UInt32] { t?.scalars.map(\.bitPattern) ?? [] }
        let reference = MomentsLog(), expected = try run(reference)
        let summarized = ["activation:conv1", "gradient:conv1"]
        for accepts in [true, false] {
            let log = SummaryLog(accepts: accepts), got = try run(log)
            XCTAssertEqual(bits(got.y), bits(expected.y))
            XCTAssertEqual(got.gradients.map(bits), expected.gradients.map(bits))
            XCTAssertEqual(log.summaries.keys.sorted(), summarized, "only conv1's passes summarize")
            for name in summarized {
                // The reference keeps dL/d(conv1) as a tensor with the pooling's patches applied.
                let stored = try XCTUnwrap(reference.records.first { $0.name == name }, name)
                let summary = try XCTUnwrap(log.summaries[name], name)
                XCTAssertEqual(summary.moments, stored.moments, name)
                let runs = HistogramRuns(count: stored.tensor.count, sample: 100)
                XCTAssertEqual(summary.sampled.map(\.bitPattern),
                               runs.runs.flatMap { stored.tensor.scalars[$0] }.map(\.bitPattern), name)
                let handed = log.records[name]
                XCTAssertEqual(handed == nil, accepts, "\(name): the tensor comes only after a declined summary")
                if let handed {
                    XCTAssertEqual(bits(handed.tensor), bits(stored.tensor), name)
                    XCTAssertEqual(handed.moments, stored.moments, name)
                }
            }
            for record in reference.records where !summarized.contains(record.name) {
                XCTAssertEqual(bits(log.records[record.name]?.tensor), bits(record.tensor), record.name)
            }
        }
    }

    func testOnlyGradientsTheRecorderKeepsAreMeasured() throws {
        let model = try smallCNN(), log = MomentsLog()
        log.declined = ["conv1"]
        let y = try model.forward(input(), context: ForwardContext(training: true, recorder: log))
        _ = model.backward(y, inputGradient: false)
        let pool = try XCTUnwrap(model.layers[1] as? MaxPool2D)
        XCTAssertNil(pool.inputGradientMoments, "dL/d(conv1) was declined, so pool1 did not measure it")
        XCTAssertNotNil(pool.outputMoments)
        // Without a recorder nothing is measured.
        _ = try model.forward(input(), context: .inference)
        XCTAssertNil(pool.outputMoments)
    }

    func testBackwardWithoutParameterGradientsLeavesThemAndReturnsTheSameInputGradient() throws {
        let model = try smallCNN()
        let y = try model.forward(input(), context: ForwardContext(training: false))
        let full = try XCTUnwrap(model.backward(y, inputGradient: true))
        let gradients = model.parameters.map(\.gradient)
        let dy = Tensor(shape: y.shape, scalars: y.scalars.map { $0 * 0.5 })
        let log = MomentsLog()
        _ = try model.forward(input(), context: ForwardContext(training: false, recorder: log))
        let alone = try XCTUnwrap(model.backward(dy, inputGradient: true, parameterGradients: false))
        XCTAssertEqual(model.parameters.map(\.gradient), gradients)
        XCTAssertFalse(log.records.contains { $0.name.hasPrefix("gradient:") && $0.name.contains(".") },
                       "no parameter gradient is reported when none is computed")
        let halved = try XCTUnwrap(model.backward(dy, inputGradient: true))
        XCTAssertEqual(alone, halved)
        XCTAssertNotEqual(halved, full)
    }
}
