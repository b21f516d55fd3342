import XCTest
import Tensor
@testable import NeuralNet

/// A tiny Transformer trained end to end: reversing a sequence needs each step to
/// read another step, which attention learns to find.
final class TransformerTrainingTests: XCTestCase {
    func testATinyTransformerLearnsToReverseASequence() throws {
        let (count, time) = (256, 6)
        var rng = RandomStream(seed: 4, name: "reverse")
        var inputs: [Float] = [], labels: [Int] = []
        for _ in 0..<count {
            let tokens = (0..<time).map { _ in 1 + Int(rng.next() % 8) }
            inputs += tokens.map(Float.init)
            labels += tokens.reversed()
        }
        let data = try SequenceData(inputs: Tensor(shape: [count, time], scalars: inputs), labels: labels)
        let model = try Sequential(inputShape: [time], seed: 3, [
            Embedding(vocabulary: 9, dimension: 16), PositionalEncoding(.learned, context: time),
            TransformerBlock(heads: 2, feedForward: 32), LayerNorm(), Dense(9),
        ])
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                              options: TrainingOptions(epochs: 40, batchSize: 32, seed: 1))
        let history = try trainer.fit(data)
        XCTAssertGreaterThan(history.epochs.last?.accuracy ?? 0, 0.95)
        // Query t attends mostly to key time − 1 − t, where its answer is (0.98 measured).
        _ = try model.forward(data.inputs.slice(0..<32), context: .inference)
        let block = try XCTUnwrap(model.layers[2] as? TransformerBlock)
        let p = try XCTUnwrap(block.attention?.attentionWeights)
        var mirrored: Float = 0
        for b in 0..<32 {
            for h in 0..<2 { for t in 0..<time { mirrored += p[b, h, t, time - 1 - t] } }
        }
        XCTAssertGreaterThan(mirrored / Float(32 * 2 * time), 0.9, "mean attention on the mirrored key")
    }
}
