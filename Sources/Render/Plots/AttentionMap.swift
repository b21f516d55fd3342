/// Attention weights as query × key heatmaps, one panel per head (and layer), tokens on
/// both axes: row `q` shows how much query token `q` attends to each key token (rows of
/// a softmax sum to 1). One shared viridis scale from 0 and one colorbar.
/// Input: per head a `[queries, keys]` array; `queryTokens.count == queries`,
/// `keyTokens.count == keys`.
public struct AttentionMap: Figure {
    public struct Head: Sendable {
        public var name: String
        public var weights: FloatArray
        public init(name: String, weights: FloatArray) { self.name = name; self.weights = weights }
    }

    public let title: String
    public let queryTokens: [String]
    public let keyTokens: [String]
    public let heads: [Head]
    public let colorScale: ColorScale
    /// Panels per row (e.g. the heads of one layer per row); as many as fit when nil.
    public let fixedColumns: Int?

    /// `scale`: a colour scale shared with other maps (frames of one series); by default
    /// viridis from 0 to the largest weight of these heads. `columns`: panels per row.
    public init(title: String, queryTokens: [String], keyTokens: [String], heads: [Head], scale: ColorScale? = nil,
                columns: Int? = nil,
                theme: Theme = .standard) throws {
        let figure = "attention map '\(title)'"
        guard !heads.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of heads") }
        for head in heads {
            try Heatmap.validate(head.weights, rowLabels: queryTokens, columnLabels: keyTokens, figure: "\(figure), \(head.name)")
            guard head.weights.shape == [queryTokens.count, keyTokens.count] else {
                throw RenderError.badShape(figure: figure, what: head.name, shape: head.weights.shape,
                                           expected: "[\(queryTokens.count) queries, \(keyTokens.count) keys]")
            }
        }
        self.title = title; self.queryTokens = queryTokens; self.keyTokens = keyTokens; self.heads = heads
        fixedColumns = columns.map { max(1, min($0, heads.count)) }
        colorScale = scale ?? .sequential(heads.flatMap(\.weights.values), theme: theme, fromZero: true)
    }

    private func columns(_ width: Double) -> Int { fixedColumns ?? min(heads.count, max(1, Int(width / 260))) }

    private func layout(_ width: Double, _ theme: Theme) -> (cell: Double, panel: Size, labels: Double) {
        let labels = Double(max(queryTokens.map(\.count).max() ?? 0, keyTokens.map(\.count).max() ?? 0)) * theme.tickSize * 0.62 + 8
        let n = Double(columns(width))
        let available = width - 2 * theme.margin - Colorbar.width(theme: theme) - theme.gap
        let panelWidth = (available - labels - (n - 1) * (theme.gap * 2)) / n
        let cell = min(44, panelWidth / Double(keyTokens.count))
        return (cell, Size(cell * Double(keyTokens.count), cell * Double(queryTokens.count)), labels)
    }

    /// Every how many rows a query token is labelled when the map is laid out `width` wide:
    /// 1 when each row is at least a label's line tall, else 2, 5, … (labels thin out).
    public func queryLabelStride(width: Double, theme: Theme = .standard) -> Int {
        MatrixPanel.rowStride(theme, cellHeight: layout(width, theme).cell)
    }

    /// What the axes hold, and, when the labels thinned out, which of them are labelled
    /// (a map of 64 tokens labels every 5th: the reader must not take those for all).
    /// `columnStride` is the drawn one; nil estimates it from the token lengths.
    func subtitle(width: Double, theme: Theme, columnStride: Int? = nil) -> String {
        let cell = layout(width, theme).cell
        let widest = Double(keyTokens.map(\.count).max() ?? 0) * theme.tickSize * 0.62
        let strides = (MatrixPanel.rowStride(theme, cellHeight: cell),
                       columnStride ?? MatrixPanel.columnLabelLayout(widest: widest, size: theme.tickSize, cellWidth: cell).stride)
        let (rowAxis, columnAxis) = ("rows: query token", "columns: key token")
        let rows = MatrixPanel.axisLabel(rowAxis, stride: strides.0, labels: queryTokens)
        let columns = MatrixPanel.axisLabel(columnAxis, stride: strides.1, labels: keyTokens)
        return rows + (rows == rowAxis && columns == columnAxis ? ", " : "; ") + columns
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let (_, panel, labels) = layout(width, theme)
        let rows = Double((heads.count + columns(width) - 1) / columns(width))
        return FigureHeader(title: title, subtitle: subtitle(width: width, theme: theme)).height(width: width - 2 * theme.margin, theme: theme)
            + rows * (theme.labelSize * 1.6 + max(panel.height, 110) + labels + theme.gap) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let (cell, panel, labels) = layout(frame.width, theme)
        let columnStride = MatrixPanel(rows: queryTokens.count, columns: keyTokens.count, values: [], scale: colorScale,
                                       rowLabels: [], columnLabels: keyTokens)
            .labelStrides(canvas: canvas, cells: Rect(x: 0, y: 0, width: cell * Double(keyTokens.count), height: cell)).columns
        let body = FigureHeader(title: title, subtitle: subtitle(width: frame.width, theme: theme, columnStride: columnStride))
            .draw(on: canvas, in: frame.inset(by: theme.margin))
        let n = columns(frame.width)
        var lastRight = body.minX
        for (k, head) in heads.enumerated() {
            let row = k / n, column = k % n
            let x = body.minX + labels + Double(column) * (panel.width + 2 * theme.gap)
            let y = body.minY + Double(row) * (theme.labelSize * 1.6 + max(panel.height, 110) + labels + theme.gap)
            canvas.text(head.name, at: Point(x + panel.width / 2, y), TextStyle(size: theme.labelSize, bold: true, color: theme.ink),
                        anchor: .top)
            let cells = Rect(x: x, y: y + theme.labelSize * 1.6, width: panel.width, height: panel.height)
            try MatrixPanel(rows: queryTokens.count, columns: keyTokens.count, values: head.weights.values, scale: colorScale,
                            rowLabels: column == 0 ? queryTokens : [], columnLabels: keyTokens).draw(on: canvas, cells: cells)
            lastRight = max(lastRight, cells.maxX)
        }
        try Colorbar(scale: colorScale, label: "attention weight").draw(on: canvas, in: Rect(
            x: lastRight + 2 * theme.gap, y: body.minY + theme.labelSize * 1.6,
            width: Colorbar.width(theme: theme) - theme.gap, height: max(panel.height, 110)))
    }
}
