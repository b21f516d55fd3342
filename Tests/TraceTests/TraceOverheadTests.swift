import XCTest
import NeuralNet
import Tensor
@testable import Trace

/// What recording costs per training step for tensors the size of the
/// Fashion-MNIST CNN's (batch 64): printed, and bounded loosely so that a
/// pathological slowdown fails while a busy shared machine does not.
final class TraceOverheadTests: XCTestCase {
    /// Activations of conv1 (26·26·32), pool1, conv2 (11·11·64), pool2, dense1, dense2 for 64
    /// images, plus weight, gradient and update of every parameter: 22 tensors, 3.0M floats.
    private let cnnTensors: [(TensorKind, String, Tensor)] = {
        let activations: [(String, [Int])] = [("input", [64, 28, 28, 1]), ("conv1", [64, 26, 26, 32]),
                                              ("pool1", [64, 13, 13, 32]), ("conv2", [64, 11, 11, 64]),
                                              ("pool2", [64, 5, 5, 64]), ("dense1", [64, 128]), ("dense2", [64, 10])]
        let parameters: [(String, [Int])] = [("conv1.weight", [3, 3, 1, 32]), ("conv2.weight", [3, 3, 32, 64]),
                                             ("dense1.weight", [1600, 128]), ("dense2.weight", [128, 10]),
                                             ("conv1.bias", [32])]
        var tensors = activations.enumerated().map { i, a in
            (i == 0 ? TensorKind.input : .activation, a.0, syntheticTensor(a.1, salt: Double(i)))
        }
        for (i, p) in parameters.enumerated() {
            for kind in [TensorKind.weight, .gradient, .update] {
                tensors.append((kind, p.0, syntheticTensor(p.1, salt: Double(i) + 0.5)))
            }
        }
        return tensors
    }()

    /// Wall-clock and CPU (all threads) seconds per step.
    private func secondsPerStep(policy: RecordPolicy, steps: Int) throws -> (wall: Double, cpu: Double) {
        let directory = try makeTemporaryDirectory("overhead")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: policy)
        let start = Date(), startCPU = clock()
        for step in 0..<steps {
            writer.beginStep(StepInfo(step: step, epoch: 0, endsEpoch: false))
            for (kind, name, tensor) in cnnTensors { writer.record(kind, name: name, tensor: tensor) }
            writer.recordScalars(["loss": 1, "accuracy": 0.5, "lr": 0.01])
            writer.endStep()
        }
        try writer.finish()
        return (Date().timeIntervalSince(start) / Double(steps),
                Double(clock() - startCPU) / Double(CLOCKS_PER_SEC) / Double(steps))
    }

    func testStatisticsOfACNNSizedStepCostMilliseconds() throws {
        let floats = cnnTensors.map { $0.2.count }.reduce(0, +)
        let statistics = try secondsPerStep(policy: .none, steps: 100)
        let full = try secondsPerStep(policy: .all, steps: 10)
        func ms(_ t: (wall: Double, cpu: Double)) -> String {
            String(format: "%.1f ms wall, %.1f ms CPU", t.wall * 1e3, t.cpu * 1e3)
        }
        print("record overhead per step, \(cnnTensors.count) tensors, \(floats) floats: "
              + "statistics \(ms(statistics)); statistics + full tensors \(ms(full))")
        XCTAssertLessThan(statistics.wall, 0.05)
        XCTAssertLessThan(full.wall, 1)
    }
}
