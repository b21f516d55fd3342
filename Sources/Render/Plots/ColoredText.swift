/// Text whose characters (or tokens) sit on backgrounds coloured by a value, the way
/// Karpathy showed "a cell that tracks quotes": one copy of the text per row, each row a
/// unit or quantity ("cell 17: inside quotes"), all rows on one colour scale with one
/// colorbar, so rows compare (FIGURES.md habit 3).
///
/// The text is set in the monospace face and wrapped at the figure's width, or at
/// `lineLength` characters if that is shorter, breaking after spaces (see `TextGrid`);
/// a newline shows as `⏎` and ends its line. Every character of a token takes the
/// token's colour; with multi-character tokens a thin white line separates them. Each
/// character is drawn in white or ink, whichever reads better on its cell
/// (`Theme.textColor(on:)`). Spaces are coloured cells without a glyph; NaN values are
/// drawn in the theme's missing colour.
///
/// Colour: `.symmetric()` (the default for signed data) for states, `.unitInterval` for
/// gates and probabilities; see `ColorRange`.
///
///     let quotes = try ColoredText(
///         title: "A cell that tracks quotes", text: sample,
///         rows: [.init(name: "cell 17: inside quotes", values: cell17),
///                .init(name: "cell 42: end of line", values: cell42)],
///         range: .symmetric(), valueLabel: "cell state", lineLength: 80)
public struct ColoredText: Figure {
    /// One coloured copy of the text: a name and one value per token.
    public struct Row: Sendable {
        public var name: String
        public var values: [Float]
        public init(name: String, values: [Float]) { self.name = name; self.values = values }
    }

    public let title: String
    public let subtitle: String?
    public let tokens: [String]
    public let rows: [Row]
    public let valueLabel: String
    /// At most this many characters per line (nil: as many as the width allows).
    public let lineLength: Int?
    public let colorScale: ColorScale

    /// One value per token (a word piece, a word, a character).
    public init(title: String, subtitle: String? = nil, tokens: [String], rows: [Row], range: ColorRange = .automatic,
                valueLabel: String, lineLength: Int? = nil, theme: Theme = .standard) throws {
        let figure = "coloured text '\(title)'"
        guard !tokens.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the text") }
        if let k = tokens.firstIndex(where: \.isEmpty) {
            throw RenderError.badValue(figure: figure, what: "token \(k)", value: "empty", expected: "at least one character")
        }
        guard !rows.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of rows") }
        for row in rows where row.values.count != tokens.count {
            throw RenderError.countMismatch(figure: figure, what: "values of row '\(row.name)'", expected: tokens.count,
                                            got: row.values.count)
        }
        let all = rows.flatMap(\.values)
        guard all.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "the rows' values") }
        if let lineLength, lineLength < 2 { throw RenderError.invalidSize(what: "\(figure): line length", value: Double(lineLength)) }
        self.title = title; self.subtitle = subtitle; self.tokens = tokens; self.rows = rows
        self.valueLabel = valueLabel; self.lineLength = lineLength
        colorScale = try range.colorScale(for: all, theme: theme, figure: figure, what: "the rows")
    }

    /// One value per character of `text`.
    public init(title: String, subtitle: String? = nil, text: String, rows: [Row], range: ColorRange = .automatic,
                valueLabel: String, lineLength: Int? = nil, theme: Theme = .standard) throws {
        try self.init(title: title, subtitle: subtitle, tokens: text.map(String.init), rows: rows, range: range,
                      valueLabel: valueLabel, lineLength: lineLength, theme: theme)
    }

    /// Background and text colour of token `token` in row `row`.
    func colors(row: Int, token: Int, theme: Theme) -> (background: Color, text: Color) {
        let background = colorScale.color(Double(rows[row].values[token]))
        return (background, theme.textColor(on: background))
    }

    private var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    /// Font size, cell size and the wrapped text for a figure `width` wide.
    struct Layout {
        var fontSize: Double
        var cell: Size
        var lineGap: Double
        var nameHeight: Double
        var grid: TextGrid

        var blockHeight: Double { nameHeight + Double(grid.lines.count) * (cell.height + lineGap) }
    }

    func layout(width: Double, theme: Theme) -> Layout {
        let size = theme.labelSize, advance = theme.monospaceAdvance * size
        let textWidth = width - 2 * theme.margin - 2 * theme.gap - Colorbar.width(theme: theme)
        // One cell of the width is kept for a space hanging at a line's end.
        let fit = Int((textWidth / advance).rounded(.down)) - 1
        let columns = min(lineLength ?? fit, fit)
        return Layout(fontSize: size, cell: Size(advance, (size * 1.45).rounded()), lineGap: 3, nameHeight: theme.labelSize * 1.7,
                      grid: TextGrid(tokens: tokens, columns: columns))
    }

    private static let minimumColorbar = 110.0

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let l = layout(width: width, theme: theme)
        let blocks = Double(rows.count) * l.blockHeight + Double(rows.count - 1) * theme.gap
        return header.height(width: width - 2 * theme.margin, theme: theme) + max(blocks, l.nameHeight + Self.minimumColorbar) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let l = layout(width: frame.width, theme: theme)
        let separateTokens = tokens.contains { $0.count > 1 }
        let nameStyle = TextStyle(size: theme.labelSize, bold: true, color: theme.ink)
        var y = body.minY
        for (r, row) in rows.enumerated() {
            canvas.text(row.name, at: Point(body.minX, y), nameStyle)
            y += l.nameHeight
            for line in l.grid.lines {
                // Backgrounds as one pixel per cell, drawn without seams between equal colours.
                let backgrounds = line.map { cell in cell.token.map { colors(row: r, token: $0, theme: theme).background } ?? .white }
                let strip = Rect(x: body.minX, y: y, width: l.cell.width * Double(line.count), height: l.cell.height)
                if !line.isEmpty { try canvas.image(backgrounds, width: line.count, height: 1, in: strip) }
                for (c, cell) in line.enumerated() {
                    let x = body.minX + Double(c) * l.cell.width
                    if separateTokens, c > 0, cell.token != line[c - 1].token {
                        canvas.line(from: Point(x, y), to: Point(x, y + l.cell.height), .white, width: 1)
                    }
                    guard cell.character != " ", let token = cell.token else { continue }
                    canvas.text(String(cell.character), at: Point(x + l.cell.width / 2, y + l.cell.height / 2),
                                TextStyle(size: l.fontSize, color: colors(row: r, token: token, theme: theme).text, monospace: true),
                                anchor: .center)
                }
                y += l.cell.height + l.lineGap
            }
            y += theme.gap
        }
        // The colorbar follows the longest line, so a short text keeps its scale close.
        let textRight = body.minX + Double(l.grid.lines.map(\.count).max() ?? 0) * l.cell.width
        let top = body.minY + l.nameHeight
        try Colorbar(scale: colorScale, label: valueLabel).draw(on: canvas, in: Rect(
            x: textRight + 2 * theme.gap, y: top, width: Colorbar.width(theme: theme) - theme.gap,
            height: max(y - theme.gap - l.lineGap - top, Self.minimumColorbar)))
    }
}
