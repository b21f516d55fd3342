import Foundation
import Render
import NeuralNet
import Trace

/// Figures that compare tokenizers: the first byte-pair merges, how long a text
/// gets and how many words go unknown as the vocabulary grows, one sentence cut
/// by each run's tokenizer, and each run's validation loss in bits per character.
enum TokenizerFigures {
    static let options: [String: LessonPlot.OptionKind] = [
        "runs": .text, "count": .integers, "merges": .integers, "sizes": .integers, "sentence": .text,
    ]
    static let defaultMerges = [0, 25, 50, 100, 200, 400, 800, 1600]
    static let defaultWordSizes = [100, 250, 500, 1000, 2000, 4000, 8000]

    /// Each run that read a text, with its vocabulary and statistics.
    static func textRuns(_ c: FigureContext) throws -> [(name: String, vocabulary: Vocabulary, statistics: TextStatistics,
                                                       figures: TraceFigures)] {
        let runs = try c.selectedRuns().compactMap { run -> (String, Vocabulary, TextStatistics, TraceFigures)? in
            guard let statistics = try TextStatistics.read(fromTrace: run.figures.folder),
                  let vocabulary = try? Vocabulary.read(from: run.figures.folder) else { return nil }
            return (run.name, vocabulary, statistics, run.figures)
        }
        guard !runs.isEmpty else { throw FigureUnavailable("no run keeps \(TextStatistics.fileName) (a text run)") }
        return runs.map { (name: $0.0, vocabulary: $0.1, statistics: $0.2, figures: $0.3) }
    }

    static func study(_ c: FigureContext) throws -> TokenizerStudy {
        let runs = try textRuns(c)
        let runMerges = runs.filter { $0.vocabulary.kind == .bpe }.map(\.vocabulary.merges.count)
        return try TokenizerStudy.of(runs[0].statistics, mergeCounts: Array(Set((c.integers("merges") ?? defaultMerges) + runMerges)),
                                     wordSizes: c.integers("sizes") ?? defaultWordSizes)
    }

    /// The colour of the run that uses `kind`, so a tokenizer keeps its run's colour.
    static func category(of kind: TokenizerKind, _ c: FigureContext) throws -> Int {
        c.category(ofRun: try textRuns(c).first { $0.vocabulary.kind == kind }?.name ?? kind.rawValue)
    }

    /// A token with its spaces and line breaks visible.
    static func visible(_ token: String) -> String {
        token.replacingOccurrences(of: " ", with: "␣").replacingOccurrences(of: "\n", with: "⏎")
    }

    /// The first merges learned from the training text, in order, with the count of the pair when it was merged.
    static func merges(_ c: FigureContext) throws -> Figure {
        let study = try study(c)
        let count = min(c.integers("count")?.first ?? 20, study.bpe.merges.count)
        guard count > 0 else { throw FigureUnavailable("the training text gave no merge (no pair occurs twice)") }
        let rows: [[TextTable.Cell]] = (0..<count).map { k in
            let m = study.bpe.merges[k]
            return [TextTable.Cell("\(k + 1)"), TextTable.Cell("\(visible(m.left))  +  \(visible(m.right))"),
                    TextTable.Cell(visible(m.token)), TextTable.Cell("\(study.bpe.counts[k])")]
        }
        return try TextTable(title: "The first \(count) byte-pair merges, learned from the training text",
                             subtitle: "each merge joins the most frequent pair of neighbouring tokens into a new token (␣ is a space)",
                             sections: [TextTable.Section(title: "merge, in the order learned",
                                                          header: ["#", "pair", "new token", "times the pair occurred"],
                                                          rows: rows)])
    }

    /// Tokens per word and per 100 characters of the validation text against the vocabulary size.
    static func lengths(_ c: FigureContext) throws -> Figure {
        let study = try study(c)
        let runMerges = try textRuns(c).filter { $0.vocabulary.kind == .bpe }.map(\.vocabulary.merges.count)
        let categories = [try category(of: .word, c), try category(of: .bpe, c), try category(of: .character, c)]
        func panel(_ title: String, _ y: String, _ value: (TokenizerStudy.Point) -> Double) throws -> Figure {
            // Characters last, on top: BPE with 0 merges is the same point.
            let series = [
                Series(name: "words", x: study.wordPoints.map { Double($0.point.vocabularySize) },
                       y: study.wordPoints.map { value($0.point) }),
                Series(name: "BPE (\(study.bpePoints.map { "\($0.merges)" }.joined(separator: ", ")) merges)",
                       x: study.bpePoints.map { Double($0.point.vocabularySize) }, y: study.bpePoints.map { value($0.point) }),
                Series(name: "characters", x: [Double(study.characters.vocabularySize)], y: [value(study.characters)]),
            ]
            return try LineChart(title: title, xLabel: "vocabulary size (tokens, log scale)", yLabel: y, series: series,
                                 xScale: .log, markers: true, categories: categories,
                                 yRange: 0...(series.flatMap(\.y).max()! * 1.08))
        }
        return try SmallMultiples(
            title: "How long the validation text gets, against the vocabulary size",
            subtitle: "\(study.validationText.count) characters, \(study.validationWords) words. Per 100 characters: "
                + study.bpePoints.filter { runMerges.contains($0.merges) }
                    .map { "BPE (\($0.merges) merges) \(String(format: "%.1f", $0.point.tokensPer100Characters)), " }.joined()
                + "words \(String(format: "%.1f", study.wordPoints.last!.point.tokensPer100Characters)) tokens",
            panels: [try panel("tokens per word", "tokens per word", \.tokensPerWord),
                     try panel("tokens per 100 characters", "tokens per 100 characters", \.tokensPer100Characters)],
            columns: 2)
    }

    /// The share of validation words a word vocabulary lacks, against its size, beside BPE's.
    static func unknownWords(_ c: FigureContext) throws -> Figure {
        let study = try study(c)
        let bpeUnknown = study.bpePoints.map { p -> Double in
            // A word is unknown to BPE only if it holds a character the training text lacks.
            let alphabet = Set(study.bpe.alphabet)
            let words = WordTokenizer().tokens(in: study.validationText).filter { $0.contains { $0.isLetter || $0.isNumber } }
            return 100 * Double(words.filter { $0.contains { !alphabet.contains(String($0)) } }.count) / Double(max(1, words.count))
        }
        let series = [
            Series(name: "words", x: study.wordPoints.map { Double($0.point.vocabularySize) },
                   y: study.wordPoints.map { 100 * $0.unknownRate }),
            Series(name: "BPE (and characters)", x: study.bpePoints.map { Double($0.point.vocabularySize) }, y: bpeUnknown),
        ]
        let words = try textRuns(c).first { $0.vocabulary.kind == .word }?.vocabulary.count
        let atRun = words.flatMap { size in study.wordPoints.first { $0.point.vocabularySize >= size } }
        let full = study.wordPoints.last!
        return try LineChart(title: "Unknown validation words: "
                                 + (atRun.map { "\(percent($0.unknownRate)) at \($0.point.vocabularySize) words, " } ?? "")
                                 + "\(percent(full.unknownRate)) with all \(full.point.vocabularySize)",
                             xLabel: "vocabulary size (tokens, log scale)", yLabel: "unknown words (% of validation words)",
                             series: series, xScale: .log, markers: true,
                             categories: [try category(of: .word, c), try category(of: .bpe, c)], yRange: 0...100)
    }

    static func percent(_ share: Double) -> String { String(format: "%.1f %%", 100 * share) }

    /// One validation sentence cut by each run's tokenizer.
    static func split(_ c: FigureContext) throws -> Figure {
        let runs = try textRuns(c)
        let sentence = try c.text("sentence") ?? defaultSentence(c)
        let rows = runs.map { run -> TokenRows.Row in
            let tokens = run.vocabulary.tokenizer.tokens(in: sentence)
            let ids = run.vocabulary.ids(of: tokens)
            return TokenRows.Row(name: run.name,
                                 detail: "\(run.vocabulary.kind.rawValue), a vocabulary of \(run.vocabulary.count): \(tokens.count) tokens",
                                 tokens: zip(tokens, ids).map { $1 == Vocabulary.unknownID ? Vocabulary.unknownToken : visible($0) },
                                 marked: ids.map { $0 == Vocabulary.unknownID })
        }
        return try TokenRows(title: "One validation sentence, as each model reads it",
                             subtitle: "\(sentence.count) characters; each shaded box is one token (␣ is a space)",
                             rows: rows, note: "outlined: not in the vocabulary; the model reads <unk>")
    }

    /// A validation line of 60 to 110 characters holding a word the smallest word vocabulary lacks.
    static func defaultSentence(_ c: FigureContext) throws -> String {
        let runs = try textRuns(c)
        let study = try study(c)
        // The first line may be the end of one cut by the split: start after a line break.
        let lines = study.validationText.split(separator: "\n").dropFirst().map(String.init).filter { (60...110).contains($0.count) }
        let word = runs.first { $0.vocabulary.kind == .word }?.vocabulary
        let pick = lines.first { line in word.map { $0.encode(line).contains(Vocabulary.unknownID) } ?? true } ?? lines.first
        guard let pick else { throw FigureUnavailable("the validation text has no line of 60 to 110 characters") }
        return pick
    }

    /// Each run's validation loss per epoch in bits per character.
    static func bitsPerCharacter(_ c: FigureContext) throws -> Figure {
        var series: [Series] = [], categories: [Int] = []
        for run in try textRuns(c) {
            let values = run.figures.reader.manifest.epochs.compactMap { e in
                e.value(ScalarName.validationLoss).map { (Double(e.epoch + 1), run.statistics.bitsPerCharacter(lossPerToken: Double($0))) }
            }
            guard let last = values.last else { continue }
            series.append(Series(name: "\(run.name): \(String(format: "%.2f", last.1)) bits/char, "
                                     + "\(String(format: "%.2f", run.statistics.tokensPerCharacter)) tokens/char",
                                 x: values.map(\.0), y: values.map(\.1)))
            categories.append(c.category(ofRun: run.name))
        }
        guard !series.isEmpty else { throw FigureUnavailable("no text run recorded a validation loss") }
        return try LineChart(title: "Validation loss per character: the measure that compares tokenizers",
                             xLabel: "epoch", yLabel: "bits per character", series: series, markers: true,
                             categories: categories)
    }
}
