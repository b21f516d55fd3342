import Foundation

/// One input followed through a whole network, top to bottom, at a height a page can
/// hold: the input image; each image-shaped layer as one row of its most active channels
/// (the rest of its channels are summarised in the row's label); each vector layer as a
/// strip of one cell per unit; and, last, the class probabilities as bars with the class
/// names, the answer highlighted and the true class marked. Every row has its own colour
/// scale, drawn as a small bar under the row's name with its range — activations after
/// ReLU and pooling on viridis from 0, signed ones (logits) diverging around 0.
/// Input: `input` `[h, w]`, `[h, w, 1]` or `[h, w, 3]`; a map row's `values`
/// `[h, w, channels]` with the indices of the channels to show; a unit row's `values` `[n]`.
public struct NetworkPath: Figure {
    /// One row of the path.
    public enum Stage: Sendable {
        /// An image-shaped layer: `values` `[h, w, channels]`, the tiles of `shown` channels.
        case maps(name: String, values: FloatArray, shown: [Int])
        /// A vector layer: `values` `[n]`, one cell per unit.
        case units(name: String, values: FloatArray)

        var name: String {
            switch self {
            case let .maps(name, _, _), let .units(name, _): return name
            }
        }
        var values: FloatArray {
            switch self {
            case let .maps(_, values, _), let .units(_, values): return values
            }
        }
    }

    /// The network's answer: one probability per class, in class order.
    public struct Probabilities: Sendable {
        public var values: [Double]
        public var labels: [String]
        /// The true class, when known.
        public var truth: Int?
        public init(values: [Double], labels: [String], truth: Int? = nil) {
            self.values = values; self.labels = labels; self.truth = truth
        }
        var predicted: Int { values.indices.max { values[$0] < values[$1] } ?? 0 }
    }

    public let title: String
    public let subtitle: String?
    public let input: FloatArray
    public let stages: [Stage]
    public let probabilities: Probabilities
    let scales: [ColorScale]

    public init(title: String, subtitle: String? = nil, input: FloatArray, stages: [Stage],
                probabilities: Probabilities, theme: Theme = .standard) throws {
        let figure = "network path '\(title)'"
        try validatePicture(input, figure: figure, what: "input image")
        for stage in stages {
            let s = stage.values.shape
            switch stage {
            case let .maps(name, values, shown):
                guard s.count == 3, s.allSatisfy({ $0 > 0 }) else {
                    throw RenderError.badShape(figure: figure, what: "layer '\(name)'", shape: s,
                                               expected: "[height, width, channels], all > 0")
                }
                guard !shown.isEmpty, shown.allSatisfy({ (0..<s[2]).contains($0) }) else {
                    throw RenderError.badValue(figure: figure, what: "the channels shown of '\(name)'",
                                               value: "\(shown)", expected: "1 or more of 0..<\(s[2])")
                }
                guard values.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "layer '\(name)'") }
            case let .units(name, values):
                guard s.count == 1, s[0] > 0 else {
                    throw RenderError.badShape(figure: figure, what: "layer '\(name)'", shape: s, expected: "[units], units > 0")
                }
                guard values.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "layer '\(name)'") }
            }
        }
        let p = probabilities.values
        guard !p.isEmpty, p.count == probabilities.labels.count,
              p.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }), abs(p.reduce(0, +) - 1) < 1e-3 else {
            throw RenderError.badValue(figure: figure, what: "the class probabilities", value: "\(p)",
                                       expected: "one per label, each in [0, 1], summing to 1")
        }
        if let truth = probabilities.truth, !p.indices.contains(truth) {
            throw RenderError.badValue(figure: figure, what: "the true class", value: "\(truth)",
                                       expected: "an index of 0..<\(p.count)")
        }
        self.title = title
        self.subtitle = subtitle
        self.input = input
        self.stages = stages
        self.probabilities = probabilities
        scales = stages.map { stage in
            let v = stage.values.values
            return (v.finiteRange?.0 ?? 0) < 0 ? .symmetric(v, theme: theme) : .sequential(v, theme: theme, fromZero: true)
        }
    }

    // MARK: Layout

    static let labelWidth = 150.0
    static let unitRowHeight = 26.0
    static let barHeight = 70.0
    /// The widest slot of a probability bar (and of a logit's cell above it).
    static let barSlot = 60.0

    private func tilesWidth(_ width: Double, _ theme: Theme) -> Double {
        width - 2 * theme.margin - Self.labelWidth - theme.gap
    }

    /// Side of a map tile: the widest row of tiles fills the width, at most 72 points.
    private func tileSide(_ width: Double, _ theme: Theme) -> Double {
        let most = stages.map { if case let .maps(_, _, shown) = $0 { return shown.count } else { return 0 } }.max() ?? 0
        guard most > 0 else { return 72 }
        return min(72, tilesWidth(width, theme) / Double(most) - 4)
    }

    private func rowHeight(_ stage: Stage, width: Double, theme: Theme) -> Double {
        switch stage {
        case .maps: return tileSide(width, theme) + theme.smallSize * 1.5
        case .units: return max(Self.unitRowHeight + theme.smallSize * 1.5, labelHeight(theme))
        }
    }

    /// Name, shape and colour-scale key of a row.
    private func labelHeight(_ theme: Theme) -> Double { theme.labelSize * 1.4 + theme.smallSize * 1.4 + 22 }

    private var inputSide: Double { 96 }

    private var rowGap: Double { 8 }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let rows = stages.map { max(rowHeight($0, width: width, theme: theme), labelHeight(theme)) + rowGap }.reduce(0, +)
        let bars = Self.barHeight + theme.labelSize * 1.6 + theme.smallSize * 3.4 + theme.tickSize * 1.6
        return FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme) + 2 * theme.margin
            + inputSide + rowGap + rows + bars
    }

    // MARK: Drawing

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let left = body.minX + Self.labelWidth + theme.gap
        var y = body.minY
        drawLabel(on: canvas, name: "input", shape: input.shapeText, scale: nil, at: Point(body.minX, y))
        try canvas.drawPicture(input, in: Rect(x: left, y: y, width: inputSide * Double(input.shape[1]) / Double(input.shape[0]),
                                               height: inputSide))
        y += inputSide + rowGap
        for (index, (stage, scale)) in zip(stages, scales).enumerated() {
            drawLabel(on: canvas, name: stage.name, shape: shapeNote(stage, isLogits: index == logitsRow), scale: scale,
                      at: Point(body.minX, y))
            switch stage {
            case let .maps(_, values, shown): try drawMaps(values, shown, scale, on: canvas, at: Point(left, y), width: frame.width)
            case let .units(_, values):
                try drawUnits(values, scale, on: canvas, in: Rect(x: left, y: y, width: tilesWidth(frame.width, theme),
                                                               height: Self.unitRowHeight),
                              classNames: index == logitsRow ? probabilities.labels : nil)
            }
            y += max(rowHeight(stage, width: frame.width, theme: theme), labelHeight(theme)) + rowGap
        }
        drawProbabilities(on: canvas, in: Rect(x: body.minX, y: y, width: body.width, height: body.maxY - y))
    }

    /// The row of the class scores (logits): the last row, when it is a unit row with one
    /// unit per class. Its cells stand over the probability bars and carry the class names,
    /// so that a student reads each logit beside its softmax.
    var logitsRow: Int? {
        guard let last = stages.last, case let .units(_, values) = last,
              values.shape[0] == probabilities.labels.count else { return nil }
        return stages.count - 1
    }

    private func shapeNote(_ stage: Stage, isLogits: Bool = false) -> String {
        if isLogits, case let .units(_, values) = stage { return "\(values.shape[0]) logits, one per class" }
        switch stage {
        case let .maps(_, values, shown):
            let all = values.shape[2]
            return shown.count == all ? values.shapeText : "\(values.shapeText), \(shown.count) of \(all) shown"
        case let .units(_, values): return "\(values.shape[0]) units"
        }
    }

    /// The row's name (bold), its shape, and a small bar of its colour scale with the range.
    private func drawLabel(on canvas: Canvas, name: String, shape: String, scale: ColorScale?, at origin: Point) {
        let theme = canvas.theme
        canvas.text(name, at: origin, TextStyle(size: theme.labelSize, bold: true, color: theme.ink))
        canvas.text(shape, at: Point(origin.x, origin.y + theme.labelSize * 1.4), theme.smallStyle)
        guard let scale else { return }
        let bar = Rect(x: origin.x, y: origin.y + theme.labelSize * 1.4 + theme.smallSize * 1.5, width: 70, height: 7)
        let steps = 48
        try? canvas.image((0..<steps).map { scale.color(scale.lower + (scale.upper - scale.lower) * Double($0) / Double(steps - 1)) },
                          width: steps, height: 1, in: bar)
        canvas.stroke(bar, theme.mutedInk.withAlpha(0.6), width: 0.5)
        let range = "\(Ticks.compact(scale.lower, digits: 2)) … \(Ticks.compact(scale.upper, digits: 2))"
        canvas.text(range, at: Point(bar.maxX + 5, bar.center.y), theme.smallStyle, anchor: .left)
    }

    private func drawMaps(_ values: FloatArray, _ shown: [Int], _ scale: ColorScale, on canvas: Canvas, at origin: Point,
                          width: Double) throws {
        let theme = canvas.theme
        let side = tileSide(width, theme), (h, w) = (values.shape[0], values.shape[1])
        for (k, c) in shown.enumerated() {
            let rect = Rect(x: origin.x + Double(k) * (side + 4), y: origin.y, width: side, height: side)
            try canvas.drawValues(values.channel(c), width: w, height: h, scale: scale, in: rect)
            canvas.text("#\(c)", at: Point(rect.center.x, rect.maxY + 1), theme.smallStyle, anchor: .top)
        }
    }

    /// One cell per unit, with the unit index under every eighth cell; the logits row's
    /// cells are as wide as the probability bars' slots (`drawProbabilities`) and named by class.
    private func drawUnits(_ values: FloatArray, _ scale: ColorScale, on canvas: Canvas, in rect: Rect,
                           classNames: [String]? = nil) throws {
        let theme = canvas.theme, n = values.shape[0]
        let cell = min(rect.width / Double(n), classNames == nil ? 40 : Self.barSlot)
        let strip = Rect(x: rect.minX, y: rect.minY, width: cell * Double(n), height: rect.height)
        try canvas.image(scale.colors(values.values), width: n, height: 1, in: strip)
        canvas.stroke(strip, theme.mutedInk.withAlpha(0.6), width: 0.5)
        let every = n <= 16 ? 1 : 8
        for i in stride(from: 0, to: n, by: every) {
            canvas.text(classNames?[i] ?? "\(i)", at: Point(strip.minX + (Double(i) + 0.5) * cell, strip.maxY + 1), theme.smallStyle, anchor: .top)
        }
    }

    /// One bar per class, its probability above the tallest ones; the answer in the correct
    /// colour (the mistake colour when it is wrong), the true class's name bold and underlined.
    private func drawProbabilities(on canvas: Canvas, in rect: Rect) {
        let theme = canvas.theme, p = probabilities, predicted = p.predicted
        canvas.text("probabilities", at: Point(rect.minX, rect.minY), TextStyle(size: theme.labelSize, bold: true, color: theme.ink))
        canvas.text("softmax of the logits", at: Point(rect.minX, rect.minY + theme.labelSize * 1.4), theme.smallStyle)
        let left = rect.minX + Self.labelWidth + theme.gap
        let slot = min((rect.maxX - left) / Double(p.values.count), Self.barSlot)
        let top = rect.minY + theme.smallSize * 1.6, base = top + Self.barHeight
        canvas.line(from: Point(left, base), to: Point(left + slot * Double(p.values.count), base), theme.mutedInk, width: 0.8)
        for (k, value) in p.values.enumerated() {
            let x = left + Double(k) * slot
            let wrong = p.truth.map { $0 != predicted } ?? false
            let color = k == predicted ? (wrong ? theme.mistake : theme.correct) : theme.mutedInk.withAlpha(0.55)
            let height = max(value * Self.barHeight, value > 0 ? 0.5 : 0)
            canvas.fill(Rect(x: x + slot * 0.15, y: base - height, width: slot * 0.7, height: height), color)
            if value >= 0.01 {
                canvas.text(Ticks.compact(value, digits: 2), at: Point(x + slot / 2, base - height - 1), theme.smallStyle, anchor: .bottom)
            }
            let isTruth = p.truth == k
            let style = TextStyle(size: theme.tickSize, bold: isTruth || k == predicted, color: theme.ink)
            canvas.text(p.labels[k], at: Point(x + slot / 2, base + 3), style, anchor: .top)
            if isTruth {
                let w = canvas.measure(p.labels[k], style).width
                canvas.line(from: Point(x + slot / 2 - w / 2, base + 4 + theme.tickSize * 1.25),
                            to: Point(x + slot / 2 + w / 2, base + 4 + theme.tickSize * 1.25), theme.ink, width: 1)
            }
        }
        let key = "bar: the answer (\(p.labels[predicted]))" + (p.truth.map { "; underlined: the true class (\(p.labels[$0]))" } ?? "")
        canvas.text(key, at: Point(left, base + 6 + theme.tickSize * 1.6), theme.smallStyle)
    }
}
