import Foundation

/// A small computation graph for backpropagation, as micrograd draws it: each value is a
/// box with its name, its value (forward pass) and its gradient ∂L/∂node (backward pass);
/// the operation that produced it sits in a circle before it; arrows follow the data.
/// Columns are placed by depth (longest path from an input), so inputs are on the left
/// and the loss on the right. Input: nodes with unique ids and edges between those ids.
///
/// To walk through backpropagation one stage at a time, `highlighted` marks the nodes a
/// stage computes (and the edges their gradients arrive by), and `notes` are lines under
/// the title giving that stage's rule with the numbers put in.
public struct ComputationGraph: Figure {
    public struct Node: Sendable {
        public var id: String
        public var label: String
        public var value: Double
        public var gradient: Double?
        /// The operation producing this node ("+", "×", "tanh"), nil for inputs/parameters.
        public var operation: String?
        public init(id: String, label: String, value: Double, gradient: Double? = nil, operation: String? = nil) {
            self.id = id; self.label = label; self.value = value; self.gradient = gradient; self.operation = operation
        }
    }

    public struct Edge: Sendable {
        public var from: String
        public var to: String
        public init(from: String, to: String) { self.from = from; self.to = to }
    }

    public let title: String
    public let nodes: [Node]
    public let edges: [Edge]
    /// Column (depth) and row (may be fractional, to centre a node on its neighbours) of
    /// each node, in `nodes` order.
    public let placement: [(column: Int, row: Double)]
    /// Ids of the nodes drawn emphasised; edges leaving them are emphasised too.
    public let highlighted: Set<String>
    /// Lines of text between the title and the graph (e.g. a chain-rule step in numbers).
    public let notes: [String]

    public init(title: String, nodes: [Node], edges: [Edge], highlighted: Set<String> = [], notes: [String] = []) throws {
        let figure = "computation graph '\(title)'"
        guard !nodes.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of nodes") }
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            guard index.updateValue(i, forKey: node.id) == nil else {
                throw RenderError.countMismatch(figure: figure, what: "nodes with id '\(node.id)'", expected: 1, got: 2)
            }
        }
        for edge in edges where index[edge.from] == nil || index[edge.to] == nil {
            throw RenderError.emptyData(figure: figure, what: "node '\(index[edge.from] == nil ? edge.from : edge.to)' named by an edge")
        }
        for id in highlighted where index[id] == nil {
            throw RenderError.emptyData(figure: figure, what: "highlighted node '\(id)'")
        }
        self.title = title; self.nodes = nodes; self.edges = edges
        self.highlighted = highlighted; self.notes = notes
        let links = edges.map { (index[$0.from]!, index[$0.to]!) }
        let columns = try Self.columns(count: nodes.count, links, figure: figure)
        placement = Array(zip(columns, Self.rows(columns: columns, links)))
    }

    /// Depth = longest path from a source (relaxed |nodes| times; still changing after that
    /// means a cycle). A source then moves right to just before its first consumer, so a
    /// bias enters where it is added, not beside the first inputs.
    private static func columns(count: Int, _ links: [(Int, Int)], figure: String) throws -> [Int] {
        var depth = [Int](repeating: 0, count: count)
        for round in 0...count {
            var changed = false
            for (a, b) in links where depth[b] < depth[a] + 1 { depth[b] = depth[a] + 1; changed = true }
            if !changed { break }
            if round == count { throw RenderError.badShape(figure: figure, what: "edges", shape: [links.count], expected: "no cycles") }
        }
        let targets = Set(links.map(\.1))
        for node in 0..<count where !targets.contains(node) {
            if let first = links.filter({ $0.0 == node }).map({ depth[$0.1] }).min() { depth[node] = first - 1 }
        }
        return depth
    }

    /// Rows: each column, right to left, sorts its nodes by the mean row of their consumers
    /// and packs them one row apart; then, left to right, each computed node moves to the
    /// mean row of its inputs where that keeps the order (a barycentre sweep).
    private static func rows(columns: [Int], _ links: [(Int, Int)]) -> [Double] {
        var row = [Double](repeating: 0, count: columns.count)
        let last = columns.max() ?? 0
        func pack(_ column: Int, _ neighbours: (Int) -> [Int]) {
            let members = columns.indices.filter { columns[$0] == column }
            let wanted = members.map { m -> (Int, Double) in
                let near = neighbours(m)
                return (m, near.isEmpty ? row[m] : near.map { row[$0] }.reduce(0, +) / Double(near.count))
            }.sorted { $0.1 < $1.1 }
            var previous = -Double.infinity
            for (m, w) in wanted { row[m] = max(w, previous + 1); previous = row[m] }
        }
        for (k, m) in columns.indices.filter({ columns[$0] == last }).enumerated() { row[m] = Double(k) }
        for c in stride(from: last - 1, through: 0, by: -1) { pack(c) { m in links.filter { $0.0 == m }.map(\.1) } }
        for c in stride(from: 1, through: last, by: 1) { pack(c) { m in links.filter { $0.1 == m }.map(\.0) } }
        let top = row.min() ?? 0
        return row.map { $0 - top }
    }

    /// Box, row pitch and column gap, in units of the text size `em` in the boxes.
    private static let boxWidth = 8.2, boxHeight = 4.3, rowPitchEms = 5.9
    private static let columnGap = 60.0
    private static let highlightFill = Color(hex: 0xFCE8DC)

    private func notesHeight(_ theme: Theme) -> Double { Double(notes.count) * theme.labelSize * 1.5 }

    private var subtitle: String {
        "forward: value (black)   backward: grad = ∂L/∂node (vermillion)" + (highlighted.isEmpty ? "" : "   shaded: this stage")
    }

    private var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    private var rowSpan: Double { (placement.map(\.row).max() ?? 0) + 1 }

    private var columnCount: Int { (placement.map(\.column).max() ?? 0) + 1 }

    /// Room left of the first column for operation circles, if a first-column node has one.
    private var opRoom: Double { zip(nodes, placement).contains { $0.operation != nil && $1.column == 0 } ? 64 : 0 }

    /// The graph's text size `em` and the scale it is drawn at in a body `width` wide.
    /// The title, subtitle and notes are drawn at the figure's size; the graph (boxes of
    /// `8.2 em`, columns `columnGap` apart) is scaled down when it is wider than the body.
    /// `em` is chosen so that the scaled text is still `minimumTextSize` (7 pt in the
    /// handout): from `em · W / (8.2 c · em + G) = m`, `em = m G / (W − 8.2 c m)`, where
    /// `G` is the width that does not grow with the text; never under the tick size.
    func graphLayout(width: Double, theme: Theme) -> (em: Double, scale: Double) {
        let c = Double(columnCount), fixed = (c - 1) * Self.columnGap + opRoom, m = theme.minimumTextSize
        let room = width - Self.boxWidth * c * m
        let em = room > 0 ? max(theme.tickSize, min(2 * theme.tickSize, m * fixed / room)) : 2 * theme.tickSize
        let natural = c * Self.boxWidth * em + fixed
        return (em, min(1, width / natural))
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let body = width - 2 * theme.margin, (em, scale) = graphLayout(width: body, theme: theme)
        return header.height(width: body, theme: theme) + notesHeight(theme) + rowSpan * Self.rowPitchEms * em * scale
            + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        var body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        for (k, note) in notes.enumerated() {
            canvas.text(note, at: Point(body.minX, body.minY + Double(k) * theme.labelSize * 1.5), theme.labelStyle)
        }
        body = body.inset(top: notesHeight(theme))
        let (em, scale) = graphLayout(width: body.width, theme: theme)
        canvas.transformed(offset: Point(body.minX, body.minY), scale: scale) {
            drawGraph(on: canvas, width: body.width / scale, em: em)
        }
    }

    /// The boxes, circles and arrows, `width` wide from the origin, text `em` high.
    private func drawGraph(on canvas: Canvas, width: Double, em: Double) {
        let theme = canvas.theme, box = Size(Self.boxWidth * em, Self.boxHeight * em)
        let columns = columnCount
        let pitch = columns > 1 ? (width - box.width - opRoom) / Double(columns - 1) : 0
        let boxes: [Rect] = placement.map { p in
            Rect(x: opRoom + Double(p.column) * pitch, y: p.row * Self.rowPitchEms * em, width: box.width, height: box.height)
        }
        let gap = columns > 1 ? pitch - box.width : opRoom
        let ops = zip(nodes, boxes).map { node, box in node.operation.map { opCircle($0, box, gap: gap, em: em, canvas) } }
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.id, $0) })
        for edge in edges {
            let a = boxes[index[edge.from]!], j = index[edge.to]!
            let start = Point(a.maxX, a.center.y)
            var end = Point(boxes[j].minX, boxes[j].center.y)
            if let (center, radius) = ops[j] {
                let dx = center.x - start.x, dy = center.y - start.y, length = (dx * dx + dy * dy).squareRoot()
                end = Point(center.x - dx / length * (radius + 1), center.y - dy / length * (radius + 1))
            }
            let lit = highlighted.contains(edge.from)
            canvas.arrow(from: start, to: end, lit ? theme.mistake : theme.mutedInk, width: lit ? 2 : 1.2, head: 8)
        }
        for (k, (node, box)) in zip(nodes, boxes).enumerated() { drawNode(node, box, em: em, op: ops[k], on: canvas) }
    }

    /// The operation's circle in the middle of the gap before its node's box: centre and
    /// radius (wide enough for "tanh").
    private func opCircle(_ op: String, _ box: Rect, gap: Double, em: Double, _ canvas: Canvas) -> (Point, Double) {
        let radius = max(13, canvas.measure(op, TextStyle(size: em, bold: true)).width / 2 + 5)
        return (Point(box.minX - max(gap / 2, radius + 10), box.center.y), radius)
    }

    /// A value's box: its label (bold), a rule, its value and its gradient, each a line
    /// of text `em` high.
    private func drawNode(_ node: Node, _ box: Rect, em: Double, op circle: (Point, Double)?, on canvas: Canvas) {
        let theme = canvas.theme
        let lit = highlighted.contains(node.id)
        if let op = node.operation, let (center, radius) = circle {
            canvas.arrow(from: Point(center.x + radius, center.y), to: Point(box.minX, box.center.y), theme.mutedInk, width: 1.2, head: 7)
            canvas.circle(center: center, radius: radius, fill: Color(hex: 0xF2F2F2), stroke: theme.ink, lineWidth: 1)
            canvas.text(op, at: center, TextStyle(size: em, bold: true, color: theme.ink), anchor: .center)
        }
        canvas.fill(box, lit ? Self.highlightFill : .white)
        canvas.stroke(box, lit ? theme.mistake : theme.ink, width: lit ? 2.2 : 1.2)
        let line = em * 1.2, rule = box.minY + 0.25 * em + line + 0.2 * em
        canvas.text(node.label, at: Point(box.center.x, box.minY + 0.25 * em), TextStyle(size: em, bold: true, color: theme.ink), anchor: .top)
        canvas.line(from: Point(box.minX, rule), to: Point(box.maxX, rule), theme.gridLine, width: 1)
        canvas.text("value \(Self.number(node.value))", at: Point(box.minX + 0.5 * em, rule + 0.25 * em), TextStyle(size: em, color: theme.ink))
        if let g = node.gradient {
            canvas.text("grad \(Self.number(g))", at: Point(box.minX + 0.5 * em, rule + 0.25 * em + line),
                        TextStyle(size: em, color: theme.mistake))
        }
    }

    /// Four significant digits, trailing zeros kept (`0.5000`, `−0.02198`, `0.007707`): the
    /// precision students compare with a hand calculation, and the one the lesson texts and
    /// trace tables print, so that a figure's number and the text's read alike.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "\(v)" }
        let text = String(format: "%#.4g", v)
        return text.replacingOccurrences(of: "-", with: "−")
    }
}
