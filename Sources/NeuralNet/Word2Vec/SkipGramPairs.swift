import Foundation
import Tensor

/// The (centre, context) pairs of skip-gram read from a text's word ids, as word2vec.c
/// reads them:
/// - Frequent words are dropped at random before windows are taken (subsampling): a
///   word of frequency f survives with probability min(1, √(t/f) + t/f). With t = 10⁻³,
///   "the" (f ≈ 4 %) survives one time in five, a word seen five times always.
/// - Around each kept word the window has a width b drawn uniformly from 1…`window`,
///   so nearer words are paired more often (on average with weight (W − d + 1)/W at
///   distance d).
/// - Windows do not cross a boundary word (a line break: one WordNet gloss does not
///   continue into the next), and a boundary or reserved word (padding, unknown) is
///   never a centre or a context.
///
/// The same seed and epoch give the same pairs.
public struct SkipGramPairs: Sendable {
    public var window: Int
    /// The subsampling threshold t; nil keeps every word.
    public var subsample: Double?
    /// Word ids that end a window and are never paired.
    public var boundaries: Set<Int>
    /// Ids below this are reserved (padding 0, unknown 1) and never paired.
    public var firstWord: Int

    public init(window: Int, subsample: Double?, boundaries: Set<Int> = [], firstWord: Int = 2) {
        self.window = window
        self.subsample = subsample
        self.boundaries = boundaries
        self.firstWord = firstWord
    }

    /// Survival probability of each word under subsampling (1 for all without it).
    public func keepProbabilities(counts: [Int]) -> [Double] {
        let total = Double(counts.reduce(0, +))
        guard let t = subsample, total > 0 else { return counts.map { _ in 1 } }
        return counts.map { c in
            guard c > 0 else { return 1 }
            let f = Double(c) / total
            return min(1, (t / f).squareRoot() + t / f)
        }
    }

    /// Every pair of one pass over `ids`, in text order; `keep` from `keepProbabilities`
    /// (nil: keep every word). `stream` names the random draws (one per epoch of training;
    /// validation and test have their own, drawn once).
    public func pairs(_ ids: [Int], keep: [Double]?, seed: UInt64, epoch: Int,
                      stream: String = "skip-gram-pairs") -> [(centre: Int32, context: Int32)] {
        var rng = RandomStream(seed: seed, name: stream, index: UInt64(epoch))
        // Subsampled segments: runs of kept words between boundaries.
        var segments: [[Int]] = [[]]
        for id in ids {
            if boundaries.contains(id) { segments.append([]); continue }
            guard id >= firstWord else { continue }
            if let keep, Double(rng.nextUniform()) >= keep[id] { continue }
            segments[segments.count - 1].append(id)
        }
        var out: [(centre: Int32, context: Int32)] = []
        for words in segments where words.count > 1 {
            for (i, centre) in words.enumerated() {
                let b = 1 + Int(rng.next() % UInt64(window))
                for j in max(0, i - b)...min(words.count - 1, i + b) where j != i {
                    out.append((Int32(centre), Int32(words[j])))
                }
            }
        }
        return out
    }
}
