import Foundation
import NeuralNet
import Tensor

/// Tokens per second of a small decoder-only Transformer, training and inference:
/// vocabulary 64, context 64, `Embedding(64, 64)` → learned `PositionalEncoding` →
/// two pre-LayerNorm `TransformerBlock`s (4 heads, causal self-attention, GELU
/// feed-forward of 256) → `LayerNorm` → `Dense(64)` at every step, batch 32, Adam,
/// sparse cross-entropy from logits (the model `Benchmarks/keras/transformer_bench.py`
/// times in Keras for the side-by-side ratio). The token batch is `SequenceBenchmark`'s.
public struct TransformerBenchmark {
    public static let vocabulary = SequenceBenchmark.vocabulary
    public static let time = SequenceBenchmark.time
    public static let model = 64
    public static let heads = 4
    public static let blocks = 2
    public static let feedForward = 256

    public var steps: Int
    public var warmup = 3
    public var rounds: Int

    public init(steps: Int = 4, rounds: Int = 10) {
        self.steps = steps
        self.rounds = rounds
    }

    /// The benchmark's model.
    public static func network(seed: UInt64 = 1) throws -> Sequential {
        let blocks: [Layer] = (0..<Self.blocks).map { _ in
            TransformerBlock(heads: heads, feedForward: feedForward, causal: true)
        }
        return try Sequential(inputShape: [time], seed: seed,
                              [Embedding(vocabulary: vocabulary, dimension: model), PositionalEncoding(.learned, context: time)]
                                  + blocks + [LayerNorm(), Dense(vocabulary)])
    }

    /// Training tokens per second (batch · time per step), best round.
    public func trainingTokensPerSecond() throws -> Double {
        let trainer = Trainer(model: try Self.network(), loss: SoftmaxCrossEntropy(), optimizer: Adam())
        let (x, target) = SequenceBenchmark.batchOfTokens()
        var step = 0
        let seconds = try SequenceBenchmark.best(warmup: warmup, rounds: rounds, steps: steps) {
            try trainer.trainStep(x, target, info: StepInfo(step: step, epoch: 0, endsEpoch: false))
            step += 1
        }
        return Double(SequenceBenchmark.batch * Self.time) / seconds
    }

    /// Inference tokens per second, best round.
    public func inferenceTokensPerSecond() throws -> Double {
        let network = try Self.network()
        let (x, _) = SequenceBenchmark.batchOfTokens()
        let seconds = try SequenceBenchmark.best(warmup: warmup, rounds: rounds, steps: steps) {
            _ = try network.forward(x, context: .inference)
        }
        return Double(SequenceBenchmark.batch * Self.time) / seconds
    }
}
