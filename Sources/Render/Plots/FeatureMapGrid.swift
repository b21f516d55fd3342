/// What a network computed for one probe image: the input on the left, and for each layer
/// every channel as a tile, labelled with the layer name and shape, one colour scale and
/// colorbar per layer. The same layout shows gradients with respect to activations.
/// Input: `input` `[h, w]`, `[h, w, 1]` or `[h, w, 3]`; each layer's `values` `[h, w, channels]`
/// (NHWC without the batch). Channels run left to right, top to bottom.
public struct FeatureMapGrid: Figure {
    /// What the tiles hold, which decides the colormap.
    public enum Kind: Sendable {
        /// Activations: viridis over `[0, max]` when no value is negative (after ReLU or
        /// pooling), otherwise the diverging map on `[-m, m]`.
        case activations
        /// Gradients ∂L/∂a: always diverging and symmetric, zero is white.
        case gradients
    }

    /// One layer's output (or gradient) for the probe image.
    public struct Layer: Sendable {
        public var name: String
        public var values: FloatArray
        public init(name: String, values: FloatArray) { self.name = name; self.values = values }
    }

    public let title: String
    public let input: FloatArray
    public let layers: [Layer]
    public let kind: Kind
    /// Per layer, the colour scale its tiles and colorbar use.
    public let colorScales: [ColorScale]

    public init(title: String, input: FloatArray, layers: [Layer], kind: Kind = .activations,
                theme: Theme = .standard) throws {
        let figure = "feature maps '\(title)'"
        try validatePicture(input, figure: figure, what: "input image")
        guard !layers.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of layers") }
        for layer in layers {
            let s = layer.values.shape
            guard s.count == 3, s.allSatisfy({ $0 > 0 }) else {
                throw RenderError.badShape(figure: figure, what: "layer '\(layer.name)'", shape: s,
                                           expected: "[height, width, channels], all > 0")
            }
            guard layer.values.values.hasFiniteValue else {
                throw RenderError.noFiniteValues(figure: figure, what: "layer '\(layer.name)'")
            }
        }
        self.title = title
        self.input = input
        self.layers = layers
        self.kind = kind
        colorScales = layers.map { layer in
            let signed = kind == .gradients || (layer.values.values.finiteRange?.0 ?? 0) < 0
            return signed ? .symmetric(layer.values.values, theme: theme) : .sequential(layer.values.values, theme: theme, fromZero: true)
        }
    }

    private var subtitle: String {
        let what = kind == .activations ? "every channel of each layer" : "∂L/∂(activation) for every channel"
        return "\(what) for one input; one colour scale per layer"
    }

    private func inputWidth(_ width: Double) -> Double { min(150, width * 0.18) }

    private func tilesWidth(_ width: Double, _ theme: Theme) -> Double {
        width - 2 * theme.margin - inputWidth(width) - 2 * theme.gap - Colorbar.width(theme: theme) - theme.gap
    }

    private func grid(_ layer: Layer, width: Double, theme: Theme) -> TileGrid {
        let s = layer.values.shape
        return TileGrid(count: s[2], aspect: Double(s[1]) / Double(s[0]), width: tilesWidth(width, theme),
                        preferredTileWidth: 52, maxTileWidth: 96, gap: 4)
    }

    private static let minimumBlockHeight = 90.0

    private func blockHeight(_ layer: Layer, width: Double, theme: Theme) -> Double {
        theme.labelSize * 1.7 + max(grid(layer, width: width, theme: theme).size.height, Self.minimumBlockHeight)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let blocks = layers.map { blockHeight($0, width: width, theme: theme) }.reduce(0, +)
            + Double(layers.count - 1) * 1.5 * theme.gap
        let inputHeight = theme.labelSize * 1.7 + inputWidth(width) * Double(input.shape[0]) / Double(input.shape[1])
        return FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme) + max(blocks, inputHeight) + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let side = inputWidth(frame.width)
        let bold = TextStyle(size: theme.labelSize, bold: true, color: theme.ink)
        canvas.text("input", at: Point(body.minX, body.minY), bold)
        canvas.text(input.shapeText, at: Point(body.minX + canvas.measure("input ", bold).width, body.minY + 1), theme.smallStyle)
        try canvas.drawPicture(input, in: Rect(x: body.minX, y: body.minY + theme.labelSize * 1.7, width: side,
                                               height: side * Double(input.shape[0]) / Double(input.shape[1])))
        var y = body.minY
        let left = body.minX + side + 2 * theme.gap
        for (layer, scale) in zip(layers, colorScales) {
            canvas.text(layer.name, at: Point(left, y), bold)
            canvas.text(layer.values.shapeText, at: Point(left + canvas.measure(layer.name + " ", bold).width, y + 1),
                        theme.smallStyle)
            let g = grid(layer, width: frame.width, theme: theme), top = y + theme.labelSize * 1.7
            let (h, w) = (layer.values.shape[0], layer.values.shape[1])
            for c in 0..<layer.values.shape[2] {
                try canvas.drawValues(layer.values.channel(c), width: w, height: h, scale: scale,
                                      in: g.rect(c, origin: Point(left, top)))
            }
            let bar = Rect(x: left + g.size.width + 2 * theme.gap, y: top, width: Colorbar.width(theme: theme) - theme.gap,
                           height: max(min(g.size.height, 220), Self.minimumBlockHeight))
            try Colorbar(scale: scale, label: kind == .activations ? "activation" : "gradient").draw(on: canvas, in: bar)
            y += blockHeight(layer, width: frame.width, theme: theme) + 1.5 * theme.gap
        }
    }
}
