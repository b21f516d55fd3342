import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Cells of a character model that follow something a student can name. Each
/// feature is computed from the held-out text itself, at every character; each unit's
/// state (an LSTM's cell state c, else the hidden state) is correlated with it over
/// that text (Pearson's r), and the unit with the largest |r| is shown colouring a
/// line. (tanh(c), which Karpathy's figures colour, saturates at ±1 for the many cells
/// that count characters here, and hides the rest.)
enum CellFeatures {
    /// A property of the text at each character, after reading it.
    struct Feature {
        let name: String
        let values: (_ characters: [String]) -> [Float]
    }

    static let features: [Feature] = [
        Feature(name: "inside quotes") { characters in
            var inside = false
            return characters.map { c in
                if c == "\n" { inside = false } else if c == "\"" { inside.toggle() }
                return inside ? 1 : 0
            }
        },
        Feature(name: "position in the line") { characters in
            var position = 0
            return characters.map { c in
                position = c == "\n" ? 0 : position + 1
                return Float(position)
            }
        },
        Feature(name: "inside a word") { characters in characters.map { $0.first?.isLetter == true ? 1 : 0 } },
    ]

    /// The unit state over consecutive windows of `ids` (each window from a zero state,
    /// as in training), flattened to one row per character: `[characters][units]`.
    static func states(of writer: TextGenerator, ids: [Int]) throws -> (states: [[Float]], name: String) {
        let t = writer.context, windows = ids.count / t
        guard windows > 0 else { throw FigureUnavailable("the held-out text is shorter than one window") }
        guard let recurrent = writer.model.layers.first(where: { $0 is RecurrentLayer }) as? RecurrentLayer else {
            throw FigureUnavailable("the model has no recurrent layer")
        }
        var rows: [[Float]] = []
        var stateName = "hidden"
        for start in stride(from: 0, to: windows, by: 32) {
            let n = min(32, windows - start)
            let x = ids[(start * t)..<((start + n) * t)].map(Float.init)
            _ = try writer.model.forward(Tensor(shape: [n, t], scalars: x), context: .inference)
            let states = Dictionary(uniqueKeysWithValues: recurrent.states().map { ($0.name, $0.tensor) })
            stateName = states["cell"] == nil ? "hidden state" : "cell state"
            let s = states["cell"] ?? states["hidden"]!, units = s.shape[2]
            for row in 0..<(n * t) { rows.append(Array(s.scalars[(row * units)..<((row + 1) * units)])) }
        }
        return (rows, stateName)
    }

    /// Pearson's r of each unit's state with `feature`, over every character.
    static func correlations(_ states: [[Float]], _ feature: [Float]) -> [Double] {
        let n = Double(feature.count), units = states.first?.count ?? 0
        let fMean = feature.reduce(0) { $0 + Double($1) } / n
        let fVar = feature.reduce(0) { $0 + (Double($1) - fMean) * (Double($1) - fMean) }
        return (0..<units).map { j in
            let mean = states.reduce(0) { $0 + Double($1[j]) } / n
            var covariance = 0.0, variance = 0.0
            for (row, f) in zip(states, feature) {
                covariance += (Double(row[j]) - mean) * (Double(f) - fMean)
                variance += (Double(row[j]) - mean) * (Double(row[j]) - mean)
            }
            return variance > 0 && fVar > 0 ? covariance / (variance * fVar).squareRoot() : 0
        }
    }

    static func figure(_ c: FigureContext) throws -> Figure {
        let writer = try TextFigures.generator(c.main)
        guard writer.vocabulary.kind == .character else {
            throw FigureUnavailable("cell features read characters; this model reads \(writer.vocabulary.kind.unitName)")
        }
        guard let sample = try TextSampleRecord.read(fromTrace: c.main.folder) else {
            throw FigureUnavailable("the trace keeps no held-out text")
        }
        let usable = (sample.ids.count / writer.context) * writer.context
        let characters = sample.ids.prefix(usable).map(writer.vocabulary.token(of:))
        let (states, stateName) = try states(of: writer, ids: Array(sample.ids.prefix(usable)))
        var chosen: [(unit: Int, r: Double, feature: String)] = []
        for feature in features {
            let r = correlations(states, feature.values(characters))
            guard let best = r.indices.filter({ j in !chosen.contains { $0.unit == j } }).max(by: { abs(r[$0]) < abs(r[$1]) })
            else { continue }
            chosen.append((best, r[best], feature.name))
        }
        // A sentence of its own to show them on: the first full window after a line break.
        let start = TextFigures.sentenceStart(sample.ids, vocabulary: writer.vocabulary, room: writer.context)
        let window = Array(sample.ids[start..<(start + writer.context)])
        let shown = try CellFeatures.states(of: writer, ids: window).states
        // Each unit is read alone, against its feature, and their ranges differ several
        // times over: each gets its own symmetric scale (FIGURES.md habit 3), or the
        // weakest-scaled unit would sit white beside the strongest.
        let tokens = window.map(writer.vocabulary.token(of:))
        let panels: [Figure] = try chosen.map { pick in
            try ColoredText(title: "\(pick.feature) (r = \(Ticks.fixed(pick.r, decimals: 2)))",
                            tokens: tokens, rows: [ColoredText.Row(name: "unit \(pick.unit)", values: shown.map { $0[pick.unit] })],
                            range: .symmetric(), valueLabel: stateName)
        }
        guard !panels.isEmpty else { throw FigureUnavailable("no unit of the model could be matched to a feature") }
        return try SmallMultiples(title: "Units that follow something you can name",
                                  subtitle: "per feature, the unit whose \(stateName) correlates most with it over "
                                      + "\(usable) validation characters (Pearson's r); each on its own scale",
                                  panels: panels, columns: 1, panelDesignWidth: 1100)
    }
}
