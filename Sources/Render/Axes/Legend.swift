/// One row of a legend: the mark that stands for a series and its label.
public struct LegendEntry: Sendable {
    public enum Mark: Sendable { case line, dashedLine, dottedLine, faintLine, dot }
    public var label: String
    public var color: Color
    public var mark: Mark
    public init(label: String, color: Color, mark: Mark = .line) {
        self.label = label; self.color = color; self.mark = mark
    }
}

/// A boxed list of legend entries in a corner of a plot area. Without a fixed corner it
/// takes the corner whose box covers the fewest data points (ties: top right, top left,
/// bottom right, bottom left), so it does not hide the curves it explains.
public struct Legend {
    public enum Corner: Sendable, CaseIterable { case topRight, topLeft, bottomRight, bottomLeft }
    public var entries: [LegendEntry]
    public var corner: Corner?

    public init(_ entries: [LegendEntry], corner: Corner? = nil) {
        self.entries = entries; self.corner = corner
    }

    /// Draws the legend; `avoiding` are the plotted lines (canvas points; one-point lines
    /// for scatter dots) it should not cover.
    public func draw(on canvas: Canvas, in area: Rect, avoiding lines: [[Point]] = []) {
        guard !entries.isEmpty else { return }
        let (frame, _) = placement(on: canvas, in: area, avoiding: lines)
        drawBox(frame, on: canvas, row: canvas.theme.tickSize * 1.5, swatch: 22, pad: 6)
    }

    /// Whether the boxed legend, in its best corner, would still cover part of `lines`:
    /// then a chart should put it in a row under the plot instead.
    public func covers(on canvas: Canvas, in area: Rect, avoiding lines: [[Point]]) -> Bool {
        !entries.isEmpty && placement(on: canvas, in: area, avoiding: lines).covered > 0
    }

    /// The box in the corner that covers the fewest line points (or the fixed corner).
    private func placement(on canvas: Canvas, in area: Rect, avoiding lines: [[Point]]) -> (frame: Rect, covered: Int) {
        let theme = canvas.theme, style = theme.tickStyle
        let row = theme.tickSize * 1.5, swatch = 22.0, pad = 6.0
        let textWidth = entries.map { canvas.measure($0.label, style).width }.max() ?? 0
        let box = Size(pad * 3 + swatch + textWidth, pad * 2 + row * Double(entries.count))
        func frame(_ c: Corner) -> Rect {
            let x = c == .topRight || c == .bottomRight ? area.maxX - box.width - 8 : area.minX + 8
            let y = c == .topRight || c == .topLeft ? area.minY + 8 : area.maxY - box.height - 8
            return Rect(x: x, y: y, width: box.width, height: box.height)
        }
        let samples = Self.densified(lines)
        let chosen = corner ?? Corner.allCases.min { a, b in
            Self.covered(samples, frame(a).inset(by: -4)) < Self.covered(samples, frame(b).inset(by: -4))
        }!
        return (frame(chosen), Self.covered(samples, frame(chosen).inset(by: -4)))
    }

    /// The entries as a row of (mark, label) pairs in `rect`, wrapping onto more lines when
    /// needed: for figures whose panels are too small to hold a boxed legend.
    public func drawRow(on canvas: Canvas, in rect: Rect) {
        let theme = canvas.theme, line = Self.rowLineHeight(theme)
        var x = rect.minX, y = rect.minY
        for entry in entries {
            let width = Self.swatch + 6 + canvas.measure(entry.label, theme.tickStyle).width
            if x > rect.minX && x + width > rect.maxX { x = rect.minX; y += line }
            drawMark(entry, from: x, to: x + Self.swatch, y: y + line / 2, on: canvas)
            canvas.text(entry.label, at: Point(x + Self.swatch + 6, y + line / 2), theme.tickStyle, anchor: .left)
            x += width + 18
        }
    }

    /// The height `drawRow` needs in `width`, estimated without a canvas (DejaVu Sans
    /// averages under 0.62 em per character, so the estimate is generous).
    public func rowHeight(width: Double, theme: Theme) -> Double {
        var x = 0.0, lines = 1
        for entry in entries {
            let w = Self.swatch + 6 + Double(entry.label.count) * 0.62 * theme.tickSize
            if x > 0 && x + w > width { x = 0; lines += 1 }
            x += w + 18
        }
        return Double(lines) * Self.rowLineHeight(theme)
    }

    private static let swatch = 22.0
    private static func rowLineHeight(_ theme: Theme) -> Double { theme.tickSize * 1.7 }

    private func drawMark(_ entry: LegendEntry, from x0: Double, to x1: Double, y cy: Double, on canvas: Canvas) {
        let theme = canvas.theme
        switch entry.mark {
        case .line: canvas.line(from: Point(x0, cy), to: Point(x1, cy), entry.color, width: theme.lineWidth)
        case .dashedLine: canvas.line(from: Point(x0, cy), to: Point(x1, cy), entry.color, width: theme.lineWidth, dash: [5, 3])
        case .dottedLine: canvas.line(from: Point(x0, cy), to: Point(x1, cy), entry.color, width: theme.lineWidth, dash: [2, 3])
        case .faintLine: canvas.line(from: Point(x0, cy), to: Point(x1, cy), entry.color.withAlpha(0.35), width: theme.thinLineWidth)
        case .dot: canvas.circle(center: Point((x0 + x1) / 2, cy), radius: 4, fill: entry.color)
        }
    }

    private func drawBox(_ frame: Rect, on canvas: Canvas, row: Double, swatch: Double, pad: Double) {
        let theme = canvas.theme
        canvas.fill(frame, theme.background.withAlpha(0.88))
        canvas.stroke(frame, theme.gridLine, width: theme.thinLineWidth)
        for (i, entry) in entries.enumerated() {
            let cy = frame.minY + pad + row * (Double(i) + 0.5), x0 = frame.minX + pad, x1 = x0 + swatch
            drawMark(entry, from: x0, to: x1, y: cy, on: canvas)
            canvas.text(entry.label, at: Point(x1 + pad, cy), theme.tickStyle, anchor: .left)
        }
    }

    /// Points along each line at most `spacing` pt apart, so a segment crossing a box counts.
    static func densified(_ lines: [[Point]], spacing: Double = 6) -> [Point] {
        lines.flatMap { line -> [Point] in
            guard line.count > 1 else { return line }
            return zip(line, line.dropFirst()).flatMap { a, b -> [Point] in
                let n = max(1, Int(((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot() / spacing))
                return (0..<n).map { k in Point(a.x + (b.x - a.x) * Double(k) / Double(n), a.y + (b.y - a.y) * Double(k) / Double(n)) }
            } + [line.last!]
        }
    }

    static func covered(_ points: [Point], _ r: Rect) -> Int {
        points.filter { $0.x >= r.minX && $0.x <= r.maxX && $0.y >= r.minY && $0.y <= r.maxY }.count
    }
}
