/// Labelled points in a plane drawn with equal aspect (one unit is as long across as
/// up), coloured by group: words projected from their embeddings onto two principal
/// axes. Optional paths show where some points were earlier (a word's position at each
/// recorded step of training): a faint line through small dots, ending at the point.
/// Labels sit beside their point, on the first side (right, left, above, below) where
/// they overlap no label already placed.
/// Input: `points` with finite coordinates, each `group` indexing `groupNames`; each path
/// at least two finite positions, `label` naming the point it ends at.
public struct WordMap: Figure {
    public struct Word: Sendable {
        public var label: String
        public var x: Double
        public var y: Double
        public var group: Int
        public init(_ label: String, x: Double, y: Double, group: Int) {
            self.label = label; self.x = x; self.y = y; self.group = group
        }
    }

    public struct Path: Sendable {
        public var label: String
        public var group: Int
        public var positions: [(x: Double, y: Double)]
        public init(label: String, group: Int, positions: [(x: Double, y: Double)]) {
            self.label = label; self.group = group; self.positions = positions
        }
    }

    public let title: String
    public let subtitle: String?
    public let xLabel: String
    public let yLabel: String
    public let words: [Word]
    public let groupNames: [String]
    public let paths: [Path]
    let xDomain: (Double, Double)
    let yDomain: (Double, Double)

    public init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, words: [Word],
                groupNames: [String], paths: [Path] = []) throws {
        let figure = "word map '\(title)'"
        guard !words.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of words") }
        if let bad = words.first(where: { $0.group < 0 || $0.group >= groupNames.count }) {
            throw RenderError.countMismatch(figure: figure, what: "group names (word '\(bad.label)' is in group \(bad.group))",
                                            expected: bad.group + 1, got: groupNames.count)
        }
        for path in paths where path.positions.count < 2 || path.group < 0 || path.group >= groupNames.count {
            throw RenderError.badValue(figure: figure, what: "the path of '\(path.label)'", value: "\(path.positions.count) positions",
                                       expected: "at least two positions and a named group")
        }
        let xs = words.map(\.x) + paths.flatMap { $0.positions.map(\.x) }
        let ys = words.map(\.y) + paths.flatMap { $0.positions.map(\.y) }
        guard (xs + ys).allSatisfy(\.isFinite), let xd = Scale.domain(of: xs, kind: .linear, padding: 0.08),
              let yd = Scale.domain(of: ys, kind: .linear, padding: 0.08) else {
            throw RenderError.noFiniteValues(figure: figure, what: "the coordinates")
        }
        self.title = title; self.subtitle = subtitle; self.xLabel = xLabel; self.yLabel = yLabel
        self.words = words; self.groupNames = groupNames; self.paths = paths
        xDomain = xd; yDomain = yd
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        // The data's own aspect, within 0.55…1 of the width.
        let aspect = (yDomain.1 - yDomain.0) / (xDomain.1 - xDomain.0)
        return (width * min(1, max(0.55, aspect)) + 60).rounded()
    }

    /// Group `g`'s colour: five groups by index put orange beside vermillion (numbers, people).
    private func groupColor(_ g: Int, _ theme: Theme) -> Color {
        theme.categoryColor(Theme.distinctCategory(g, of: groupNames.count))
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let axes = equalAspectAxes(in: body.inset(bottom: theme.labelSize * 2), canvas: canvas)
        axes.drawGrid(on: canvas)
        canvas.clipped(to: axes.plotArea) {
            for path in paths {
                let color = groupColor(path.group, theme).withAlpha(0.55)
                let points = path.positions.compactMap { axes.point($0.x, $0.y) }
                canvas.polyline(points, color, width: theme.thinLineWidth * 1.5)
                for p in points.dropLast() { canvas.circle(center: p, radius: 1.8, fill: color) }
                if let first = points.first { canvas.circle(center: first, radius: 3, fill: .white, stroke: color, lineWidth: 1) }
            }
            for word in words {
                guard let p = axes.point(word.x, word.y) else { continue }
                canvas.circle(center: p, radius: 3.4, fill: groupColor(word.group, theme), stroke: .white, lineWidth: 0.8)
            }
            placeLabels(axes: axes, canvas: canvas)
        }
        axes.drawDecorations(on: canvas)
        let legend = groupNames.enumerated().map { LegendEntry(label: $1, color: groupColor($0, theme), mark: .dot) }
        drawLegendRow(legend, below: axes.plotArea, canvas: canvas)
    }

    /// Axes whose data ranges are widened (about their centre) until one data unit takes
    /// as many points across as up.
    func equalAspectAxes(in rect: Rect, canvas: Canvas) -> Axes {
        var x = xDomain, y = yDomain
        var axes = Axes(in: rect, x: AxisSpec(label: xLabel, lower: x.0, upper: x.1),
                        y: AxisSpec(label: yLabel, lower: y.0, upper: y.1), title: nil, canvas: canvas)
        for _ in 0..<2 {
            let perX = (x.1 - x.0) / axes.plotArea.width, perY = (y.1 - y.0) / axes.plotArea.height
            let per = max(perX, perY)
            let cx = (x.0 + x.1) / 2, cy = (y.0 + y.1) / 2
            x = (cx - per * axes.plotArea.width / 2, cx + per * axes.plotArea.width / 2)
            y = (cy - per * axes.plotArea.height / 2, cy + per * axes.plotArea.height / 2)
            axes = Axes(in: rect, x: AxisSpec(label: xLabel, lower: x.0, upper: x.1),
                        y: AxisSpec(label: yLabel, lower: y.0, upper: y.1), title: nil, canvas: canvas)
        }
        return axes
    }

    /// Each word's label on the first side of its point where it overlaps no label placed before.
    private func placeLabels(axes: Axes, canvas: Canvas) {
        let theme = canvas.theme
        let style = TextStyle(size: theme.tickSize, color: theme.ink)
        var placed: [Rect] = []
        for word in words {
            guard let p = axes.point(word.x, word.y) else { continue }
            let size = canvas.measure(word.label, style)
            let candidates: [(Point, TextAnchor, Rect)] = [
                (Point(p.x + 5, p.y), .left, Rect(x: p.x + 5, y: p.y - size.height / 2, width: size.width, height: size.height)),
                (Point(p.x - 5, p.y), .right, Rect(x: p.x - 5 - size.width, y: p.y - size.height / 2, width: size.width, height: size.height)),
                (Point(p.x, p.y - 4), .bottom, Rect(x: p.x - size.width / 2, y: p.y - 4 - size.height, width: size.width, height: size.height)),
                (Point(p.x, p.y + 4), .top, Rect(x: p.x - size.width / 2, y: p.y + 4, width: size.width, height: size.height)),
            ]
            let free = candidates.first { c in !placed.contains { $0.overlaps(c.2) } } ?? candidates[0]
            canvas.text(word.label, at: free.0, style, anchor: free.1)
            placed.append(free.2)
        }
    }

    private func drawLegendRow(_ entries: [LegendEntry], below area: Rect, canvas: Canvas) {
        let theme = canvas.theme
        var x = area.minX
        let y = area.maxY + theme.tickSize * 1.5 + theme.tickLength + 10 + theme.labelSize * 1.2
        for entry in entries {
            canvas.circle(center: Point(x + 4, y + theme.tickSize * 0.6), radius: 3.6, fill: entry.color)
            canvas.text(entry.label, at: Point(x + 11, y), theme.tickStyle)
            x += 11 + canvas.measure(entry.label, theme.tickStyle).width + 16
        }
    }
}

extension Rect {
    /// Whether the two rectangles share any area.
    func overlaps(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}
