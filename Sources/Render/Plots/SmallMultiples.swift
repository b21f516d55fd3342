/// Several figures of the same kind side by side in a grid under one title —
/// small multiples (Tufte): a decision boundary at five training steps, one loss
/// surface per optimizer, a baseline beside its regularised twin. Each panel is
/// laid out at `panelDesignWidth` points, as if alone, and scaled into its cell,
/// so its text stays in proportion however many columns there are.
public struct SmallMultiples: Figure {
    public let title: String
    public let subtitle: String?
    public let panels: [Figure]
    public let columns: Int
    public let panelDesignWidth: Double

    public init(title: String, subtitle: String? = nil, panels: [Figure], columns: Int? = nil,
                panelDesignWidth: Double = 420) throws {
        guard !panels.isEmpty else { throw RenderError.emptyData(figure: "small multiples '\(title)'", what: "the panels") }
        self.title = title
        self.subtitle = subtitle
        self.panels = panels
        self.columns = max(1, min(columns ?? min(panels.count, 3), panels.count))
        self.panelDesignWidth = panelDesignWidth
    }

    var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }
    var rows: Int { (panels.count + columns - 1) / columns }

    /// Cell width, and each row's height (its tallest panel), for a frame `width` wide.
    func layout(width: Double, theme: Theme) -> (cell: Double, rowHeights: [Double]) {
        let cell = (width - 2 * theme.margin - theme.gap * Double(columns - 1)) / Double(columns)
        let scale = cell / panelDesignWidth
        let heights = (0..<rows).map { r in
            panels[(r * columns)..<min(panels.count, (r + 1) * columns)]
                .map { $0.height(forWidth: panelDesignWidth, theme: theme) * scale }.max()!
        }
        return (cell, heights)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let (_, heights) = layout(width: width, theme: theme)
        return (2 * theme.margin + header.height(theme: theme) + heights.reduce(0, +)
                + theme.gap * Double(rows - 1)).rounded()
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let (cell, heights) = layout(width: frame.width, theme: theme)
        var y = body.minY
        for r in 0..<rows {
            for c in 0..<columns where r * columns + c < panels.count {
                let x = body.minX + Double(c) * (cell + theme.gap)
                try panels[r * columns + c].draw(on: canvas, at: Point(x, y), width: cell, designWidth: panelDesignWidth)
            }
            y += heights[r] + theme.gap
        }
    }
}
