/// What a language model expects next, position by position, as in char-rnn's figures:
/// the sentence runs along the top, one column per token, and under each token the
/// model's top-k guesses for the token that follows it, best first, each cell shaded by
/// its probability (viridis on [0, 1], one scale for every column) and labelled with the
/// candidate and, when the column is wide enough, the probability. The token that
/// actually came next is outlined where it is among the guesses; the bottom row repeats
/// it, in the theme's mistake colour where the model did not have it in its top k.
///
/// Input: the tokens of the sentence and, per token, its candidates (any order; drawn in
/// decreasing probability). The actual next token at position t is `tokens[t + 1]`;
/// for the last position it is `nextAfterLast` when given. Whitespace is written visibly
/// (`␣`, `⏎`). Probabilities must lie in [0, 1] and sum to at most 1 per position (they
/// are the top of one softmax); NaN is drawn in the theme's missing colour.
///
/// Columns are at most 44 pt wide and never narrower than their widest token needs, nor
/// than a probability ("0.62" at the theme's `minimumTextSize`, which prints at 7 pt in
/// the handout) needs: a single token wider than the figure overflows it, and a sentence with
/// more positions than fit in one strip continues in further strips below.
///
///     // After "t" the model guessed "h" (0.62), "o" (0.11), …; after "h", "e" (0.80), …
///     let strip = try TopKStrip(
///         title: "What the model expects next", tokens: ["t", "h", "e"],
///         candidates: [[.init(token: "h", probability: 0.62), .init(token: "o", probability: 0.11)],
///                      [.init(token: "e", probability: 0.80), .init(token: "a", probability: 0.09)],
///                      [.init(token: " ", probability: 0.55), .init(token: "r", probability: 0.12)]],
///         nextAfterLast: " ")
public struct TopKStrip: Figure {
    public struct Candidate: Sendable, Equatable {
        public var token: String
        public var probability: Float
        public init(token: String, probability: Float) { self.token = token; self.probability = probability }
    }

    public let title: String
    public let subtitle: String?
    public let tokens: [String]
    /// Per position, the candidates in decreasing probability (NaN last).
    public let candidates: [[Candidate]]
    public let nextAfterLast: String?
    public let colorScale: ColorScale

    public init(title: String, subtitle: String? = nil, tokens: [String], candidates: [[Candidate]],
                nextAfterLast: String? = nil, theme: Theme = .standard) throws {
        let figure = "top-k strip '\(title)'"
        guard !tokens.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the sentence") }
        guard candidates.count == tokens.count else {
            throw RenderError.countMismatch(figure: figure, what: "candidate lists (one per token)", expected: tokens.count,
                                            got: candidates.count)
        }
        for (t, column) in candidates.enumerated() {
            guard !column.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the candidates at position \(t)") }
            for c in column {
                if c.token.isEmpty {
                    throw RenderError.badValue(figure: figure, what: "a candidate at position \(t)", value: "empty",
                                               expected: "at least one character")
                }
                if !c.probability.isNaN && !(0...1).contains(c.probability) {
                    throw RenderError.badValue(figure: figure, what: "the probability of '\(c.token)' at position \(t)",
                                               value: Ticks.compact(Double(c.probability)), expected: "a probability in [0, 1]")
                }
            }
            let sum = column.map(\.probability).filter { !$0.isNaN }.reduce(0, +)
            if sum > 1.001 {
                throw RenderError.badValue(figure: figure, what: "the sum of probabilities at position \(t)",
                                           value: Ticks.compact(Double(sum)), expected: "at most 1 (the top k of one softmax)")
            }
            if let repeated = column.map(\.token).firstDuplicate {
                throw RenderError.badValue(figure: figure, what: "candidate '\(repeated)' at position \(t)", value: "listed twice",
                                           expected: "distinct candidates")
            }
        }
        guard candidates.joined().contains(where: { $0.probability.isFinite }) else {
            throw RenderError.noFiniteValues(figure: figure, what: "the probabilities")
        }
        self.title = title; self.subtitle = subtitle; self.tokens = tokens; self.nextAfterLast = nextAfterLast
        self.candidates = candidates.map { column in
            column.enumerated().sorted { a, b in
                let (p, q) = (a.element.probability, b.element.probability)
                if p.isNaN != q.isNaN { return q.isNaN }
                return p != q && !p.isNaN ? p > q : a.offset < b.offset
            }.map(\.element)
        }
        colorScale = try ColorRange.unitInterval.colorScale(for: candidates.joined().map(\.probability), theme: theme,
                                                           figure: figure, what: "the probabilities")
    }

    /// The token that followed position `t`, if known.
    func actualNext(at t: Int) -> String? { t + 1 < tokens.count ? tokens[t + 1] : nextAfterLast }

    /// Where the actual next token stands among position `t`'s candidates (0 = the
    /// model's first guess); nil when it is not among them or not known.
    func rankOfActualNext(at t: Int) -> Int? {
        guard let next = actualNext(at: t) else { return nil }
        return candidates[t].firstIndex { $0.token == next }
    }

    private var k: Int { candidates.map(\.count).max() ?? 1 }

    private var header: FigureHeader {
        FigureHeader(title: title, subtitle: subtitle ?? "under each token, the model's top \(k) guesses for the next one; "
                     + "outlined: what came next")
    }

    /// Column width, how many columns a strip holds, and the heights of the rows.
    struct Layout: Equatable {
        var columnWidth: Double
        var columnsPerStrip: Int
        var fontSize: Double
        var cellHeight: Double
        var labelWidth: Double

        static let gap = 4.0
    }

    private static let maximumColumn = 44.0

    func layout(width: Double, theme: Theme) -> Layout {
        let size = theme.labelSize, advance = theme.monospaceAdvance * size
        let labels = ["input", "#\(k)", "next"].map(\.count).max()!
        let labelWidth = Double(labels) * theme.tickSize * 0.65 + theme.gap
        let available = width - 2 * theme.margin - labelWidth - 2 * theme.gap - Colorbar.width(theme: theme)
        let widest = (tokens + candidates.joined().map(\.token)).map { VisibleText.visible($0).count }.max() ?? 1
        let probabilityColumn = theme.monospaceWidth("0.00", size: theme.minimumTextSize) + 3 + Layout.gap
        let minimum = max(Double(widest) * advance + 6 + Layout.gap, probabilityColumn)
        let fitting = max(1, Int((available / minimum).rounded(.down)))
        let strips = (tokens.count + fitting - 1) / fitting
        let perStrip = (tokens.count + strips - 1) / strips
        let column = max(minimum, min(Self.maximumColumn, available / Double(perStrip)))
        // A line of text is 1.164 em tall in DejaVu; the token's descent (␣ , .) must clear
        // the digits' cap height (0.73 em) below it.
        let token = size * 1.164 + 3, probability = theme.minimumTextSize + 2.5
        return Layout(columnWidth: column, columnsPerStrip: perStrip, fontSize: size,
                      cellHeight: (token + probability).rounded(.up), labelWidth: labelWidth)
    }

    private func rowHeights(_ l: Layout) -> (input: Double, candidates: Double, next: Double) {
        (l.fontSize * 1.7, Double(k) * (l.cellHeight + Layout.gap), l.fontSize * 1.7)
    }

    private func stripHeight(_ l: Layout) -> Double {
        let rows = rowHeights(l)
        return rows.input + rows.candidates + rows.next
    }

    private static let minimumColorbar = 110.0

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let l = layout(width: width, theme: theme)
        let strips = Double((tokens.count + l.columnsPerStrip - 1) / l.columnsPerStrip)
        let rows = rowHeights(l)
        let content = strips * stripHeight(l) + (strips - 1) * 2 * theme.gap
        return header.height(width: width - 2 * theme.margin, theme: theme) + max(content, rows.input + Self.minimumColorbar) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let l = layout(width: frame.width, theme: theme), rows = rowHeights(l)
        let labelStyle = TextStyle(size: theme.tickSize, color: theme.mutedInk)
        let left = body.minX + l.labelWidth
        var top = body.minY
        for start in stride(from: 0, to: tokens.count, by: l.columnsPerStrip) {
            let positions = start..<min(tokens.count, start + l.columnsPerStrip)
            let cellsTop = top + rows.input, nextY = cellsTop + rows.candidates + rows.next / 2
            canvas.text("input", at: Point(left - theme.gap, top + rows.input / 2), labelStyle, anchor: .right)
            for rank in 0..<k {
                canvas.text("#\(rank + 1)", at: Point(left - theme.gap, cellsTop + (Double(rank) + 0.5) * (l.cellHeight + Layout.gap)),
                            labelStyle, anchor: .right)
            }
            canvas.text("next", at: Point(left - theme.gap, nextY), labelStyle, anchor: .right)
            for t in positions {
                let x = left + Double(t - start) * l.columnWidth, center = x + l.columnWidth / 2
                canvas.text(VisibleText.visible(tokens[t]), at: Point(center, top + rows.input / 2),
                            TextStyle(size: l.fontSize, bold: true, color: theme.ink, monospace: true), anchor: .center)
                for (rank, candidate) in candidates[t].enumerated() {
                    let box = Rect(x: x + Layout.gap / 2, y: cellsTop + Double(rank) * (l.cellHeight + Layout.gap),
                                   width: l.columnWidth - Layout.gap, height: l.cellHeight)
                    try drawCell(candidate, in: box, layout: l, canvas: canvas)
                    if rank == rankOfActualNext(at: t) { canvas.stroke(box.inset(by: -1.75), theme.ink, width: 1.5) }
                }
                if let next = actualNext(at: t) {
                    let missed = rankOfActualNext(at: t) == nil
                    canvas.text(VisibleText.visible(next), at: Point(center, nextY),
                                TextStyle(size: l.fontSize, bold: missed, color: missed ? theme.mistake : theme.mutedInk, monospace: true),
                                anchor: .center)
                }
            }
            if start == 0 {
                try Colorbar(scale: colorScale, label: "probability").draw(on: canvas, in: Rect(
                    x: left + Double(positions.count) * l.columnWidth + 2 * theme.gap, y: cellsTop,
                    width: Colorbar.width(theme: theme) - theme.gap, height: max(rows.candidates - Layout.gap, Self.minimumColorbar)))
            }
            top += stripHeight(l) + 2 * theme.gap
        }
    }

    private func drawCell(_ candidate: Candidate, in box: Rect, layout l: Layout, canvas: Canvas) throws {
        let theme = canvas.theme
        let fill = colorScale.color(Double(candidate.probability))
        canvas.fill(box, fill)
        let ink = theme.textColor(on: fill)
        let token = VisibleText.visible(candidate.token), style = TextStyle(size: l.fontSize, color: ink, monospace: true)
        canvas.text(token, at: Point(box.center.x, box.minY + 1.5), style, anchor: .top)
        let text = candidate.probability.isNaN ? "NaN" : Ticks.fixed(Double(candidate.probability), decimals: 2)
        canvas.text(text, at: Point(box.center.x, box.maxY - 0.5), TextStyle(size: theme.minimumTextSize, color: ink, monospace: true),
                    anchor: .bottom)
    }
}

private extension Array where Element: Hashable {
    /// The first element that occurs a second time, nil if all are distinct.
    var firstDuplicate: Element? {
        var seen = Set<Element>()
        for e in self where !seen.insert(e).inserted { return e }
        return nil
    }
}
