/// A matrix drawn as coloured cells with row labels on the left and column labels below
/// (turned vertical when they would not fit), optionally a value printed in each cell.
/// Heatmaps, confusion matrices, attention maps and time × unit maps are all drawn by
/// this one panel.
///
/// When cells are too small for every label, labels thin out rather than overlap: every
/// `stride`-th row or column is labelled, the stride being the smallest of 1, 2, 5, 10,
/// 20, 50, … that gives each label room, and a short tick marks the labelled cell.
struct MatrixPanel {
    let rows: Int
    let columns: Int
    let values: [Float]
    let scale: ColorScale
    let rowLabels: [String]
    let columnLabels: [String]
    /// Text printed in cell (row, column), nil for none.
    var cellText: ((Int, Int) -> String)? = nil
    /// Style of the column labels (monospace for tokens); the theme's tick style when nil.
    var columnLabelStyle: TextStyle? = nil

    /// How column labels are placed: their orientation, which of them are drawn, and the
    /// room they take below the cells.
    struct ColumnLabelLayout: Equatable {
        var vertical: Bool
        var stride: Int
        var room: Double
    }

    /// The smallest stride of 1, 2, 5, 10, 20, … such that labels `extent` long, one every
    /// `stride` cells of size `cell`, fit with 5 % to spare.
    static func labelStride(cell: Double, extent: Double) -> Int {
        guard cell > 0, extent > 0 else { return 1 }
        var power = 1
        while true {
            // The tolerance keeps a label sized to exactly fit its cell at stride 1.
            for multiple in [1, 2, 5] where Double(multiple * power) * cell * 0.95 >= extent - 1e-9 { return multiple * power }
            power *= 10
        }
    }

    /// Horizontal labels when the widest fits its cell; else vertical, unless the labels
    /// are no wider than a line is tall (single characters), where turning them gains
    /// nothing and they thin out instead.
    static func columnLabelLayout(widest: Double, size: Double, cellWidth: Double) -> ColumnLabelLayout {
        let lineHeight = size * 1.2, horizontalRoom = size * 1.5 + 4
        if widest <= cellWidth * 0.95 + 1e-9 { return ColumnLabelLayout(vertical: false, stride: 1, room: horizontalRoom) }
        if widest <= lineHeight {
            return ColumnLabelLayout(vertical: false, stride: labelStride(cell: cellWidth, extent: widest), room: horizontalRoom)
        }
        return ColumnLabelLayout(vertical: true, stride: labelStride(cell: cellWidth, extent: lineHeight), room: widest + 6)
    }

    private func columnStyle(_ theme: Theme) -> TextStyle { columnLabelStyle ?? theme.tickStyle }

    private func width(_ label: String, _ style: TextStyle, _ canvas: Canvas) -> Double {
        style.monospace ? canvas.theme.monospaceWidth(label, size: style.size) : canvas.measure(label, style).width
    }

    private func columnLayout(canvas: Canvas, cellWidth: Double) -> ColumnLabelLayout {
        let style = columnStyle(canvas.theme)
        let widest = columnLabels.map { width($0, style, canvas) }.max() ?? 0
        return Self.columnLabelLayout(widest: widest, size: style.size, cellWidth: cellWidth)
    }

    /// Every how many rows a label is drawn: each needs a tick label's line height.
    static func rowStride(_ theme: Theme, cellHeight: Double) -> Int {
        labelStride(cell: cellHeight, extent: rowLabelHeight(theme) * 0.95)
    }

    /// The row height at which every row keeps its label (stride 1): a tick label's line
    /// height with the 5 % that `labelStride` keeps to spare.
    static func rowLabelHeight(_ theme: Theme) -> Double { theme.tickSize * 1.2 / 0.95 }

    /// Every how many rows and columns a label is drawn in `cells`.
    func labelStrides(canvas: Canvas, cells: Rect) -> (rows: Int, columns: Int) {
        (Self.rowStride(canvas.theme, cellHeight: cells.height / Double(rows)),
         columnLabels.isEmpty ? 1 : columnLayout(canvas: canvas, cellWidth: cells.width / Double(columns)).stride)
    }

    /// An axis label that says when its labels thinned out ("query, every 2nd labelled"),
    /// so that a reader does not take the labelled rows for all of them. Labels that are
    /// all numbers read as an axis's ticks and are left as they are.
    static func axisLabel(_ label: String, stride: Int, labels: [String]) -> String {
        guard stride > 1, !labels.allSatisfy({ Int($0) != nil }) else { return label }
        let nth = stride == 2 ? "2nd" : stride == 3 ? "3rd" : "\(stride)th"
        return label.isEmpty ? "every \(nth) labelled" : "\(label), every \(nth) labelled"
    }

    /// Room the labels need: left of the cells and below them.
    func labelRoom(canvas: Canvas, cellWidth: Double) -> (left: Double, bottom: Double) {
        let style = canvas.theme.tickStyle
        let left = rowLabels.map { canvas.measure($0, style).width }.max().map { $0 + 6 } ?? 0
        let bottom = columnLabels.isEmpty ? 0 : columnLayout(canvas: canvas, cellWidth: cellWidth).room
        return (left, bottom)
    }

    /// Draws the cells into `cells` (labels go outside it).
    func draw(on canvas: Canvas, cells: Rect) throws {
        let theme = canvas.theme
        try canvas.image(scale.colors(values), width: columns, height: rows, in: cells)
        canvas.stroke(cells, theme.ink, width: theme.thinLineWidth)
        let cw = cells.width / Double(columns), ch = cells.height / Double(rows)
        let rowStride = Self.rowStride(theme, cellHeight: ch)
        for (r, label) in rowLabels.prefix(rows).enumerated() where r % rowStride == 0 {
            let y = cells.minY + (Double(r) + 0.5) * ch
            if rowStride > 1 { canvas.line(from: Point(cells.minX - 3, y), to: Point(cells.minX, y), theme.ink, width: theme.thinLineWidth) }
            canvas.text(label, at: Point(cells.minX - 4, y), theme.tickStyle, anchor: .right)
        }
        let layout = columnLayout(canvas: canvas, cellWidth: cw), style = columnStyle(theme)
        for (c, label) in columnLabels.prefix(columns).enumerated() where c % layout.stride == 0 {
            let x = cells.minX + (Double(c) + 0.5) * cw
            if layout.stride > 1 { canvas.line(from: Point(x, cells.maxY), to: Point(x, cells.maxY + 3), theme.ink, width: theme.thinLineWidth) }
            if layout.vertical {
                canvas.text(label, at: Point(x, cells.maxY + 4), style, anchor: .right, angle: -Double.pi / 2)
            } else {
                canvas.text(label, at: Point(x, cells.maxY + 4), style, anchor: .top)
            }
        }
        // Values go only into cells that hold them at `minimumTextSize` (7 pt in print);
        // in smaller cells the colour and the colorbar carry them.
        let size = min(theme.tickSize, ch * 0.45, cw * 0.3)
        guard let cellText, size >= theme.minimumTextSize else { return }
        for r in 0..<rows { for c in 0..<columns {
            let v = Double(values[r * columns + c])
            canvas.text(cellText(r, c), at: Point(cells.minX + (Double(c) + 0.5) * cw, cells.minY + (Double(r) + 0.5) * ch),
                        TextStyle(size: size, color: theme.textColor(on: scale.color(v))), anchor: .center)
        } }
    }
}
