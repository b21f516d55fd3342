import Foundation
import Tensor

/// Draws the "noise" words of negative sampling from the unigram distribution raised
/// to the power ¾ (Mikolov et al. 2013):
///
///     P(w) = count(w)^¾ / Σ_w' count(w')^¾
///
/// The power lifts rare words a little and lowers frequent ones, which worked best in
/// the paper. A word with count 0 (padding, unknown, line breaks) is never drawn.
/// Draws are a binary search of a uniform number in the cumulative distribution, so a
/// stream with the same seed gives the same words on any machine.
public struct NegativeSampler: Sendable {
    public static let power = 0.75
    /// cumulative[w] = Σ_{w' ≤ w} P(w').
    let cumulative: [Double]

    /// `counts[w]`: how often word w occurs in the training text. Nil when no word occurs.
    public init?(counts: [Int]) {
        var running = 0.0
        var cumulative: [Double] = []
        for c in counts {
            running += c > 0 ? pow(Double(c), Self.power) : 0
            cumulative.append(running)
        }
        guard running > 0 else { return nil }
        self.cumulative = cumulative.map { $0 / running }
    }

    /// P(w) of each word.
    public var probabilities: [Double] {
        cumulative.indices.map { $0 == 0 ? cumulative[0] : cumulative[$0] - cumulative[$0 - 1] }
    }

    /// One word drawn from P, redrawn while it is `excluded` (the context word itself;
    /// after 64 tries it is kept: a text of one word has nothing else to draw).
    public func draw(_ rng: inout RandomStream, excluding excluded: Int) -> Int {
        var w = word(atQuantile: Double(rng.nextUniform()))
        for _ in 0..<64 where w == excluded { w = word(atQuantile: Double(rng.nextUniform())) }
        return w
    }

    /// The first word whose cumulative probability exceeds q ∈ [0, 1).
    func word(atQuantile q: Double) -> Int {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > q { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
