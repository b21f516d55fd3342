/// Several figures of the same kind side by side in a grid under one title —
/// small multiples (Tufte): a decision boundary at five training steps, one loss
/// surface per optimizer, a baseline beside its regularised twin. Each panel is
/// laid out at `panelDesignWidth` points, as if alone, and scaled into its cell,
/// so its text stays in proportion however many columns there are. When every panel is
/// a line chart with the same series (one line per layer in each run's panel), one
/// legend row under the title serves them all (`sharedLegend`) instead of one per panel.
/// A panel scaled down keeps its text as large as the figure's own (its theme's text
/// sizes grow by 1 / scale), so that small multiples in the handout print as legibly
/// as a full-width figure.
public struct SmallMultiples: Figure {
    public let title: String
    public let subtitle: String?
    public let panels: [Figure]
    public let columns: Int
    public let panelDesignWidth: Double
    /// The panels' common legend, drawn once under the title; nil when each panel has its own.
    public let sharedLegend: Legend?

    public init(title: String, subtitle: String? = nil, panels: [Figure], columns: Int? = nil,
                panelDesignWidth: Double = 420, theme: Theme = .standard) throws {
        guard !panels.isEmpty else { throw RenderError.emptyData(figure: "small multiples '\(title)'", what: "the panels") }
        self.title = title
        self.subtitle = subtitle
        let charts = panels.compactMap { $0 as? LineChart }
        let names = charts.map { $0.series.map(\.name) }, categories = charts.map(\.categories)
        if charts.count == panels.count, panels.count > 1, let first = names.first, first.count > 1,
           names.allSatisfy({ $0 == first }), categories.allSatisfy({ $0 == categories[0] }),
           charts.allSatisfy({ $0.colors == charts[0].colors }) {
            sharedLegend = Legend(charts[0].legendEntries(theme))
            self.panels = charts.map { chart in
                var quiet = chart
                quiet.showsLegend = false
                return quiet
            }
        } else {
            sharedLegend = nil
            self.panels = panels
        }
        self.columns = max(1, min(columns ?? min(panels.count, 3), panels.count))
        self.panelDesignWidth = panelDesignWidth
    }

    var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    /// Height of the shared legend's row(s) at `width`, with a little space under them.
    func legendHeight(width: Double, theme: Theme) -> Double {
        sharedLegend.map { $0.rowHeight(width: width - 2 * theme.margin, theme: theme) + theme.gap * 0.6 } ?? 0
    }
    var rows: Int { (panels.count + columns - 1) / columns }

    /// Cell width, and each row's height (its tallest panel), for a frame `width` wide.
    func layout(width: Double, theme: Theme) -> (cell: Double, rowHeights: [Double]) {
        let cell = (width - 2 * theme.margin - theme.gap * Double(columns - 1)) / Double(columns)
        let scale = cell / panelDesignWidth, panelTheme = Self.panelTheme(theme, scale: scale)
        let heights = (0..<rows).map { r in
            panels[(r * columns)..<min(panels.count, (r + 1) * columns)]
                .map { $0.height(forWidth: panelDesignWidth, theme: panelTheme) * scale }.max()!
        }
        return (cell, heights)
    }

    /// The theme each panel is laid out with (at `panelDesignWidth`) when the figure is
    /// `width` wide: what a caller asks a panel's layout questions with.
    public func panelTheme(forWidth width: Double, theme: Theme = .standard) -> Theme {
        Self.panelTheme(theme, scale: layout(width: width, theme: theme).cell / panelDesignWidth)
    }

    /// The theme a panel drawn at `scale` is laid out with: text enlarged by 1 / scale
    /// when the panel is shrunk, so that it prints at the figure's own text size.
    static func panelTheme(_ theme: Theme, scale: Double) -> Theme {
        scale < 1 ? theme.scalingText(by: 1 / scale) : theme
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let (_, heights) = layout(width: width, theme: theme)
        return (2 * theme.margin + header.height(width: width - 2 * theme.margin, theme: theme) + legendHeight(width: width, theme: theme) + heights.reduce(0, +)
                + theme.gap * Double(rows - 1)).rounded()
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let (cell, heights) = layout(width: frame.width, theme: theme)
        var y = body.minY
        if let sharedLegend {
            let rows = sharedLegend.rowHeight(width: body.width, theme: theme)
            sharedLegend.drawRow(on: canvas, in: Rect(x: body.minX, y: y, width: body.width, height: rows))
            y += legendHeight(width: frame.width, theme: theme)
        }
        let panelTheme = Self.panelTheme(theme, scale: cell / panelDesignWidth)
        try canvas.withTheme(panelTheme) {
            for r in 0..<rows {
                for c in 0..<columns where r * columns + c < panels.count {
                    let x = body.minX + Double(c) * (cell + theme.gap)
                    try panels[r * columns + c].draw(on: canvas, at: Point(x, y), width: cell, designWidth: panelDesignWidth)
                }
                y += heights[r] + theme.gap
            }
        }
    }
}
