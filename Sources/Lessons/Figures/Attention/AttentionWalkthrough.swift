import Foundation
import Render
import Tensor
import Trace

/// One attention layer's computation on one probe sequence, step by step with its
/// shapes, from the trained model's recorded scores and weights; and, computed from
/// random vectors alone, what the 1/√d in the scores prevents.
enum AttentionWalkthrough {
    /// Options `run`, `probe`, `head`, `layer`: S = Q·Kᵀ/√d, S with the mask (masked cells
    /// are −∞, drawn in the missing-value colour), and P = softmax row by row, at the last
    /// kept step, with the shapes of Q, K, V and the output in the subtitle.
    static func figure(_ c: FigureContext) throws -> Figure {
        let run = try c.run(named: c.text("run"))
        let trace = run.figures
        let layer = try AttentionFigures.layer(trace, c)
        guard let step = AttentionFigures.steps(trace, layer: layer).last else {
            throw FigureUnavailable("no step keeps attention/\(layer)")
        }
        let probe = c.integers("probe")?.first ?? 0, head = c.integers("head")?.first ?? 0
        let scores = try AttentionFigures.matrix(try trace.reader.tensor("\(layer).scores", kind: .attention, step: step),
                                                 probe: probe, head: head)
        let weights = try AttentionFigures.matrix(try trace.reader.tensor(layer, kind: .attention, step: step),
                                                  probe: probe, head: head)
        let query = try trace.reader.tensor("\(layer).query", kind: .activation, step: step).shape   // [probe, T, H, d]
        let values = try trace.reader.tensor("\(layer).value", kind: .activation, step: step)         // [probe, T, H, dv]
        let outputs = try trace.reader.tensor(layer, kind: .activation, step: step)                     // [probe, T, D]
        let (value, output) = (values.shape, outputs.shape)
        let (t, d, dv, model) = (query[1], query[3], value[3], output[2])
        // A softmax gives exactly 0 only where the mask put −∞.
        let masked = zip(scores.values, weights.values).map { s, p in p == 0 ? Float.nan : s }
        let tokens = try AttentionFigures.tokens(trace, step: step, probe: probe)
        var theme = Theme.standard
        theme.missingValue = Color(hex: 0xD0D0D0)   // masked (−∞) cells: grey, not the alarm colour of missing data
        func panel(_ title: String, _ values: [Float], label: String, signed: Bool) throws -> Heatmap {
            try Heatmap(title: title, values: try FloatArray(shape: [t, t], values: values), rowLabels: tokens,
                        columnLabels: tokens, xLabel: "key", yLabel: "query", valueLabel: label, signed: signed, theme: theme)
        }
        // The rest of the path, one row per query: O = P·V for this head, then the layer's output.
        let mixed = weightedValues(weights, values: values, probe: probe, head: head)
        let projected = Array(outputs.scalars[(probe * t * model)..<((probe + 1) * t * model)])
        func rows(_ title: String, _ values: [Float], width: Int, label: String) throws -> Heatmap {
            try Heatmap(title: title, values: try FloatArray(shape: [t, width], values: values), rowLabels: tokens,
                        columnLabels: (0..<width).map(String.init), xLabel: "dimension", yLabel: "query",
                        valueLabel: label, signed: true)
        }
        let heads = value[2]
        let hidden = masked.filter(\.isNaN).count
        // Two columns and short panel titles (the caption tells each step in words): in
        // three columns the titles ran into each other and the 8 × 8 maps shrank to stamps.
        return try SmallMultiples(
            title: "One attention pass of \(run.name), probe \(probe + 1), step \(step)",
            subtitle: "Q [\(t)×\(d)]·Kᵀ [\(d)×\(t)] ÷ √\(d) → S [\(t)×\(t)] → mask → softmax → P [\(t)×\(t)]; "
                + "P·V [\(t)×\(dv)] → [\(t)×\(dv)]; output projection → [\(t)×\(model)]",
            panels: [
                try panel("1 · S = Q·Kᵀ/√\(d)", scores.values, label: "score", signed: true),
                try panel(hidden == 0 ? "2 · S + mask (none)" : "2 · S + mask (\(hidden) × −∞)", masked,
                          label: "score", signed: true),
                try panel("3 · P = softmax, per row", weights.values, label: "weight", signed: false),
                try rows("4 · O = P·V", mixed, width: dv, label: "O[t, j]"),
                try rows(heads == 1 ? "5 · output O·W_O + b" : "5 · \(heads) heads' O, projected",
                         projected, width: model, label: "y[t, j]"),
            ], columns: 2, panelDesignWidth: 480)
    }

    /// O = P·V of one head for one probe: `[T, dv]` from P `[T, T]` and V `[probe, T, heads, dv]`.
    static func weightedValues(_ p: FloatArray, values v: Tensor, probe: Int, head: Int) -> [Float] {
        let (t, heads, dv) = (v.shape[1], v.shape[2], v.shape[3])
        var out = [Float](repeating: 0, count: t * dv)
        for q in 0..<t {
            for k in 0..<t {
                let w = p.values[q * t + k], row = ((probe * t + k) * heads + head) * dv
                for j in 0..<dv { out[q * dv + j] += w * v.scalars[row + j] }
            }
        }
        return out
    }

    /// Options `keys` (default 8): for key sizes d = 1 … 1024, the mean largest softmax
    /// weight over 2000 queries against `keys` random keys, entries of q and k drawn from
    /// N(0, 1), with scores q·k and q·k/√d. Unscaled, the scores' spread grows as √d and
    /// the softmax saturates to one-hot (its gradient vanishing); scaled, it stays put.
    static func scaling(_ c: FigureContext) throws -> Figure {
        let keys = max(2, c.integers("keys")?.first ?? 8)
        let sizes = (0...10).map { 1 << $0 }
        var rng = RandomStream(seed: 7, name: "softmax-scaling")
        var plain: [Double] = [], scaled: [Double] = []
        for d in sizes {
            var sums = (0.0, 0.0)
            for _ in 0..<2000 {
                let q = (0..<d).map { _ in rng.nextNormal() }
                let dots = (0..<keys).map { _ in (0..<d).reduce(Float(0)) { acc, i in acc + q[i] * rng.nextNormal() } }
                sums.0 += largestSoftmax(dots.map(Double.init))
                sums.1 += largestSoftmax(dots.map { Double($0) / Double(d).squareRoot() })
            }
            plain.append(sums.0 / 2000)
            scaled.append(sums.1 / 2000)
        }
        let x = sizes.map(Double.init)
        return try LineChart(
            title: "Why scores are divided by √d: the largest of \(keys) softmax weights",
            xLabel: "key size d (entries of q and k drawn from N(0, 1))", yLabel: "largest weight (mean of 2000 queries)",
            series: [Series(name: "softmax(q·k): saturates", x: x, y: plain),
                     Series(name: "softmax(q·k / √d)", x: x, y: scaled)],
            xScale: .log, markers: true, categories: [3, 0], yRange: 0...1.05,
            referenceLines: [ReferenceLine(1 / Double(keys), label: "uniform: 1/\(keys)")])
    }

    static func largestSoftmax(_ scores: [Double]) -> Double {
        let top = scores.max()!
        return 1 / scores.reduce(0) { $0 + exp($1 - top) }
    }
}
