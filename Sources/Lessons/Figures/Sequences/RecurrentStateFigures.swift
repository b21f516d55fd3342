import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a recurrent layer's states over text: its gates and cell state over a
/// validation line as time × unit heatmaps (LSTMVis's view), and the few cells whose
/// activation follows something a student can name (Karpathy's quote-tracking cell).
enum RecurrentStateFigures {
    /// The gates figure's grid: each frame and the handout still are panels this many to a
    /// row, each laid out at `panelWidth` (the character-label check asks the same layout).
    static let columns = 2
    static let panelWidth = 700.0

    /// The first recurrent layer of a run, with the states it records.
    static func recurrentLayer(_ run: TraceFigures) throws -> LayerDescription {
        guard let layer = run.layers.first(where: { RecurrentType(rawValue: $0.type) != nil }) else {
            throw FigureUnavailable("the model has no recurrent layer")
        }
        return layer
    }

    /// The probe's first sequence: each gate and the cell (or hidden) state as a time ×
    /// unit heatmap, the characters along x — a frame series over up to 8 evenly spaced
    /// recorded steps and the last one. The units shown are the `units` (default 32) whose
    /// state varies most over the sentence at the last step, the same in every panel and
    /// frame; gates are on [0, 1], the state on one symmetric scale over every frame, so
    /// that a colour means the same value at every step. The handout's still is small
    /// multiples (`handoutStill`): the gates after training, then the state over training.
    static func gates(_ c: FigureContext) throws -> NamedFigure {
        let layer = try recurrentLayer(c.main)
        let (last, input) = try c.main.probeStep()
        let time = input.shape[1]
        let text = FileManager.default.fileExists(atPath: c.main.folder.appendingPathComponent(Vocabulary.fileName).path)
        var tokens = try stepLabels(c.main, input: input, shown: min(time, c.integers("characters")?.first ?? 48))
        if text { tokens = Array(tokens.prefix(try labelledCharacters(tokens, hidden: layer.outputShape.last ?? 1))) }
        let shown = tokens.count
        func state(_ name: String, at step: Int) throws -> [[Float]] {       // [step][unit] of probe 0
            let t = try c.main.reader.tensor("\(layer.name).\(name)", kind: .state, step: step)
            let units = t.shape[2]
            return (0..<shown).map { s in Array(t.scalars[(s * units)..<((s + 1) * units)]) }
        }
        let memory = layer.type == "LSTM" ? "cell" : "hidden"
        let held = c.main.steps(holding: "\(layer.name).\(memory)", kind: .state).filter { $0 <= last }
        let steps = Set(DecisionBoundaryFigures.evenlySpaced(8, held: held) + [last]).sorted()
        let memories = try Dictionary(uniqueKeysWithValues: steps.map { ($0, try state(memory, at: $0)) })
        let units = mostVaryingUnits(memories[last]!, count: min(c.integers("units")?.first ?? 32, memories[last]![0].count))
        let limit = Double(memories.values.flatMap { rows in rows.flatMap { row in units.map { abs(row[$0]) } } }.max() ?? 1)
        let names: [(String, String, ColorRange)] = (layer.type == "LSTM"
            ? [("input_gate", "input gate i", .unitInterval), ("forget_gate", "forget gate f", .unitInterval),
               ("output_gate", "output gate o", .unitInterval)]
            : layer.type == "GRU" ? [("update_gate", "update gate z", .unitInterval), ("reset_gate", "reset gate r", .unitInterval)]
            : []) + [(memory, "\(memory) state", .symmetric(limit: limit > 0 ? limit : 1))]
        let (sequence, item) = text ? ("line", "character") : ("sequence", "value")
        let what = names.count > 1 ? "gates and \(memory) state" : "\(memory) state"
        func panel(_ name: String, _ label: String, _ range: ColorRange, at step: Int, title: String? = nil,
                   cellsHeight: Double = 460) throws -> Figure {
            let values = name == memory ? memories[step]! : try state(name, at: step)
            var map = try TimeUnitHeatmap(title: title ?? label, tokens: tokens,
                                          values: FloatArray(shape: [shown, values[0].count], values: values.flatMap { $0 }),
                                          range: range, valueLabel: label, units: units, unitLabels: units.map { "\($0)" })
            map.cellsHeight = cellsHeight
            return map
        }
        let reading = "column t: after reading \(item) t; the \(units.count) units whose \(memory) "
            + "state varies most over the \(sequence) at step \(last), top to bottom"
        func figure(at step: Int) throws -> Figure {
            try SmallMultiples(title: "\(layer.name) reading a validation \(sequence) at step \(step): \(what)",
                               subtitle: reading, panels: try names.map { try panel($0.0, $0.1, $0.2, at: step) },
                               columns: columns, panelDesignWidth: panelWidth)
        }
        let frames = try steps.map { FigureFrame.step($0, try figure(at: $0)) }
        guard frames.count > 1 else { return NamedFigure("gates", frames[0].figure) }
        // The still: each gate after training, then the state at evenly spaced steps (first
        // and last included): six panels in two columns, as tall as a handout page holds with
        // its text at 7 pt (eight would be shrunk below it). A SimpleRNN: six states; an LSTM: three.
        let gates = names.dropLast(), (name, label, range) = names.last!
        let stateSteps = FrameSeries.evenlySpacedIndices(steps.count, count: FrameSeries.handoutFrames - gates.count)
            .map { steps[$0] }
        let when = { (step: Int) in step == last ? "trained (step \(step))" : "step \(step)" }
        // Cells a little shorter than a lone panel's (380 pt, not 460): at 460 the three rows
        // of panels were too tall for a page and the handout printed their text at 6.4 pt.
        let panels = try gates.map { try panel($0.0, $0.1, $0.2, at: last, title: "\($0.1), trained", cellsHeight: 380) }
            + stateSteps.map { try panel(name, label, range, at: $0, title: "\(label), \(when($0))", cellsHeight: 380) }
        let still = try SmallMultiples(
            title: gates.isEmpty ? "\(layer.name) reading a validation \(sequence): its \(memory) state over training"
                : "\(layer.name) reading a validation \(sequence): gates after training, \(memory) state over training",
            subtitle: reading + "; one colour scale for every step", panels: panels, columns: columns, panelDesignWidth: panelWidth)
        return NamedFigure("gates", still, frames: frames)
    }

    /// How many of a text model's probe characters (a prefix of `tokens`) each label their
    /// column in a panel of the two-column gates figure at the handout's layout width: a
    /// line labelled every other character reads as garble ("ntpouigvnm"), so the line is
    /// cut instead. Only the labels' lengths and the unit numbers' width matter to the
    /// layout, so the trial panel holds zeros.
    static func labelledCharacters(_ tokens: [String], hidden: Int) throws -> Int {
        let units = Array(0..<min(32, hidden)), widest = String(max(0, hidden - 1))
        func stride(_ n: Int) throws -> Int {
            let map = try TimeUnitHeatmap(title: "trial", tokens: Array(tokens.prefix(n)),
                                          values: FloatArray(shape: [n, hidden], values: [Float](repeating: 0, count: n * hidden)),
                                          range: .unitInterval, valueLabel: "state", units: units,
                                          unitLabels: units.map { _ in widest })
            let figure = try SmallMultiples(title: "trial", panels: Array(repeating: map, count: columns), columns: columns, panelDesignWidth: panelWidth)
            return map.tokenLabelStride(width: panelWidth, theme: figure.panelTheme(forWidth: TransformerFigures.layoutWidth))
        }
        var n = tokens.count
        while n > 8, try stride(n) > 1 { n -= 1 }
        return n
    }

    /// What labels each column: the characters of a text model's probe, else each
    /// step's input value (a series).
    static func stepLabels(_ run: TraceFigures, input: Tensor, shown: Int) throws -> [String] {
        if FileManager.default.fileExists(atPath: run.folder.appendingPathComponent(Vocabulary.fileName).path) {
            let vocabulary = try Vocabulary.read(from: run.folder)
            return (0..<shown).map { vocabulary.token(of: Int(input.scalars[$0])) }
        }
        let features = input.count / (input.shape[0] * input.shape[1])
        return (0..<shown).map { Ticks.fixed(Double(input.scalars[$0 * features]), decimals: 1) }
    }

    /// Indices of the `count` units with the largest variance over steps, in unit order.
    static func mostVaryingUnits(_ states: [[Float]], count: Int) -> [Int] {
        let units = states.first?.count ?? 0
        let variance = (0..<units).map { j -> Float in
            let values = states.map { $0[j] }
            let mean = values.reduce(0, +) / Float(values.count)
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        return Array(variance.indices.sorted { variance[$0] > variance[$1] }.prefix(count)).sorted()
    }
}
