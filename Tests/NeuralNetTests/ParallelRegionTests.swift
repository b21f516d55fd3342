import NeuralNet
import Tensor
import XCTest

/// How many parallel regions (each a barrier between the threads) one training step
/// (plain, and recorded as a trace's statistics-only step asks) and one inference batch
/// of the cnn-mnist network open. Fewer, larger regions keep
/// a step fast on a loaded machine, where every barrier may wait for a descheduled
/// thread; these bounds keep a change from quietly adding regions back.
final class ParallelRegionTests: XCTestCase {
    private func network() throws -> Sequential {
        try Sequential(inputShape: [28, 28, 1], seed: 7, [
            Conv2D(32, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(64, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(64, kernelSize: 3, activation: .relu), Flatten(),
            Dense(64, activation: .relu), Dense(10),
        ])
    }

    private func batch(_ count: Int) -> Tensor {
        var rng = RandomStream(seed: 3, name: "regions")
        return Tensor(shape: [count, 28, 28, 1], scalars: (0..<(count * 784)).map { _ in rng.nextUniform() })
    }

    /// Regions opened by `body` on the shared pool.
    private func regions(_ body: () throws -> Void) rethrows -> Int {
        let before = WorkerPool.shared.regionCount
        try body()
        return WorkerPool.shared.regionCount - before
    }

    /// Regions of the second of two training steps of batch 64 (the first warms caches
    /// such as Winograd's transformed filters), recorded by `recorder` where given.
    private func regionsOfTrainingStep(recordedBy recorder: Recorder?) throws -> Int {
        let model = try network(), optimizer = Adam(), x = batch(64)
        let labels = (0..<64).map { $0 % 10 }
        func step() throws {
            let y = try model.forward(x, context: ForwardContext(training: true, step: 0, seed: 1, recorder: recorder))
            _ = model.backward(try SoftmaxCrossEntropy().evaluate(y, .classes(labels)).gradient, inputGradient: false)
            optimizer.update(model.parameters)
        }
        try step()
        return try regions(step)
    }

    func testTrainingStepOpensFewRegions() throws {
        let count = try regionsOfTrainingStep(recordedBy: nil)
        print("parallel regions per cnn-mnist training step (batch 64): \(count)")
        XCTAssertLessThanOrEqual(count, Self.trainingStepRegions)
    }

    /// What a trace's statistics-only step asks of the model: every layer's output and
    /// gradient, with the moments their kernels measure, as summaries where a kernel gives
    /// one (the statistics themselves run as deferred work on the workers, outside any region).
    private final class EveryTensor: Recorder {
        func record(_ kind: TensorKind, name: String, tensor: Tensor) {}
        func histogramSample(_ kind: TensorKind, name: String) -> Int? { 4_096 }
        func record(_ kind: TensorKind, name: String, summary: TensorSummary) -> Bool { true }
    }

    func testRecordedTrainingStepOpensFewRegions() throws {
        let count = try regionsOfTrainingStep(recordedBy: EveryTensor())
        print("parallel regions per recorded cnn-mnist training step (batch 64): \(count)")
        XCTAssertLessThanOrEqual(count, Self.recordedStepRegions)
    }

    func testInferenceBatchOpensFewRegions() throws {
        let model = try network(), x = batch(256)
        let count = try regions { _ = try model.forward(x, context: .inference) }
        print("parallel regions per cnn-mnist inference batch (256): \(count)")
        XCTAssertLessThanOrEqual(count, Self.inferenceRegions)
    }

    // One of them is Adam's update (every parameter in one region).
    static let trainingStepRegions = 13
    static let recordedStepRegions = 14
    static let inferenceRegions = 4
}
