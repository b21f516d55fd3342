import Foundation
import Render
import Tensor
import Trace

/// Figures of an attention layer from the trace's `attention/<layer>` (the weights P,
/// `[probe, heads, query, key]`) and `attention/<layer>.scores` (S = Q·Kᵀ/√d before mask
/// and softmax): one probe sequence's attention map at several steps of training, how
/// much weight falls where the task needs it, and one query walked through the
/// computation with the shape of every matrix.
///
/// Options: `layer` (default: the first attention layer), `probe` (default 0), `head`
/// (default 0), `steps`, `run`/`runs`, and `expected` (`reverse`: query t should look at
/// key T − 1 − t), which adds each frame's weight on the expected keys to its title.
enum AttentionFigures {
    static let options: [String: LessonPlot.OptionKind] = [
        "layer": .text, "probe": .integers, "head": .integers, "steps": .integers, "runs": .text, "run": .text,
        "expected": .choice(ExpectedAttention.allCases.map(\.rawValue)),
    ]

    /// The attention layer the figure shows: option `layer`, else the first one the trace holds.
    static func layer(_ trace: TraceFigures, _ c: FigureContext) throws -> String {
        let names = trace.reader.tensors().filter { $0.kind == .attention && !$0.name.hasSuffix(".scores") }.map(\.name)
        if let wanted = c.text("layer") {
            guard names.contains(wanted) else {
                throw FigureUnavailable("no attention layer '\(wanted)' in the trace (it has: \(Set(names).sorted().joined(separator: ", ")))")
            }
            return wanted
        }
        guard let first = names.first else { throw FigureUnavailable("the trace keeps no attention weights") }
        return first
    }

    /// The steps whose attention weights the trace keeps.
    static func steps(_ trace: TraceFigures, layer: String) -> [Int] { trace.steps(holding: layer, kind: .attention) }

    /// How the figures write the probe's tokens: the trace's vocabulary, the letters of a
    /// symbol task, or the ids.
    static func tokens(_ trace: TraceFigures, step: Int, probe: Int) throws -> [String] {
        let input = try trace.reader.tensor("input", kind: .input, step: step)
        let time = input.shape.last ?? 0
        let ids = (0..<time).map { Int(input.scalars[probe * time + $0]) }
        if FileManager.default.fileExists(atPath: trace.folder.appendingPathComponent(Vocabulary.fileName).path) {
            let vocabulary = try Vocabulary.read(from: trace.folder)
            return ids.map { Vocabulary.label(vocabulary.token(of: $0)) }
        }
        if trace.reader.manifest.run.hyperparameters["dataset"] == SequenceDataset.reverse.rawValue {
            return ids.map(ReverseSequence.name(of:))
        }
        return ids.map(String.init)
    }

    /// One probe's `[query, key]` matrix of one head from a `[probe, heads, query, key]` tensor.
    static func matrix(_ t: Tensor, probe: Int, head: Int) throws -> FloatArray {
        let (heads, q, k) = (t.shape[1], t.shape[2], t.shape[3])
        guard probe < t.shape[0], head < heads else {
            throw FigureUnavailable("probe \(probe), head \(head) is outside the recorded \(t.shape)")
        }
        let start = ((probe * heads) + head) * q * k
        return try FloatArray(shape: [q, k], values: Array(t.scalars[start..<(start + q * k)]))
    }

    /// Option `steps` (default: the first five kept and the last), `probe`, `head`, `run`:
    /// one probe sequence's attention map as a frame series over training — up to 12
    /// evenly spaced kept steps and the chosen ones in the gallery, the chosen steps with
    /// the final one last as small multiples in the handout — all on one colour scale from 0.
    static func maps(_ c: FigureContext) throws -> NamedFigure {
        let run = try c.run(named: c.text("run"))
        let layer = try self.layer(run.figures, c)
        let held = steps(run.figures, layer: layer)
        guard let last = held.last else { throw FigureUnavailable("no step keeps attention/\(layer)") }
        let wanted = c.integers("steps").map { TraceFigures.nearestSteps($0, held: held) } ?? Array(held.prefix(5))
        let chosen = (wanted.filter { $0 != last } + [last])
        let shown = Set(DecisionBoundaryFigures.evenlySpaced(12, held: held) + chosen).sorted()
        let probe = c.integers("probe")?.first ?? 0, head = c.integers("head")?.first ?? 0
        let expected = c.word("expected", ExpectedAttention.self)
        var weights: [Int: FloatArray] = [:]
        for step in shown {
            weights[step] = try matrix(try run.figures.reader.tensor(layer, kind: .attention, step: step), probe: probe, head: head)
        }
        func frame(_ step: Int) -> AttentionMap.Head {
            let share = expected.map { String(format: " · %.0f %% on target", 100 * $0.meanWeight(on: weights[step]!)) } ?? ""
            // With the share in the title, the last panel says only "trained" (the slider's label
            // gives its step): "trained (step 377) · 98 % on target" ran into its neighbour.
            let when = step == last ? (share.isEmpty ? "trained (step \(step))" : "trained") : "step \(step)"
            return AttentionMap.Head(name: when + share, weights: weights[step]!)
        }
        let scale = ColorScale.sequential(weights.values.flatMap(\.values), theme: .standard, fromZero: true)
        let tokens = try self.tokens(run.figures, step: last, probe: probe)
        let title = "Where each query looks as \(run.name) trains (\(layer), probe \(probe + 1))"
        let still = try AttentionMap(title: title, queryTokens: tokens, keyTokens: tokens, heads: chosen.map(frame), scale: scale)
        let frames = try shown.map { step in
            FigureFrame.step(step, try AttentionMap(title: title, queryTokens: tokens, keyTokens: tokens,
                                                    heads: [frame(step)], scale: scale),
                             label: step == last ? "trained (step \(step))" : nil)
        }
        return NamedFigure("attention-maps" + (c.text("run").map { "-\($0)" } ?? ""), still, frames: frames)
    }

    /// Option `runs`, `expected` (required): at every kept step, the mean attention weight
    /// on the keys the task needs, over the probe sequences, heads and queries, one line
    /// per run, with the weight a uniform spread would give (1/T) as a labelled reference line.
    static func convergence(_ c: FigureContext) throws -> Figure {
        guard let expected = c.word("expected", ExpectedAttention.self) else {
            throw FigureUnavailable("attention-convergence needs `expected:` (\(ExpectedAttention.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var series: [Series] = [], categories: [Int] = [], time = 0
        for run in try c.selectedRuns() {
            let layer = try self.layer(run.figures, c)
            let held = steps(run.figures, layer: layer)
            let values = try held.map { step -> Double in
                let t = try run.figures.reader.tensor(layer, kind: .attention, step: step)
                time = t.shape[2]
                var sum = 0.0
                for p in 0..<t.shape[0] { for h in 0..<t.shape[1] { sum += expected.meanWeight(on: try matrix(t, probe: p, head: h)) } }
                return sum / Double(t.shape[0] * t.shape[1])
            }
            series.append(Series(name: run.name, x: held.map(Double.init), y: values))
            categories.append(c.category(ofRun: run.name))
        }
        guard time > 0 else { throw FigureUnavailable("no run keeps attention weights") }
        var chart = try LineChart(title: "Attention on the key each answer needs (\(expected.description))", xLabel: "training step",
                                  yLabel: "mean weight on the target key", series: series, categories: categories, yRange: 0...1.05,
                                  referenceLines: [ReferenceLine(1 / Double(time), label: "uniform: 1/\(time)")])
        // Its point is a level reached (1, or ½ for the causal model) and when: flatter than
        // a chart's 0.55, so that it shares the handout page of the attention maps before it.
        chart.aspect = 0.35
        return chart
    }
}

/// The attention pattern a task needs, for figures that check a map against it.
enum ExpectedAttention: String, CaseIterable {
    /// Reading backwards: query t needs key T − 1 − t.
    case reverse

    var description: String {
        switch self { case .reverse: return "query t on key T − 1 − t" }
    }

    /// The key query `q` of `time` should attend to.
    func target(query q: Int, time: Int) -> Int {
        switch self { case .reverse: return time - 1 - q }
    }

    /// Mean over queries of the weight on each query's target key, for a `[query, key]` map.
    func meanWeight(on weights: FloatArray) -> Double {
        let (queries, keys) = (weights.shape[0], weights.shape[1])
        let total = (0..<queries).reduce(0.0) { sum, q in sum + Double(weights.values[q * keys + target(query: q, time: keys)]) }
        return total / Double(queries)
    }
}
