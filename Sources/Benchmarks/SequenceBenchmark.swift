import Foundation
import NeuralNet
import Tensor

/// Tokens per second of a character-level recurrent model, training and inference:
/// vocabulary 64, `Embedding(64, 32)` → `LSTM(128)` or `GRU(128)` with every step's
/// output → `Dense(64)` at every step, sequences of 64 tokens, batch 32, Adam, sparse
/// cross-entropy from logits (the model `Benchmarks/keras/recurrent_bench.py` times in
/// Keras for the side-by-side ratio). Synthetic token ids: the speed does not depend on them.
public struct SequenceBenchmark {
    public static let vocabulary = 64
    public static let time = 64
    public static let batch = 32

    public var steps: Int
    public var warmup = 3
    public var rounds: Int

    public init(steps: Int = 4, rounds: Int = 10) {
        self.steps = steps
        self.rounds = rounds
    }

    /// The benchmark's model with `cell` (`LSTM` or `GRU`) as its recurrent layer.
    public static func model(_ cell: RecurrentType, seed: UInt64 = 1) throws -> Sequential {
        let recurrent: Layer = cell == .lstm ? LSTM(128, returnSequences: true) : GRU(128, returnSequences: true)
        return try Sequential(inputShape: [time], seed: seed, [Embedding(vocabulary: vocabulary, dimension: 32), recurrent,
                                                               Dense(vocabulary)])
    }

    /// Which recurrent layer the model uses.
    public enum RecurrentType: String, CaseIterable, Sendable { case lstm, gru }

    /// A batch of token ids and next-token labels.
    static func batchOfTokens() -> (Tensor, LossTarget) {
        var rng = RandomStream(seed: 2, name: "sequence-bench")
        let ids = (0..<(batch * (time + 1))).map { _ in Int(rng.next() % UInt64(vocabulary)) }
        var x: [Float] = [], labels: [Int] = []
        for b in 0..<batch {
            let row = ids[(b * (time + 1))..<((b + 1) * (time + 1))]
            x += row.prefix(time).map(Float.init)
            labels += row.dropFirst()
        }
        return (Tensor(shape: [batch, time], scalars: x), .classes(labels))
    }

    /// Training tokens per second (batch · time per step), best round.
    public func trainingTokensPerSecond(_ cell: RecurrentType) throws -> Double {
        let trainer = Trainer(model: try Self.model(cell), loss: SoftmaxCrossEntropy(), optimizer: Adam())
        let (x, target) = Self.batchOfTokens()
        var step = 0
        let seconds = try best {
            try trainer.trainStep(x, target, info: StepInfo(step: step, epoch: 0, endsEpoch: false))
            step += 1
        }
        return Double(Self.batch * Self.time) / seconds
    }

    /// Inference tokens per second, best round.
    public func inferenceTokensPerSecond(_ cell: RecurrentType) throws -> Double {
        let model = try Self.model(cell)
        let (x, _) = Self.batchOfTokens()
        let seconds = try best { _ = try model.forward(x, context: .inference) }
        return Double(Self.batch * Self.time) / seconds
    }

    /// Seconds per call of `body`: the best of `rounds` rounds of `steps` calls, after `warmup`.
    private func best(_ body: () throws -> Void) throws -> Double {
        try Self.best(warmup: warmup, rounds: rounds, steps: steps, body)
    }

    /// Seconds per call of `body`: the best of `rounds` rounds of `steps` calls, after `warmup` calls.
    static func best(warmup: Int, rounds: Int, steps: Int, _ body: () throws -> Void) throws -> Double {
        for _ in 0..<warmup { try body() }
        return try (0..<rounds).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<steps { try body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(steps)
        }.min()!
    }
}
