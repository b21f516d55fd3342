/// The same layer's kernels before and after training, side by side on one shared
/// symmetric scale (so a brighter tile after training really is a larger weight).
/// Input: two weights of the same shape `[kh, kw, inChannels, outChannels]`.
public struct FilterComparison: Figure {
    public let title: String
    public let before: FilterGrid
    public let after: FilterGrid
    /// `[-m, m]` with `m` the largest |w| of both weight sets.
    public let colorScale: ColorScale

    public init(title: String, before: FloatArray, after: FloatArray, beforeLabel: String = "before training",
                afterLabel: String = "after training", maxOutputs: Int? = nil, maxInputs: Int = 4,
                theme: Theme = .standard) throws {
        guard before.shape == after.shape else {
            throw RenderError.badShape(figure: "filter comparison '\(title)'", what: "after-training weights",
                                       shape: after.shape, expected: "the before-training shape \(before.shape)")
        }
        let scale = ColorScale.symmetric(before.values + after.values, theme: theme)
        self.title = title
        self.before = try FilterGrid(title: beforeLabel, weights: before, maxOutputs: maxOutputs, maxInputs: maxInputs,
                                     scale: scale, theme: theme)
        self.after = try FilterGrid(title: afterLabel, weights: after, maxOutputs: maxOutputs, maxInputs: maxInputs,
                                    scale: scale, theme: theme)
        colorScale = scale
    }

    private func panelWidth(_ width: Double, _ theme: Theme) -> Double {
        (before.contentWidth(width, theme) - 2 * theme.gap) / 2
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let tiles = before.tilesSize(width: panelWidth(width, theme), theme: theme).height
        return FigureHeader(title: title, subtitle: before.subtitle).height(width: width - 2 * theme.margin, theme: theme)
            + theme.labelSize * 1.8 + max(tiles, FilterGrid.minimumColorbarHeight) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: before.subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let w = panelWidth(frame.width, theme)
        var used = Rect(x: body.minX, y: body.minY, width: 0, height: 0)
        for (k, grid) in [before, after].enumerated() {
            let x = body.minX + Double(k) * (w + 2 * theme.gap)
            canvas.text(grid.title, at: Point(x, body.minY), TextStyle(size: theme.labelSize, bold: true, color: theme.ink))
            let tiles = Rect(x: x, y: body.minY + theme.labelSize * 1.8, width: w, height: body.height)
            used = try grid.drawTiles(on: canvas, in: tiles)
        }
        let separator = body.minX + w + theme.gap
        canvas.line(from: Point(separator, body.minY), to: Point(separator, used.maxY), theme.gridLine, width: 1)
        try Colorbar(scale: colorScale, label: "weight").draw(on: canvas, in: FilterGrid.colorbarRect(besides: used, theme: theme))
    }
}
