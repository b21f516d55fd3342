/// Convolution kernels as small images on one shared, symmetric diverging scale (white = 0,
/// red > 0, blue < 0), with a colorbar. A first layer (`inChannels == 1`) shows one tile per
/// filter; deeper layers show a row per output filter and a column per input channel.
/// A first layer on colour pictures (`colourInput`, `inChannels == 3`) shows each filter
/// as one RGB picture instead: channel c of a pixel is `½ + ½ · w_c / m` on the shared
/// scale `[-m, m]`, so grey is 0 in every channel, a filter that weighs R, G and B alike
/// is a grey pattern (it reads brightness), and a coloured pixel shows which colour it
/// adds (or, by its opposite hue, subtracts); a key of three thin ramps gives each channel's map.
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
    /// The layer reads a colour picture: its three input channels are drawn as one RGB tile.
    public let colourInput: Bool

    public init(title: String, weights: FloatArray, maxOutputs: Int? = nil, maxInputs: Int = 8,
                scale: ColorScale? = nil, colourInput: Bool = false, theme: Theme = .standard) throws {
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
        self.colourInput = colourInput && s[2] == 3
        self.maxOutputs = max(1, maxOutputs ?? (s[2] == 1 || self.colourInput ? 64 : 16))
        self.maxInputs = max(1, maxInputs)
        colorScale = scale ?? .symmetric(weights.values, theme: theme)
    }

    var kernel: (h: Int, w: Int) { (weights.shape[0], weights.shape[1]) }
    var inputs: Int { weights.shape[2] }
    var outputs: Int { weights.shape[3] }
    var shownOutputs: Int { min(outputs, maxOutputs) }
    var shownInputs: Int { colourInput ? inputs : min(inputs, maxInputs) }
    /// One tile per filter: a grey or a colour first layer.
    var oneTilePerFilter: Bool { inputs == 1 || colourInput }

    var subtitle: String {
        var text = "\(outputs) filters of \(kernel.h)×\(kernel.w)"
        if colourInput {
            text += " × RGB, in colour (grey = 0)"
        } else {
            text += inputs == 1 ? "" : " × \(inputs) input channels (row = filter, column = input channel)"
        }
        if shownOutputs < outputs || shownInputs < inputs {
            text += "; showing \(shownOutputs) × \(shownInputs)"
        }
        return text
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let header = FigureHeader(title: title, subtitle: subtitle)
        let tiles = tilesSize(width: contentWidth(width, theme), theme: theme).height
        return header.height(width: width - 2 * theme.margin, theme: theme) + max(tiles, Self.minimumColorbarHeight) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let (tiles, _) = body.sliceRight(colorbarsWidth(theme))
        let used = try drawTiles(on: canvas, in: tiles)
        try drawColorbars(on: canvas, besides: used)
    }

    /// The weight colorbar, or for a colour layer the channel key, right of `tiles`.
    func drawColorbars(on canvas: Canvas, besides tiles: Rect) throws {
        let rect = Self.colorbarRect(besides: tiles, theme: canvas.theme)
        guard colourInput else { return try Colorbar(scale: colorScale, label: "weight").draw(on: canvas, in: rect) }
        try drawChannelKey(on: canvas, in: rect)
    }

    /// Three thin ramps side by side, R, G and B, each from −m (its opposite hue) through
    /// grey (0) to +m (its colour), sharing the ticks −m, 0, m on the right.
    func drawChannelKey(on canvas: Canvas, in rect: Rect) throws {
        let theme = canvas.theme, letter = theme.smallSize * 1.5
        let steps = 128, barWidth = 10.0, gap = 3.0
        let height = rect.height - letter
        for (c, name) in ["R", "G", "B"].enumerated() {
            let bar = Rect(x: rect.minX + Double(c) * (barWidth + gap), y: rect.minY, width: barWidth, height: height)
            let map = channelScale(c).colormap
            try canvas.image((0..<steps).map { map.color(at: 1 - (Double($0) + 0.5) / Double(steps)) }, width: 1, height: steps, in: bar)
            canvas.stroke(bar, theme.ink, width: theme.thinLineWidth)
            canvas.text(name, at: Point(bar.center.x, bar.maxY + 2), theme.smallStyle, anchor: .top)
        }
        let right = rect.minX + 3 * barWidth + 2 * gap, m = colorScale.upper
        for (value, y) in [(m, rect.minY), (0, rect.minY + height / 2), (-m, rect.minY + height)] {
            canvas.line(from: Point(right, y), to: Point(right + 3, y), theme.ink, width: theme.thinLineWidth)
            canvas.text(Ticks.compact(value), at: Point(right + 5, y), theme.tickStyle, anchor: .left)
        }
        canvas.text("weight", at: Point(right + 5 + theme.tickSize * 4.6 + theme.labelSize, rect.minY + height / 2),
                    theme.labelStyle, anchor: .bottom, angle: -Double.pi / 2)
    }

    /// Room for the colorbar, or for a colour layer's wider channel key.
    func colorbarsWidth(_ theme: Theme) -> Double { Colorbar.width(theme: theme) + (colourInput ? 3 * 10 : 0) }

    /// Channel `c`'s weight on the shared range `[-m, m]`: that channel from 0 to full,
    /// the other two at ½, so −m is the opposite hue, 0 grey, +m the channel's own colour.
    func channelScale(_ c: Int) -> ColorScale {
        func colour(_ v: Double) -> (Double, Double, Double) {
            (c == 0 ? v : 0.5, c == 1 ? v : 0.5, c == 2 ? v : 0.5)
        }
        return ColorScale(colormap: Colormap(name: "channel \(c)", stops: [colour(0), colour(0.5), colour(1)]),
                          lower: colorScale.lower, upper: colorScale.upper, missing: colorScale.missing)
    }

    /// Filter `o` of a colour layer as RGB pixels: channel c is `½ + ½ · w_c / m`, clamped.
    func colourKernel(output o: Int) -> [Color] {
        let m = colorScale.upper
        let planes = (0..<3).map { weights.kernel(input: $0, output: o) }
        func unit(_ w: Float) -> Double { w.isFinite ? min(max(0.5 + 0.5 * Double(w) / m, 0), 1) : 0.5 }
        return (0..<(kernel.h * kernel.w)).map { i in
            Color(red: unit(planes[0][i]), green: unit(planes[1][i]), blue: unit(planes[2][i]))
        }
    }

    static let minimumColorbarHeight = 110.0

    /// The colorbar strip just right of the tiles, as tall as they are (within limits).
    static func colorbarRect(besides tiles: Rect, theme: Theme) -> Rect {
        Rect(x: tiles.maxX + 2 * theme.gap, y: tiles.minY, width: Colorbar.width(theme: theme) - theme.gap,
             height: max(min(tiles.height, 320), minimumColorbarHeight))
    }

    func contentWidth(_ width: Double, _ theme: Theme) -> Double {
        width - 2 * theme.margin - colorbarsWidth(theme)
    }

    // MARK: Tiles (shared with FilterComparison)

    private func rowLabelWidth(_ theme: Theme) -> Double { oneTilePerFilter ? 0 : theme.smallSize * 4 }
    private func headerHeight(_ theme: Theme) -> Double { theme.smallSize * 1.6 }

    func grid(width: Double, theme: Theme) -> TileGrid {
        let aspect = Double(kernel.w) / Double(kernel.h)
        if oneTilePerFilter {
            return TileGrid(count: shownOutputs, aspect: aspect, width: width, preferredTileWidth: 52,
                            maxTileWidth: 72, gap: Self.tileGap, captionHeight: theme.smallSize * 1.4,
                            columns: Self.columns(count: shownOutputs, width: width, theme: theme))
        }
        return TileGrid(count: shownOutputs * shownInputs, aspect: aspect, width: width - rowLabelWidth(theme),
                        preferredTileWidth: 40, maxTileWidth: 56, gap: 3, columns: shownInputs)
    }

    static let tileGap = 6.0

    /// Columns of a one-tile-per-filter grid: as few rows as keep every tile wide enough
    /// for the filter number under it (`minimumTileWidth`), then balanced. A 3 × 3 filter
    /// reads at any size; its number does not, so the number sets the size. The width
    /// counts, not a preferred tile size: a panel of small multiples, laid out 420 pt
    /// wide with text enlarged to print at the figure's size, has room for 4 tiles of a
    /// preferred size but 8 of its numbers' width, and 32 filters as 4 rows of 8 take
    /// half the height of 8 rows of 4.
    static func columns(count: Int, width: Double, theme: Theme) -> Int {
        let minimum = minimumTileWidth(count: count, theme: theme)
        for rows in 1...max(count, 1) {
            let columns = (count + rows - 1) / rows
            let tile = (width - tileGap * Double(columns - 1)) / Double(columns)
            if tile >= minimum { return columns }
        }
        return 1
    }

    /// The widest filter number (DejaVu digits are 0.636 em) with 4 pt between
    /// neighbours, less the gap it may reach into; 20 pt at least, so nine pixels show.
    static func minimumTileWidth(count: Int, theme: Theme) -> Double {
        let digits = Double(String(max(count - 1, 0)).count)
        return max(20, digits * 0.636 * theme.smallSize + 4 - tileGap)
    }

    func tilesSize(width: Double, theme: Theme) -> Size {
        let g = grid(width: width, theme: theme)
        return oneTilePerFilter ? g.size : Size(g.size.width + rowLabelWidth(theme), g.size.height + headerHeight(theme))
    }

    /// Draws the kernel tiles at the top-left of `rect`; returns the area used.
    @discardableResult
    func drawTiles(on canvas: Canvas, in rect: Rect) throws -> Rect {
        let theme = canvas.theme, g = grid(width: rect.width, theme: theme)
        if oneTilePerFilter {
            for o in 0..<shownOutputs {
                let tile = g.rect(o, origin: Point(rect.minX, rect.minY))
                if colourInput {
                    try canvas.image(colourKernel(output: o), width: kernel.w, height: kernel.h, in: tile)
                    canvas.stroke(tile, theme.mutedInk.withAlpha(0.6), width: 0.5)
                } else {
                    try canvas.drawValues(weights.kernel(input: 0, output: o), width: kernel.w, height: kernel.h,
                                          scale: colorScale, in: tile)
                }
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
