import Foundation
import NeuralNet
import Tensor

/// The draw the symbol tasks share (`FirstTokenRecall`, `ReverseSequence`): `count` rows
/// of `length` random symbols (ids 0…symbols−1) from the stream `stream` of `seed`, each
/// labelled per step by the task's rule `labels(row)`.
enum SymbolSequences {
    static func generate(count: Int, length: Int, symbols: Int, seed: UInt64, stream: String,
                         labels rule: ([Int]) -> [Int]) throws -> SequenceData {
        var rng = RandomStream(seed: seed, name: stream)
        var ids: [Float] = [], labels: [Int] = []
        ids.reserveCapacity(count * length)
        labels.reserveCapacity(count * length)
        for _ in 0..<count {
            let row = (0..<length).map { _ in Int(rng.next() % UInt64(symbols)) }
            ids += row.map(Float.init)
            labels += rule(row)
        }
        return try SequenceData(inputs: Tensor(shape: [count, length], scalars: ids), labels: labels)
    }
}
