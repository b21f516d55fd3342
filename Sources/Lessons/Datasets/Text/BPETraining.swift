/// Learning byte-pair-encoding merges from a training text: start from its
/// characters and, again and again, join the pair of neighbouring tokens that
/// occurs most often, counting inside chunks only (`BPETokenizer.chunks`, so no
/// token spans two words).
///
/// Ties are broken the same way on every machine: among the pairs with the
/// highest count, the one whose left token, then right token, comes first in
/// UTF-8 byte order wins. Training stops after `merges` merges, or earlier when
/// no pair occurs twice. The merges with `k` < `merges` are the first `k` of a
/// longer run, so one training serves every vocabulary size up to `merges`.
///
/// ```swift
/// let bpe = BPETraining(text: "low low lower", merges: 2)
/// // chunks "low", " low", " lower": "l o" and "o w" occur 3 times each, "l" < "o" in byte order
/// bpe.merges   // [BPEMerge("l", "o"), BPEMerge("lo", "w")]
/// ```
///
/// Counting: pairs are kept with their counts and the chunks they occur in, so a
/// merge recounts only the chunks that hold its pair.
public struct BPETraining: Sendable {
    /// The merges, in the order they were learned.
    public let merges: [BPEMerge]
    /// How often each merge's pair stood side by side in the training text when it was chosen.
    public let counts: [Int]
    /// The training text's characters, by descending count (ties in UTF-8 byte order).
    public let alphabet: [String]

    public init(text: String, merges maximum: Int) {
        var chunkCount: [Substring: Int] = [:]
        for chunk in BPETokenizer.chunks(of: text) { chunkCount[chunk, default: 0] += 1 }
        var characterCount: [String: Int] = [:]
        for (chunk, n) in chunkCount {
            for c in chunk { characterCount[String(c), default: 0] += n }
        }
        alphabet = characterCount.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
        }.map(\.key)
        var table = SymbolTable(alphabet)
        // Chunks in a fixed order (by their text), as symbol ids.
        let chunks = chunkCount.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var words = chunks.map { $0.map { table.id(String($0)) } }
        let frequency = chunks.map { chunkCount[$0]! }
        var pairs = PairCounts()
        for (w, word) in words.enumerated() { pairs.add(word, times: frequency[w], word: w) }

        var learned: [BPEMerge] = []
        var counts: [Int] = []
        while learned.count < maximum, let (pair, count) = pairs.best(spelling: table.strings), count >= 2 {
            let merge = BPEMerge(table.strings[pair.left], table.strings[pair.right])
            let joined = table.id(merge.token)
            for w in pairs.words(holding: pair) {
                pairs.add(words[w], times: -frequency[w], word: w)
                words[w] = BPETokenizer.apply((pair.left, pair.right), to: words[w], joined: joined)
                pairs.add(words[w], times: frequency[w], word: w)
            }
            learned.append(merge)
            counts.append(count)
        }
        self.merges = learned
        self.counts = counts
    }

    /// The tokenizer that applies these merges.
    public var tokenizer: BPETokenizer { BPETokenizer(merges: merges) }
}

/// Token strings and their ids during training; a merge whose token is already
/// known (`"a" + "bc"` after `"ab" + "c"`) reuses its id.
private struct SymbolTable {
    var strings: [String] = []
    var ids: [String: Int] = [:]

    init(_ alphabet: [String]) {
        for s in alphabet { _ = id(s) }
    }

    mutating func id(_ s: String) -> Int {
        if let id = ids[s] { return id }
        strings.append(s)
        ids[s] = strings.count - 1
        return strings.count - 1
    }
}

/// Neighbouring-pair counts over the training chunks, and which chunks hold each pair.
private struct PairCounts {
    struct Pair: Hashable {
        let left: Int
        let right: Int
    }

    private var count: [Pair: Int] = [:]
    private var holders: [Pair: Set<Int>] = [:]

    /// Adds `times` (negative to take away) for every neighbouring pair of `symbols`, chunk `word`.
    mutating func add(_ symbols: [Int], times: Int, word: Int) {
        guard symbols.count > 1 else { return }
        for i in 0..<(symbols.count - 1) {
            let pair = Pair(left: symbols[i], right: symbols[i + 1])
            let n = count[pair, default: 0] + times
            if n == 0 {
                count[pair] = nil
                holders[pair] = nil
            } else {
                count[pair] = n
                if times > 0 { holders[pair, default: []].insert(word) }
            }
        }
    }

    /// The chunks that held `pair` (some may no longer hold it; recounting them is harmless), in order.
    func words(holding pair: Pair) -> [Int] {
        (holders[pair] ?? []).sorted()
    }

    /// The most frequent pair; ties go to the pair whose left, then right, token comes
    /// first in UTF-8 byte order.
    func best(spelling strings: [String]) -> (Pair, Int)? {
        var best: (Pair, Int)?
        for (pair, n) in count {
            guard let (b, bn) = best else { best = (pair, n); continue }
            if n > bn || (n == bn && precedes(pair, b, strings)) { best = (pair, n) }
        }
        return best
    }

    private func precedes(_ a: Pair, _ b: Pair, _ strings: [String]) -> Bool {
        let (al, bl) = (strings[a.left], strings[b.left])
        if al != bl { return al.utf8.lexicographicallyPrecedes(bl.utf8) }
        return strings[a.right].utf8.lexicographicallyPrecedes(strings[b.right].utf8)
    }
}
