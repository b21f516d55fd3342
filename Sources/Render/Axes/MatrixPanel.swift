/// A matrix drawn as coloured cells with row labels on the left and column labels below
/// (turned vertical when they would not fit), optionally a value printed in each cell.
/// Heatmaps, confusion matrices and attention maps are all drawn by this one panel.
struct MatrixPanel {
    let rows: Int
    let columns: Int
    let values: [Float]
    let scale: ColorScale
    let rowLabels: [String]
    let columnLabels: [String]
    /// Text printed in cell (row, column), nil for none.
    var cellText: ((Int, Int) -> String)? = nil

    /// Room the labels need: left of the cells and below them.
    func labelRoom(canvas: Canvas, cellWidth: Double) -> (left: Double, bottom: Double) {
        let style = canvas.theme.tickStyle
        let left = rowLabels.map { canvas.measure($0, style).width }.max().map { $0 + 6 } ?? 0
        let widest = columnLabels.map { canvas.measure($0, style).width }.max() ?? 0
        let bottom = columnLabels.isEmpty ? 0 : (verticalColumnLabels(widest, cellWidth) ? widest + 6 : style.size * 1.5 + 4)
        return (left, bottom)
    }

    private func verticalColumnLabels(_ widest: Double, _ cellWidth: Double) -> Bool { widest > cellWidth * 0.95 }

    /// Draws the cells into `cells` (labels go outside it).
    func draw(on canvas: Canvas, cells: Rect) throws {
        let theme = canvas.theme
        try canvas.image(scale.colors(values), width: columns, height: rows, in: cells)
        canvas.stroke(cells, theme.ink, width: theme.thinLineWidth)
        let cw = cells.width / Double(columns), ch = cells.height / Double(rows)
        for (r, label) in rowLabels.prefix(rows).enumerated() {
            canvas.text(label, at: Point(cells.minX - 4, cells.minY + (Double(r) + 0.5) * ch), theme.tickStyle, anchor: .right)
        }
        let widest = columnLabels.map { canvas.measure($0, theme.tickStyle).width }.max() ?? 0
        let vertical = verticalColumnLabels(widest, cw)
        for (c, label) in columnLabels.prefix(columns).enumerated() {
            let x = cells.minX + (Double(c) + 0.5) * cw
            if vertical {
                canvas.text(label, at: Point(x, cells.maxY + 4), theme.tickStyle, anchor: .right, angle: -Double.pi / 2)
            } else {
                canvas.text(label, at: Point(x, cells.maxY + 4), theme.tickStyle, anchor: .top)
            }
        }
        guard let cellText else { return }
        let size = min(theme.tickSize, ch * 0.45, cw * 0.3)
        for r in 0..<rows { for c in 0..<columns {
            let v = Double(values[r * columns + c])
            canvas.text(cellText(r, c), at: Point(cells.minX + (Double(c) + 0.5) * cw, cells.minY + (Double(r) + 0.5) * ch),
                        TextStyle(size: size, color: theme.textColor(on: scale.color(v))), anchor: .center)
        } }
    }
}
