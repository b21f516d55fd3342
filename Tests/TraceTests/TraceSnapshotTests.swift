import Foundation
import NeuralNet
import SnapshotTesting
import Tensor
import Trace
import XCTest

/// Pins the numbers of short, deterministic training runs against a committed
/// text snapshot: every recorded tensor's statistics at every step to 5
/// significant digits (readable: how much it moved), and the CRC-32 of every
/// full tensor (exact: a one-ulp change anywhere shows). When a kernel's
/// numerics change, the diff names the tensor and the step that moved.
///
/// Re-record on purpose (then read the diff before committing):
///
///     SNAPSHOT_TESTING_RECORD=all swift test -c release --filter TraceSnapshotTests
final class TraceSnapshotTests: XCTestCase {
    /// Random 8×8 images whose label says which half is brighter.
    static func images(count: Int) throws -> LabeledData {
        var rng = RandomStream(seed: 21, name: "snapshot-images")
        let x = Tensor(shape: [count, 8, 8, 1], scalars: (0..<(count * 64)).map { _ in rng.nextUniform() })
        let labels = (0..<count).map { i in
            x.scalars[(i * 64)..<(i * 64 + 32)].reduce(0, +) > x.scalars[(i * 64 + 32)..<(i * 64 + 64)].reduce(0, +) ? 1 : 0
        }
        return try LabeledData(inputs: x, labels: labels, classNames: ["bottom", "top"])
    }

    /// Points in the plane labelled by quadrant parity (XOR).
    static func xor(count: Int) throws -> LabeledData {
        var rng = RandomStream(seed: 22, name: "snapshot-xor")
        var xs: [Float] = []
        var labels: [Int] = []
        for _ in 0..<count {
            let a = rng.nextUniform(-1, 1), b = rng.nextUniform(-1, 1)
            xs += [a, b]
            labels.append((a > 0) != (b > 0) ? 1 : 0)
        }
        return try LabeledData(inputs: Tensor(shape: [count, 2], scalars: xs), labels: labels, classNames: ["same", "differ"])
    }

    /// Trains `layers` for one epoch with a trace of policy `all`; returns the trace's statistics text.
    private func traceText(_ layers: [Layer], data: LabeledData, optimizer: Optimizer) throws -> String {
        let model = try Sequential(inputShape: data.exampleShape, seed: 3, layers)
        let folder = try makeTemporaryDirectory("snapshot")
        let description = ModelDescription(layers: model.summary.map { l in
            LayerDescription(name: l.name, type: l.kind, outputShape: l.outputShape,
                             parameters: l.parameters.map { ParameterDescription(name: $0.name, shape: $0.shape) })
        })
        let writer = try TraceWriter(directory: folder, run: TraceRunInfo(lesson: "snapshot", model: description,
                                                                          seed: 3, threads: 1, toolVersion: "test"),
                                     policy: .all)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: optimizer,
                              options: TrainingOptions(epochs: 1, batchSize: 16, seed: 3))
        trainer.recorder = writer
        let probe = data.subset([0, 1, 2])
        trainer.probe = (probe.inputs, .classes(probe.labels))
        _ = try trainer.fit(data)
        try writer.finish()
        let reader = try TraceReader(directory: folder)
        let checksums = reader.tensors().sorted { ($0.step, $0.key) < ($1.step, $1.key) }.map {
            "\($0.step) \($0.key) \($0.shape) crc32=\(String($0.crc32, radix: 16))"
        }
        return (try TraceSummary.statisticsLines(reader, significantDigits: 5) + checksums).joined(separator: "\n")
    }

    func testSmallCNNTraceMatchesSnapshot() throws {
        let text = try traceText([
            Conv2D(4, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(4, kernelSize: 2, padding: .same, activation: .relu), Flatten(), Dense(2),
        ], data: Self.images(count: 64), optimizer: Adam(learningRate: 0.01))
        assertSnapshot(of: text, as: .lines, named: "small-cnn")
    }

    func testMLPTraceMatchesSnapshot() throws {
        let text = try traceText([Dense(8, activation: .tanh), Dropout(rate: 0.25), Dense(2)],
                                 data: Self.xor(count: 64), optimizer: SGD(learningRate: 0.1, momentum: 0.9))
        assertSnapshot(of: text, as: .lines, named: "mlp")
    }
}
