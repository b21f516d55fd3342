import Foundation
import Render

/// Figures of word embeddings, from a run's trace and the final vectors beside it: a
/// map of chosen words with the path some took over training, nearest neighbours and
/// analogies, a similarity matrix, and two runs' embeddings side by side.
///
/// Word lists come from the lesson file. `words` items are groups written
/// `"name: word word …"` (the map colours them by group) or plain words; words the
/// vocabulary lacks are left out and named in the subtitle, never silently.
enum EmbeddingFigures {
    /// The words of option `key` by group, known to `embedding`, and those it lacks.
    static func groups(_ c: FigureContext, _ key: String = "words", _ embedding: WordEmbedding)
        -> (groups: [(name: String, words: [String])], missing: [String]) {
        var groups: [(String, [String])] = [], missing: [String] = []
        for item in c.texts(key) ?? [] {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            let name = parts.count == 2 ? parts[0].trimmingCharacters(in: .whitespaces) : "words"
            let words = (parts.count == 2 ? parts[1] : item).split(separator: " ").map(String.init)
            missing += words.filter { !embedding.knows($0) }
            let known = words.filter(embedding.knows)
            if !known.isEmpty { groups.append((name, known)) }
        }
        return (groups, missing)
    }

    static func missingNote(_ missing: [String]) -> String {
        missing.isEmpty ? "" : "; not in the vocabulary, left out: " + missing.joined(separator: ", ")
    }

    /// The run named by option `run`, or the main run.
    static func run(_ c: FigureContext) throws -> (name: String, figures: TraceFigures) {
        guard let name = c.text("run") else { return c.runs[0] }
        guard let run = c.runs.first(where: { $0.name == name }) else {
            throw FigureUnavailable("no run named '\(name)' (runs: \(c.runs.map(\.name).joined(separator: ", ")))")
        }
        return run
    }

    /// The chosen words on the two principal axes of their final vectors, coloured by
    /// group, with the path the words of option `paths` took: their vectors at each
    /// recorded step, projected on the same (final) axes.
    static func map(_ c: FigureContext) throws -> Figure {
        let (name, trace) = try run(c)
        let final = try WordEmbedding(trace)
        let (groups, missing) = Self.groups(c, "words", final)
        let all = groups.flatMap(\.words)
        guard all.count >= 3 else { throw FigureUnavailable("the map needs at least three known words (option words)") }
        let pca = PrincipalAxes(all.map(final.vector))
        var words: [WordMap.Word] = []
        for (g, group) in groups.enumerated() {
            for w in group.words { let p = pca.project(final.vector(w)); words.append(.init(w, x: p[0], y: p[1], group: g)) }
        }
        let steps = try WordEmbedding.steps(trace)
        let frames = try steps.map { try WordEmbedding(trace, step: $0) }
        let paths = (c.texts("paths") ?? []).filter(all.contains).map { word in
            WordMap.Path(label: word, group: groups.firstIndex { $0.words.contains(word) }!,
                         positions: (frames + [final]).map { f in let p = pca.project(f.vector(word)); return (p[0], p[1]) })
        }
        func axis(_ k: Int) -> String { "principal axis \(k + 1) (\(percent(pca.explained[k])) of the variance)" }
        return try WordMap(title: "\(all.count) words of the \(name) embedding on their two principal axes",
                           subtitle: "\(final.dimension) dimensions drawn in 2"
                               + (paths.isEmpty ? "" : "; lines: where \(paths.map(\.label).joined(separator: ", ")) "
                                  + "stood at \(steps.count) recorded steps (○ the first), on the same axes")
                               + missingNote(missing),
                           xLabel: axis(0), yLabel: axis(1), words: words, groupNames: groups.map(\.name), paths: paths)
    }

    /// Option `words`' nearest neighbours (`count`, default 5) and option `analogies`
    /// ("a b c d": a is to b as c is to d?) answered by b − a + c, in one table.
    static func neighbours(_ c: FigureContext) throws -> Figure {
        let (name, trace) = try run(c)
        let e = try WordEmbedding(trace)
        let (groups, missing) = Self.groups(c, "words", e)
        let count = c.integers("count")?.first ?? 5
        var sections: [TextTable.Section] = []
        let queries = groups.flatMap(\.words)
        if !queries.isEmpty {
            sections.append(.init(title: "Nearest neighbours by cosine similarity",
                                  header: ["word"] + (1...count).map(ordinal),
                                  rows: queries.map { w in
                                      [TextTable.Cell(w)] + e.neighbours(of: w, count: count).map(cell)
                                  }))
        }
        var missingAnalogy: [String] = []
        let analogyRows: [[TextTable.Cell]] = (c.texts("analogies") ?? []).compactMap { item in
            let w = item.split(separator: " ").map(String.init)
            guard w.count == 4, w.allSatisfy(e.knows) else { missingAnalogy.append(item); return nil }
            let r = e.analogy(w[0], w[1], w[2], expected: w[3])
            let right = r.answer == w[3]
            return [TextTable.Cell("\(w[0]) : \(w[1]) :: \(w[2]) : ?"),
                    TextTable.Cell(right ? "\(r.answer) ✓" : "\(r.answer) ✗", mark: right ? .good : .bad),
                    TextTable.Cell(Self.fixed(r.cosine), tint: max(0, r.cosine)),
                    TextTable.Cell(w[3]),
                    TextTable.Cell(right ? "1st" : "\(ordinal(r.expectedRank)) (\(Self.fixed(r.expectedCosine)))")]
        }
        if !analogyRows.isEmpty {
            sections.append(.init(title: "Analogies: the word nearest to b − a + c",
                                  header: ["a : b :: c : ?", "answer", "cosine", "expected", "expected's rank (cosine)"],
                                  rows: analogyRows))
        }
        guard !sections.isEmpty else { throw FigureUnavailable("no known query words or analogies (options words, analogies)") }
        let vocabulary = e.vocabulary.count - 2
        return try TextTable(title: "What the \(name) embedding puts close together",
                             subtitle: "among \(vocabulary) words" + missingNote(missing + missingAnalogy),
                             sections: sections,
                             note: "Shading: cosine similarity, darker = closer to 1. ✗: the nearest word is not the one expected.")
    }

    /// The cosine similarity of every pair of option `words`, as a matrix on a diverging
    /// scale centred at 0 (−1 opposite, 0 unrelated, 1 the same direction).
    static func similarity(_ c: FigureContext) throws -> Figure {
        let (name, trace) = try run(c)
        let e = try WordEmbedding(trace)
        let (groups, missing) = Self.groups(c, "words", e)
        let words = groups.flatMap(\.words)
        guard words.count >= 2 else { throw FigureUnavailable("the matrix needs at least two known words (option words)") }
        let vectors = words.map(e.vector)
        let values = vectors.flatMap { a in vectors.map { b in Float(WordEmbedding.cosine(a, b)) } }
        // The diagonal's 1 sets the symmetric scale to −1…1, so colours mean the same in every run.
        let matrix = try FloatArray(shape: [words.count, words.count], values: values)
        return try Heatmap(title: "Cosine similarity of \(words.count) words in the \(name) embedding",
                           subtitle: "1 on the diagonal: each word with itself" + missingNote(missing),
                           values: matrix, rowLabels: words, columnLabels: words, valueLabel: "cosine similarity",
                           signed: true, showValues: words.count <= 16)
    }

    /// The same query words' nearest neighbours in each run's embedding, side by side.
    static func comparison(_ c: FigureContext) throws -> Figure {
        let runs = try c.selectedRuns()
        guard runs.count >= 2 else { throw FigureUnavailable("a comparison needs two runs") }
        let embeddings = try runs.map { try WordEmbedding($0.figures) }
        let count = c.integers("count")?.first ?? 4
        var missing: [String] = []
        let queries = (c.texts("words") ?? []).flatMap { item -> [String] in
            let parts = item.split(separator: ":", maxSplits: 1)
            return (parts.count == 2 ? parts[1] : parts[0]).split(separator: " ").map(String.init)
        }.filter { w in
            let known = embeddings.allSatisfy { $0.knows(w) }
            if !known { missing.append(w) }
            return known
        }
        guard !queries.isEmpty else { throw FigureUnavailable("no query word is in every run's vocabulary (option words)") }
        let rows = queries.map { w in
            [TextTable.Cell(w)] + embeddings.map { e in
                let n = e.neighbours(of: w, count: count)
                let mean = n.map(\.cosine).reduce(0, +) / Double(n.count)
                return TextTable.Cell(n.map(\.word).joined(separator: ", ") + "   (mean \(fixed(mean)))", tint: max(0, mean))
            }
        }
        return try TextTable(title: "The same words' nearest neighbours in \(runs.map(\.name).joined(separator: " and "))",
                             subtitle: "\(count) nearest by cosine similarity in each embedding" + missingNote(missing),
                             sections: [.init(title: "Nearest neighbours", header: ["word"] + runs.map { "\($0.name) (\(embeddingName($0.figures)))" },
                                              rows: rows)],
                             note: "Shading: the mean cosine of the neighbours shown, darker = closer to 1.")
    }

    static func embeddingName(_ run: TraceFigures) -> String {
        let names = run.layers.flatMap(\.parameters).map(\.name)
        return names.first { $0 == "word2vec.input" || $0.hasSuffix(".embeddings") } ?? "embedding"
    }

    static func cell(_ n: (word: String, cosine: Double)) -> TextTable.Cell {
        TextTable.Cell("\(n.word) \(fixed(n.cosine))", tint: max(0, n.cosine))
    }

    /// The lesson's one rounding rule for cosines: two decimals.
    static func fixed(_ x: Double) -> String { Ticks.fixed(x, decimals: 2) }

    static func percent(_ x: Double) -> String { String(format: "%.0f %%", x * 100) }

    static func ordinal(_ n: Int) -> String {
        let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
        return "\(n)\(suffix)"
    }
}
