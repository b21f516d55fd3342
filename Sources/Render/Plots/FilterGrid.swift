/// Convolution kernels as small images on one shared, symmetric diverging scale (white = 0,
/// red > 0, blue < 0), with a colorbar. A first layer (`inChannels == 1`) shows one tile per
/// filter; deeper layers show a row per output filter and a column per input channel.
/// Input: `weights` of shape `[kernelHeight, kernelWidth, inChannels, outChannels]` (the
/// engine's Keras layout). Large layers show the first `maxOutputs` filters (default 64 for
/// a first layer, 16 for deeper ones) and `maxInputs` input channels; the subtitle says so,
/// and the scale is still over all weights.
public struct FilterGrid: Figure {
    public let title: String
    public let weights: FloatArray
    public let maxOutputs: Int
    public let maxInputs: Int
    /// The symmetric scale `[-m, m]`, `m = max |w|` (over all weights).
    public let colorScale: ColorScale

    public init(title: String, weights: FloatArray, maxOutputs: Int? = nil, maxInputs: Int = 8,
                scale: ColorScale? = nil, theme: Theme = .standard) throws {
        let s = weights.shape
        guard s.count == 4, s.allSatisfy({ $0 > 0 }) else {
            throw RenderError.badShape(figure: "filter grid '\(title)'", what: "weights", shape: s,
                                       expected: "[kernelHeight, kernelWidth, inChannels, outChannels], all > 0")
        }
        guard weights.values.hasFiniteValue else {
            throw RenderError.noFiniteValues(figure: "filter grid '\(title)'", what: "weights")
        }
        self.title = title
        self.weights = weights
        self.maxOutputs = max(1, maxOutputs ?? (s[2] == 1 ? 64 : 16))
        self.maxInputs = max(1, maxInputs)
        colorScale = scale ?? .symmetric(weights.values, theme: theme)
    }

    var kernel: (h: Int, w: Int) { (weights.shape[0], weights.shape[1]) }
    var inputs: Int { weights.shape[2] }
    var outputs: Int { weights.shape[3] }
    var shownOutputs: Int { min(outputs, maxOutputs) }
    var shownInputs: Int { min(inputs, maxInputs) }

    var subtitle: String {
        var text = "\(outputs) filters of \(kernel.h)×\(kernel.w)"
        text += inputs == 1 ? "" : " × \(inputs) input channels (row = filter, column = input channel)"
        if shownOutputs < outputs || shownInputs < inputs {
            text += "; showing \(shownOutputs) × \(shownInputs)"
        }
        return text
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let header = FigureHeader(title: title, subtitle: subtitle)
        let tiles = tilesSize(width: contentWidth(width, theme), theme: theme).height
        return header.height(theme: theme) + max(tiles, Self.minimumColorbarHeight) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let (tiles, _) = body.sliceRight(Colorbar.width(theme: theme))
        let used = try drawTiles(on: canvas, in: tiles)
        try Colorbar(scale: colorScale, label: "weight").draw(on: canvas, in: Self.colorbarRect(besides: used, theme: theme))
    }

    static let minimumColorbarHeight = 110.0

    /// The colorbar strip just right of the tiles, as tall as they are (within limits).
    static func colorbarRect(besides tiles: Rect, theme: Theme) -> Rect {
        Rect(x: tiles.maxX + 2 * theme.gap, y: tiles.minY, width: Colorbar.width(theme: theme) - theme.gap,
             height: max(min(tiles.height, 320), minimumColorbarHeight))
    }

    func contentWidth(_ width: Double, _ theme: Theme) -> Double {
        width - 2 * theme.margin - Colorbar.width(theme: theme)
    }

    // MARK: Tiles (shared with FilterComparison)

    private func rowLabelWidth(_ theme: Theme) -> Double { inputs == 1 ? 0 : theme.smallSize * 4 }
    private func headerHeight(_ theme: Theme) -> Double { theme.smallSize * 1.6 }

    func grid(width: Double, theme: Theme) -> TileGrid {
        let aspect = Double(kernel.w) / Double(kernel.h)
        if inputs == 1 {
            return TileGrid(count: shownOutputs, aspect: aspect, width: width, preferredTileWidth: 52,
                            maxTileWidth: 72, gap: 6, captionHeight: theme.smallSize * 1.4)
        }
        return TileGrid(count: shownOutputs * shownInputs, aspect: aspect, width: width - rowLabelWidth(theme),
                        preferredTileWidth: 40, maxTileWidth: 56, gap: 3, columns: shownInputs)
    }

    func tilesSize(width: Double, theme: Theme) -> Size {
        let g = grid(width: width, theme: theme)
        return inputs == 1 ? g.size : Size(g.size.width + rowLabelWidth(theme), g.size.height + headerHeight(theme))
    }

    /// Draws the kernel tiles at the top-left of `rect`; returns the area used.
    @discardableResult
    func drawTiles(on canvas: Canvas, in rect: Rect) throws -> Rect {
        let theme = canvas.theme, g = grid(width: rect.width, theme: theme)
        if inputs == 1 {
            for o in 0..<shownOutputs {
                let tile = g.rect(o, origin: Point(rect.minX, rect.minY))
                try canvas.drawValues(weights.kernel(input: 0, output: o), width: kernel.w, height: kernel.h,
                                      scale: colorScale, in: tile)
                canvas.text("\(o)", at: Point(tile.center.x, tile.maxY + 1), theme.smallStyle, anchor: .top)
            }
            return Rect(x: rect.minX, y: rect.minY, width: g.size.width, height: g.size.height)
        }
        let origin = Point(rect.minX + rowLabelWidth(theme), rect.minY + headerHeight(theme))
        for i in 0..<shownInputs {
            let top = g.rect(i, origin: origin)
            canvas.text("in \(i)", at: Point(top.center.x, rect.minY), theme.smallStyle, anchor: .top)
        }
        for o in 0..<shownOutputs {
            for i in 0..<shownInputs {
                let tile = g.rect(o * shownInputs + i, origin: origin)
                try canvas.drawValues(weights.kernel(input: i, output: o), width: kernel.w, height: kernel.h,
                                      scale: colorScale, in: tile)
                if i == 0 { canvas.text("\(o)", at: Point(tile.minX - 5, tile.center.y), theme.smallStyle, anchor: .right) }
            }
        }
        let size = tilesSize(width: rect.width, theme: theme)
        return Rect(x: rect.minX, y: rect.minY, width: size.width, height: size.height)
    }
}
