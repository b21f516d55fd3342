import Foundation
import NeuralNet
import Tensor

/// The attention-basics task: a sequence of `length` random symbols (ids 0…symbols−1)
/// whose answer at step t is the symbol at step T − 1 − t, the sequence read backwards.
/// Every answer lies at a position known in advance, so the right attention pattern is
/// known too: query t should look at key T − 1 − t (the anti-diagonal). A model that
/// cannot look ahead (a causal mask) can answer only the second half; chance is 1/symbols.
public enum ReverseSequence {
    /// Symbols a sequence is drawn from (the token ids 0…7).
    public static let symbols = 8

    /// How figures write symbol `id`: the letters A…H.
    public static func name(of id: Int) -> String {
        (0..<symbols).contains(id) ? String(UnicodeScalar(UInt8(65 + id))) : "?"
    }

    /// `count` sequences of `length` steps, drawn from (seed, part).
    public static func generate(count: Int, length: Int, seed: UInt64, part: String) throws -> SequenceData {
        try SymbolSequences.generate(count: count, length: length, symbols: symbols, seed: seed,
                                     stream: "reverse-\(part)-\(length)") { Array($0.reversed()) }
    }
}
