import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a Transformer with several attention layers and heads, from its trace:
/// every head of every layer on one probe line at chosen steps, how spread out each
/// head's attention is over training (its entropy), and the positions the model learned.
///
/// Options of `attention-heads`: `steps` (default: three kept steps spread over
/// training), `probe` (default 0), `characters` (at most the first N tokens of the probe,
/// default 16; fewer when a row would be too short for its label, so that every character
/// labels its row and its column), `run`. Of `attention-entropy`: `run`. Of `positions`: `run`.
enum TransformerFigures {
    /// The width figures are laid out at (`Figure.pngData`'s default), which the handout prints.
    static let layoutWidth = 800.0

    static let headOptions: [String: LessonPlot.OptionKind] = [
        "steps": .integers, "probe": .integers, "characters": .integers, "run": .text,
    ]

    /// Every attention layer the trace keeps weights of, in model order.
    static func attentionLayers(_ trace: TraceFigures) -> [String] {
        Set(trace.reader.tensors().filter { $0.kind == .attention && !$0.name.hasSuffix(".scores") }.map(\.name))
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
    }

    /// Attention layer name → whether its mask is causal, from the trained model.
    static func causalLayers(_ model: Sequential) -> [String: Bool] {
        var causal: [String: Bool] = [:]
        for layer in model.layers {
            if let block = layer as? TransformerBlock, let attention = block.attention { causal[attention.name] = block.causal }
            if let attention = layer as? MultiHeadAttention { causal[attention.name] = attention.causal }
        }
        return causal
    }

    /// A frame series over the chosen steps and the trained model: one panel per layer ×
    /// head, a row per layer, over the first `characters` tokens of one probe line; every
    /// frame on one colour scale, so that frames compare. The handout's still is the first
    /// and the last frame as small multiples, one above the other, in one map.
    /// The line is cut to as many tokens as the panels can label in full when the figure is
    /// laid out at `layoutWidth`.
    static func heads(_ c: FigureContext) throws -> NamedFigure {
        let run = try c.run(named: c.text("run"))
        let layers = attentionLayers(run.figures)
        guard let first = layers.first else { throw FigureUnavailable("the trace keeps no attention weights") }
        let held = run.figures.steps(holding: first, kind: .attention)
        guard let last = held.last else { throw FigureUnavailable("no step keeps attention/\(first)") }
        let wanted = c.integers("steps").map { TraceFigures.nearestSteps($0, held: held) }
            ?? DecisionBoundaryFigures.evenlySpaced(4, held: held)
        let shown = Array(Set(wanted + [last])).sorted()
        let probe = c.integers("probe")?.first ?? 0
        let tokens = try AttentionFigures.tokens(run.figures, step: last, probe: probe)
        var n = min(c.integers("characters")?.first ?? 16, tokens.count)
        guard n >= 2 else { throw FigureUnavailable("option characters must be at least 2") }
        var heads = 1
        let full: [[(layer: Int, head: Int, weights: FloatArray)]] = try shown.map { step in
            try layers.enumerated().flatMap { l, layer in
                let t = try run.figures.reader.tensor(layer, kind: .attention, step: step)
                heads = t.shape[1]
                return try (0..<heads).map { h in (l + 1, h + 1, try AttentionFigures.matrix(t, probe: probe, head: h)) }
            }
        }
        var line: String { tokens.prefix(n).joined().replacingOccurrences(of: "␣", with: " ") }
        func when(_ k: Int) -> String { shown[k] == last ? "trained (step \(last))" : "step \(shown[k]) of \(last)" }
        /// The maps of frames `ks`, a row per layer; panels named in full, or short with their step when several frames share the map.
        func map(_ ks: [Int], title: String, _ scale: ColorScale?) throws -> AttentionMap {
            try AttentionMap(title: title, queryTokens: Array(tokens.prefix(n)), keyTokens: Array(tokens.prefix(n)),
                             heads: try ks.flatMap { k in try full[k].map { p in
                                 AttentionMap.Head(name: ks.count == 1 ? "layer \(p.layer) · head \(p.head)"
                                                       : "L\(p.layer) H\(p.head) · \(shown[k] == last ? "trained" : "step \(shown[k])")",
                                                   weights: try crop(p.weights, to: n))
                             } },
                             scale: scale, columns: heads)
        }
        func frame(_ k: Int, _ scale: ColorScale?) throws -> AttentionMap {
            try map([k], title: "Every head of every layer on \u{201C}\(line)\u{201D}, \(when(k))", scale)
        }
        while n > 2, try frame(shown.count - 1, nil).queryLabelStride(width: layoutWidth) > 1 { n -= 1 }
        let scale = ColorScale.sequential(try full.flatMap { try $0.flatMap { try crop($0.weights, to: n).values } },
                                          theme: .standard, fromZero: true)
        let frames = try shown.indices.map { FigureFrame.step(shown[$0], try frame($0, scale)) }
        let ends = FrameSeries.evenlySpacedIndices(shown.count, count: 2)
        // A title that fits on one line of the map: the panels name layer, head and step.
        let still = ends.count < 2 ? frames.last!.figure : try map(ends, title: "Each head on \u{201C}\(line)\u{201D}: "
            + "step \(shown[ends[0]]) (top), trained at step \(last) (bottom)", scale)
        return NamedFigure("attention-heads", still, frames: frames)
    }

    /// The top-left `n` × `n` block of a `[query, key]` map: the first n queries and the
    /// keys they can see (all of them, under a causal mask).
    static func crop(_ m: FloatArray, to n: Int) throws -> FloatArray {
        let keys = m.shape[1]
        return try FloatArray(shape: [n, n], values: (0..<n).flatMap { q in m.values[(q * keys)..<(q * keys + n)] })
    }

    /// H = −Σ_k p_k log₂ p_k of each row of a `[query, key]` map, averaged over the queries.
    static func meanEntropyBits(_ m: FloatArray) -> Double {
        let (queries, keys) = (m.shape[0], m.shape[1])
        var total = 0.0
        for q in 0..<queries {
            for k in 0..<keys {
                let p = Double(m.values[q * keys + k])
                if p > 0 { total -= p * log2(p) }
            }
        }
        return total / Double(queries)
    }

    /// The entropy of uniform attention over what each query may see, averaged over the
    /// queries: log₂ T without a mask, (1/T) Σ_q log₂(q + 1) with a causal one.
    static func uniformEntropyBits(time: Int, causal: Bool) -> Double {
        causal ? (1...time).reduce(0.0) { $0 + log2(Double($1)) } / Double(time) : log2(Double(time))
    }

    /// One panel per layer: each head's attention entropy in bits (mean over the probe
    /// lines and queries) at every kept step, with uniform attention's entropy as a labelled reference line.
    static func entropy(_ c: FigureContext) throws -> Figure {
        let run = try c.run(named: c.text("run"))
        let layers = attentionLayers(run.figures)
        guard !layers.isEmpty else { throw FigureUnavailable("the trace keeps no attention weights") }
        let causal = causalLayers(try run.figures.model())
        var panels: [(name: String, series: [Series], uniform: Double)] = []
        for (l, layer) in layers.enumerated() {
            let held = run.figures.steps(holding: layer, kind: .attention)
            var perHead: [[Double]] = [], time = 0
            for step in held {
                let t = try run.figures.reader.tensor(layer, kind: .attention, step: step)
                time = t.shape[2]
                if perHead.isEmpty { perHead = Array(repeating: [], count: t.shape[1]) }
                for h in 0..<t.shape[1] {
                    let sum = try (0..<t.shape[0]).reduce(0.0) { $0 + meanEntropyBits(try AttentionFigures.matrix(t, probe: $1, head: h)) }
                    perHead[h].append(sum / Double(t.shape[0]))
                }
            }
            guard time > 0 else { continue }
            let x = held.map(Double.init)
            let uniform = uniformEntropyBits(time: time, causal: causal[layer] ?? false)
            panels.append(("layer \(l + 1) (\(layer))",
                           perHead.enumerated().map { Series(name: "head \($0.offset + 1)", x: x, y: $0.element) },
                           uniform))
        }
        guard let top = panels.map(\.uniform).max() else {
            throw FigureUnavailable("no step keeps attention weights")
        }
        let charts = try panels.map { panel -> Figure in
            var chart = try LineChart(title: panel.name, xLabel: "training step", yLabel: "entropy (bits)",   // short: the flatter panel's axis is shorter than the long label
                          series: panel.series, categories: Array(FigureContext.runPalette.prefix(panel.series.count)),
                          yRange: 0...(top * 1.25),   // room above the uniform line for its label
                          referenceLines: [ReferenceLine(panel.uniform, label: String(format: "uniform: %.2f bits", panel.uniform))])
            // A little flatter than a line chart's 0.55, so that the figure fits under the text
            // samples; at 0.4 a head's bits could no longer be read off.
            chart.aspect = 0.5
            return chart
        }
        return try SmallMultiples(title: "How spread out each head's attention is, as training goes on",
                                  // One line in print: a second one pushed the figure off the page it shares with the text samples.
                                  subtitle: "−Σ p log₂ p of each query's weights, mean over "
                                      + "\(try probeCount(run.figures, layers[0])) validation lines; low: the head looks at few characters",
                                  panels: charts, columns: charts.count)
    }

    private static func probeCount(_ trace: TraceFigures, _ layer: String) throws -> Int {
        guard let step = trace.steps(holding: layer, kind: .attention).first else { return 0 }
        return try trace.reader.tensor(layer, kind: .attention, step: step).shape[0]
    }

    /// The trained model's learned positional embeddings P `[position, dimension]` on a
    /// diverging scale, beside the cosine similarity of every pair of positions.
    static func positions(_ c: FigureContext) throws -> Figure {
        let run = try c.run(named: c.text("run"))
        let model = try run.figures.model()
        guard let encoding = model.layers.compactMap({ $0 as? PositionalEncoding }).first(where: { $0.embeddings != nil }) else {
            throw FigureUnavailable("the model has no learned PositionalEncoding")
        }
        let p = encoding.table, (count, width) = (p.shape[0], p.shape[1])
        let rows = (0..<count).map { Array(p.scalars[($0 * width)..<(($0 + 1) * width)]) }
        let norms = rows.map { sqrt($0.reduce(0) { $0 + Double($1) * Double($1) }) }
        var cosine: [Float] = []
        for i in 0..<count {
            for j in 0..<count {
                let dot = zip(rows[i], rows[j]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                cosine.append(Float(dot / max(norms[i] * norms[j], 1e-12)))
            }
        }
        let labels = (0..<count).map(String.init)
        let table = try Heatmap(title: "P: one row per position", values: try FloatArray(shape: [count, width], values: p.scalars),
                                rowLabels: labels, columnLabels: (0..<width).map(String.init), xLabel: "dimension",
                                yLabel: "position", valueLabel: "P[t, i]", signed: true)
        let similarity = try Heatmap(title: "cosine similarity of positions", values: try FloatArray(shape: [count, count], values: cosine),
                                     rowLabels: labels, columnLabels: labels, xLabel: "position", yLabel: "position",
                                     valueLabel: "cos(P[s], P[t])", signed: true)
        return try SmallMultiples(title: "The positions the model learned (\(encoding.name).embeddings, \(count) × \(width))",
                                  subtitle: "left: the table added to each step's embedding; right: how alike two positions' "
                                      + "vectors are (1: same direction, 0: unrelated)",
                                  panels: [table, similarity], columns: 2)
    }
}
