import Foundation
import NeuralNet
import Tensor

/// The long-memory task of the vanishing-gradients lesson: a sequence of `length`
/// random symbols (ids 0…symbols−1) whose answer, given only at the last step, is the
/// symbol it started with. Every step but the last is labelled `LossTarget.ignored`,
/// so the loss, and with it every gradient, starts at step T and has to travel back
/// T − 1 steps to reach the only input that matters. Chance is 1/symbols.
public enum FirstTokenRecall {
    /// Symbols a sequence is drawn from (the token ids 0…7).
    public static let symbols = 8

    /// `count` sequences of `length` steps, drawn from (seed, part).
    public static func generate(count: Int, length: Int, seed: UInt64, part: String) throws -> SequenceData {
        try SymbolSequences.generate(count: count, length: length, symbols: symbols, seed: seed,
                                     stream: "first-token-\(part)-\(length)") { row in
            [Int](repeating: LossTarget.ignored, count: length - 1) + [row[0]]
        }
    }
}
