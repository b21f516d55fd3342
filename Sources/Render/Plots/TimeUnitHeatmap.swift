/// A recurrent layer's state over a sequence, in the manner of LSTMVis: time along x
/// (the input tokens, each written under its column), units along y, one cell per
/// (step, unit). Column t is the state after the network has read token t, so a unit
/// that switches on inside quotes shows as a bright band between the quote marks.
///
/// Colour: `range` says what the values are. Gates (sigmoid outputs) take
/// `.unitInterval`, viridis on exactly [0, 1]; hidden and cell states `.symmetric()`,
/// the diverging map on [−m, m] centred at 0; panels that are compared take one
/// `.symmetric(limit:)` or `.scale(_)`. NaN cells are drawn in the theme's missing colour.
///
/// Input: `values` `[steps, units]` as the layer produced it (row t is the state at step
/// t), one token per step. `units` picks which units to show, top to bottom (default:
/// all); `unitLabels` names them (default: their indices under the axis label "unit").
///
/// Sizes for up to about 120 steps and 128 units: cells are at most 28 pt wide and 22 pt
/// tall; the unit axis takes about 460 pt whatever the unit count (128 units: 3.6 pt rows),
/// and columns share the width left after labels and colorbar. Token labels are set in
/// the monospace face with whitespace visible (`␣`, `⏎`, see `VisibleText`); they shrink
/// to fit their column (13.5 pt at most, `Theme.minimumTextSize` = 11.6 pt at least, which
/// prints at 7 pt in the handout: at 800 pt wide, 80 characters are all labelled), words
/// turn vertical, and where even that would overlap, every 2nd, 5th, 10th, … column is
/// labelled, with a tick. Unit
/// labels thin out the same way (128 rows of 3.6 pt: every 5th unit).
///
///     let forget = try TimeUnitHeatmap(
///         title: "Forget gate over a sentence", tokens: text.map(String.init),
///         values: FloatArray(shape: [40, 128], values: gates), range: .unitInterval,
///         valueLabel: "forget gate")
///     let three = try TimeUnitHeatmap(
///         title: "Three cells", tokens: tokens, values: cellState, range: .symmetric(limit: 3),
///         valueLabel: "cell state", units: [3, 17, 42],
///         unitLabels: ["cell 3", "cell 17: quotes", "cell 42"])
public struct TimeUnitHeatmap: Figure {
    public let title: String
    public let subtitle: String?
    public let tokens: [String]
    public let values: FloatArray
    /// The units shown, top to bottom, as indices into `values`' second dimension.
    public let units: [Int]
    public let unitLabels: [String]
    public let valueLabel: String
    public let xLabel: String
    public let yLabel: String
    public let colorScale: ColorScale
    /// The height of the block of cells at design size (rows share it, 3 to 22 pt each): a
    /// figure of several such panels sets it lower so that the whole fits a handout page.
    public var cellsHeight = 460.0
    /// The units shown as a `[units.count, steps]` matrix, the way they are drawn.
    let shownValues: [Float]

    public init(title: String, subtitle: String? = nil, tokens: [String], values: FloatArray, range: ColorRange = .automatic,
                valueLabel: String, units: [Int]? = nil, unitLabels: [String]? = nil,
                xLabel: String = "input at each step", yLabel: String = "unit", theme: Theme = .standard) throws {
        let figure = "time × unit heatmap '\(title)'"
        guard values.shape.count == 2, values.shape.allSatisfy({ $0 > 0 }) else {
            throw RenderError.badShape(figure: figure, what: "values", shape: values.shape, expected: "[steps, units], both > 0")
        }
        let (steps, unitCount) = (values.shape[0], values.shape[1])
        guard tokens.count == steps else {
            throw RenderError.countMismatch(figure: figure, what: "tokens (one per step)", expected: steps, got: tokens.count)
        }
        let shown = units ?? Array(0..<unitCount)
        guard !shown.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of units to show") }
        for u in shown where !(0..<unitCount).contains(u) {
            throw RenderError.badValue(figure: figure, what: "unit index", value: "\(u)", expected: "an index in 0..<\(unitCount)")
        }
        if let unitLabels, unitLabels.count != shown.count {
            throw RenderError.countMismatch(figure: figure, what: "unit labels", expected: shown.count, got: unitLabels.count)
        }
        // Transposed for drawing: row r is unit shown[r], column t is step t.
        let picked = shown.flatMap { u in (0..<steps).map { t in values.values[t * unitCount + u] } }
        guard picked.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "values of the units shown") }
        self.title = title; self.subtitle = subtitle; self.tokens = tokens; self.values = values
        self.units = shown; self.unitLabels = unitLabels ?? shown.map(String.init); shownValues = picked
        self.valueLabel = valueLabel; self.xLabel = xLabel; self.yLabel = yLabel
        colorScale = try range.colorScale(for: picked, theme: theme, figure: figure, what: "values")
    }

    /// The tokens as the axis writes them, whitespace visible.
    var tokenLabels: [String] { tokens.map { VisibleText.visible($0) } }

    /// Cell size, the token labels' font size and placement, and the room left of the cells.
    struct Layout: Equatable {
        var cell: Size
        var tokenSize: Double
        var tokenLabels: MatrixPanel.ColumnLabelLayout
        var leftRoom: Double
    }

    func layout(width: Double, theme: Theme) -> Layout {
        let steps = Double(tokens.count), rows = Double(units.count)
        let unitLabelWidth = Double(unitLabels.map(\.count).max() ?? 0) * theme.tickSize * 0.65 + 6
        let leftRoom = (yLabel.isEmpty ? 0 : theme.labelSize * 1.8) + unitLabelWidth
        let available = width - 2 * theme.margin - leftRoom - 2 * theme.gap - Colorbar.width(theme: theme)
        let cell = Size(max(1, min(28, available / steps)), min(22, max(3, cellsHeight / rows)))
        let characters = Double(tokenLabels.map(\.count).max() ?? 1), advance = theme.monospaceAdvance
        // The tokens are the text the student reads: label size when the column allows.
        let size: Double
        if characters * advance * theme.labelSize <= cell.width * 0.95 {
            size = theme.labelSize
        } else {
            // One character: as large as the column allows; a word turns vertical and
            // needs only a line's height.
            let fit = characters == 1 ? cell.width * 0.95 / advance : cell.width * 0.95 / 1.2
            size = max(theme.minimumTextSize, min(theme.labelSize, fit))
        }
        let labels = MatrixPanel.columnLabelLayout(widest: characters * advance * size, size: size, cellWidth: cell.width)
        return Layout(cell: cell, tokenSize: size, tokenLabels: labels, leftRoom: leftRoom)
    }

    private var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    /// The colorbar is at least this tall, even beside three rows of cells.
    private static let minimumColorbar = 110.0

    /// Every how many columns a token labels its column when the map is `width` wide
    /// (1: every token; 2, 5, 10, …: labels would overlap, so the others are left out).
    public func tokenLabelStride(width: Double, theme: Theme = .standard) -> Int {
        layout(width: width, theme: theme).tokenLabels.stride
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let l = layout(width: width, theme: theme)
        let cellsAndLabels = l.cell.height * Double(units.count) + l.tokenLabels.room + (xLabel.isEmpty ? 0 : theme.labelSize * 2)
        return header.height(width: width - 2 * theme.margin, theme: theme) + max(cellsAndLabels, Self.minimumColorbar) + 2 * theme.margin + 4
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let l = layout(width: frame.width, theme: theme)
        let steps = tokens.count
        let panel = MatrixPanel(rows: units.count, columns: steps, values: shownValues, scale: colorScale,
                                rowLabels: unitLabels, columnLabels: tokenLabels,
                                columnLabelStyle: TextStyle(size: l.tokenSize, color: theme.ink, monospace: true))
        let size = Size(l.cell.width * Double(steps), l.cell.height * Double(units.count))
        let block = l.leftRoom + size.width + 2 * theme.gap + Colorbar.width(theme: theme)
        let start = body.minX + max(0, (body.width - block) / 2)
        let cells = Rect(x: start + l.leftRoom, y: body.minY, width: size.width, height: size.height)
        try panel.draw(on: canvas, cells: cells)
        if !xLabel.isEmpty {
            canvas.text(xLabel, at: Point(cells.center.x, cells.maxY + l.tokenLabels.room + 4), theme.labelStyle, anchor: .top)
        }
        if !yLabel.isEmpty {
            canvas.text(yLabel, at: Point(start, cells.center.y), theme.labelStyle, anchor: .top, angle: -Double.pi / 2)
        }
        try Colorbar(scale: colorScale, label: valueLabel).draw(on: canvas, in: Rect(
            x: cells.maxX + 2 * theme.gap, y: cells.minY, width: Colorbar.width(theme: theme) - theme.gap,
            height: max(cells.height, Self.minimumColorbar)))
    }
}
