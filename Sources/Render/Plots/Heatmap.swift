/// A matrix as coloured cells with a colorbar: viridis for magnitudes, the diverging map on
/// `[-m, m]` for signed data. Row 0 is drawn at the top (matrix convention).
/// Input: `values` `[rows, columns]`; label arrays either empty or one per row/column.
/// NaN cells are drawn in the theme's missing-value colour (magenta).
public struct Heatmap: Figure {
    public let title: String
    public let subtitle: String?
    public let values: FloatArray
    public let rowLabels: [String]
    public let columnLabels: [String]
    public let xLabel: String
    public let yLabel: String
    public let valueLabel: String
    public let showValues: Bool
    public let colorScale: ColorScale

    /// `signed` nil chooses diverging exactly when some value is negative; `fixedRange`
    /// colours on that range instead of the data's (fractions on 0–1, so that two
    /// matrices compare).
    public init(title: String, subtitle: String? = nil, values: FloatArray, rowLabels: [String] = [], columnLabels: [String] = [],
                xLabel: String = "", yLabel: String = "", valueLabel: String = "value", signed: Bool? = nil,
                fixedRange: ClosedRange<Double>? = nil, showValues: Bool = false, theme: Theme = .standard) throws {
        let figure = "heatmap '\(title)'"
        try Self.validate(values, rowLabels: rowLabels, columnLabels: columnLabels, figure: figure)
        self.title = title; self.subtitle = subtitle; self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.xLabel = xLabel; self.yLabel = yLabel; self.valueLabel = valueLabel; self.showValues = showValues
        let isSigned = signed ?? ((values.values.finiteRange?.0 ?? 0) < 0)
        if let fixedRange {
            colorScale = ColorScale(colormap: isSigned ? theme.diverging : theme.sequential, lower: fixedRange.lowerBound,
                                    upper: fixedRange.upperBound, missing: theme.missingValue)
        } else {
            colorScale = isSigned ? .symmetric(values.values, theme: theme) : .sequential(values.values, theme: theme)
        }
    }

    static func validate(_ values: FloatArray, rowLabels: [String], columnLabels: [String], figure: String) throws {
        guard values.shape.count == 2, values.shape.allSatisfy({ $0 > 0 }) else {
            throw RenderError.badShape(figure: figure, what: "values", shape: values.shape, expected: "[rows, columns], both > 0")
        }
        guard values.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "values") }
        if !rowLabels.isEmpty && rowLabels.count != values.shape[0] {
            throw RenderError.countMismatch(figure: figure, what: "row labels", expected: values.shape[0], got: rowLabels.count)
        }
        if !columnLabels.isEmpty && columnLabels.count != values.shape[1] {
            throw RenderError.countMismatch(figure: figure, what: "column labels", expected: values.shape[1], got: columnLabels.count)
        }
    }

    var panel: MatrixPanel {
        let decimals = Ticks.decimals(forValues: values.values), columns = values.shape[1], data = values.values
        return MatrixPanel(rows: values.shape[0], columns: columns, values: data, scale: colorScale,
                           rowLabels: rowLabels, columnLabels: columnLabels,
                           cellText: showValues ? { r, c in Ticks.fixed(Double(data[r * columns + c]), decimals: decimals) } : nil)
    }

    /// Cells are square up to 80 pt, at most as tall as 0.8 × the width, but, when they
    /// print their values, at least `minimumRowHeight` tall (a 5 × 2 sweep would
    /// otherwise get rows too flat for its numbers, which `MatrixPanel` then leaves out).
    /// Rows grow to `labelRowHeight` (each keeps its label: every character of a short
    /// sequence) where the cells stay no taller than they are wide in all; longer label
    /// columns thin out, and the axis label says so.
    static func cellsSize(rows: Int, columns: Int, width: Double, minimumRowHeight: Double = 0,
                          labelRowHeight: Double = 0) -> Size {
        let cell = min(80, width / Double(columns))
        let height = min(cell * Double(rows), max(width * 0.8, minimumRowHeight * Double(rows)))
        let labelled = labelRowHeight * Double(rows)
        return Size(cell * Double(columns), labelled > height && labelled <= cell * Double(columns) ? labelled : height)
    }

    private func cellsSize(_ width: Double, _ theme: Theme) -> Size {
        Self.cellsSize(rows: values.shape[0], columns: values.shape[1], width: available(width, theme),
                       minimumRowHeight: minimumRowHeight(theme),
                       labelRowHeight: rowLabels.isEmpty ? 0 : MatrixPanel.rowLabelHeight(theme))
    }

    /// Rows tall enough for their values at `minimumTextSize` (the panel sets values at
    /// 0.45 of a row's height), when the cells print values.
    private func minimumRowHeight(_ theme: Theme) -> Double { showValues ? theme.minimumTextSize / 0.45 : 0 }

    private func available(_ width: Double, _ theme: Theme) -> Double {
        width - 2 * theme.margin - Colorbar.width(theme: theme) - 3 * theme.gap - 120
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let cells = cellsSize(width, theme)
        // Room under the cells for column labels turned vertical, as `MatrixPanel` turns them
        // (estimated from their length: no canvas here to measure); labels that fit their
        // cells lie flat and need only a line.
        let widest = columnLabels.map { Double($0.count) * theme.tickSize * 0.62 }.max() ?? 0
        let layout = MatrixPanel.columnLabelLayout(widest: widest, size: theme.tickSize,
                                                   cellWidth: cells.width / Double(max(values.shape[1], 1)))
        let labels = layout.vertical ? widest : 0
        return FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme) + max(cells.height, 110)
            + max(labels, theme.tickSize * 1.5)
            + (xLabel.isEmpty ? 0 : theme.labelSize * 2) + 2 * theme.margin + 8
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let size = cellsSize(frame.width, theme)
        let room = panel.labelRoom(canvas: canvas, cellWidth: size.width / Double(values.shape[1]))
        // Centre the block (axis label, row labels, cells, colorbar) in the figure.
        let leftRoom = (yLabel.isEmpty ? 0 : theme.labelSize * 1.8) + room.left
        let block = leftRoom + size.width + 2 * theme.gap + Colorbar.width(theme: theme)
        let start = body.minX + max(0, (body.width - block) / 2)
        let left = start + leftRoom
        let cells = Rect(x: left, y: body.minY, width: size.width, height: size.height)
        try panel.draw(on: canvas, cells: cells)
        let strides = panel.labelStrides(canvas: canvas, cells: cells)
        if !xLabel.isEmpty {
            canvas.text(MatrixPanel.axisLabel(xLabel, stride: strides.columns, labels: columnLabels),
                        at: Point(cells.center.x, cells.maxY + room.bottom + 4), theme.labelStyle, anchor: .top)
        }
        if !yLabel.isEmpty {
            canvas.text(MatrixPanel.axisLabel(yLabel, stride: rowLabels.isEmpty ? 1 : strides.rows, labels: rowLabels),
                        at: Point(start, cells.center.y), theme.labelStyle, anchor: .top, angle: -Double.pi / 2)
        }
        try Colorbar(scale: colorScale, label: valueLabel).draw(on: canvas, in: Rect(
            x: cells.maxX + 2 * theme.gap, y: cells.minY, width: Colorbar.width(theme: theme) - theme.gap,
            height: max(cells.height, 110)))
    }
}
