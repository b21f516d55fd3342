import Foundation
import NeuralNet
import Tensor
import Trace
import XCTest

/// A run saved to a checkpoint and resumed in a fresh process-like setting
/// (new model, new optimizer) continues bit for bit like the uninterrupted run.
final class ResumeFromCheckpointTests: XCTestCase {
    private func makeTrainer(seed: UInt64) throws -> Trainer {
        let model = try Sequential(inputShape: [8, 8, 1], seed: seed, [
            Conv2D(3, kernelSize: 3, activation: .relu), MaxPool2D(size: 2), Flatten(), Dropout(rate: 0.2), Dense(2),
        ])
        return Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                       options: TrainingOptions(epochs: 1, batchSize: 8, seed: 7))
    }

    private func steps(_ trainer: Trainer, _ range: Range<Int>, _ data: LabeledData) throws {
        for s in range {
            let (x, target) = data.batch(Array((s * 8)..<(s * 8 + 8)))
            try trainer.trainStep(x, target, info: StepInfo(step: s, epoch: 0, endsEpoch: false))
        }
    }

    func testResumedRunIsBitIdenticalToUninterruptedRun() throws {
        let data = try TraceSnapshotTests.images(count: 48)
        let uninterrupted = try makeTrainer(seed: 1)
        try steps(uninterrupted, 0..<6, data)

        let first = try makeTrainer(seed: 1)
        try steps(first, 0..<3, data)
        var state = first.model.stateDict()
        for (k, v) in first.optimizer.state() { state["optimizer/" + k] = v }
        let file = try makeTemporaryDirectory("resume").appendingPathComponent("checkpoint.safetensors")
        try Checkpoint.save(state, metadata: ["step": "\(first.step)"], to: file)

        let resumed = try makeTrainer(seed: 99)   // different initial weights, all overwritten
        let (tensors, metadata) = try Checkpoint.load(from: file)
        try resumed.model.loadStateDict(tensors)
        resumed.optimizer.prepare(resumed.model.parameters)
        try resumed.optimizer.loadState(Dictionary(uniqueKeysWithValues: tensors.compactMap { key, value in
            key.hasPrefix("optimizer/") ? (String(key.dropFirst("optimizer/".count)), value) : nil
        }))
        resumed.step = Int(metadata["step"]!)!
        try steps(resumed, 3..<6, data)

        XCTAssertEqual(resumed.model.stateDict(), uninterrupted.model.stateDict())
        XCTAssertEqual(resumed.optimizer.state(), uninterrupted.optimizer.state())
    }
}
