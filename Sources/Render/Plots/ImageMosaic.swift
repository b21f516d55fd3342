/// Pictures of one kind in a fixed number of columns, edge to edge but for a thin gap,
/// each with an optional caption under it: a GAN's samples for a fixed noise batch, or
/// samples above their nearest training images. Values in 0...1 are drawn as they are
/// (white = 1), so mosaics of one series share their grey scale.
/// Input: `images`, each `[h, w]`, `[h, w, 1]` or `[h, w, 3]`, all of one shape;
/// `captions` empty or one per image.
public struct ImageMosaic: Figure {
    public let title: String
    public let subtitle: String?
    public let images: [FloatArray]
    public let captions: [String]
    public let columns: Int

    public init(title: String, subtitle: String? = nil, images: [FloatArray], captions: [String] = [],
                columns: Int) throws {
        let figure = "image mosaic '\(title)'"
        guard let first = images.first else { throw RenderError.emptyData(figure: figure, what: "the list of images") }
        for (i, image) in images.enumerated() {
            try validatePicture(image, figure: figure, what: "image \(i)")
            guard image.shape == first.shape else {
                throw RenderError.badShape(figure: figure, what: "image \(i)", shape: image.shape,
                                           expected: "the first image's shape \(first.shape)")
            }
        }
        guard captions.isEmpty || captions.count == images.count else {
            throw RenderError.countMismatch(figure: figure, what: "captions", expected: images.count, got: captions.count)
        }
        self.title = title
        self.subtitle = subtitle
        self.images = images
        self.captions = captions
        self.columns = max(1, min(columns, images.count))
    }

    private var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    private func grid(_ width: Double, _ theme: Theme) -> TileGrid {
        let s = images[0].shape
        let gap = captions.isEmpty ? 2.0 : 8.0
        return TileGrid(count: images.count, aspect: Double(s[1]) / Double(s[0]), width: width - 2 * theme.margin,
                        preferredTileWidth: 1, gap: gap, captionHeight: captions.isEmpty ? 0 : theme.smallSize * 1.6,
                        columns: columns)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        header.height(width: width - 2 * theme.margin, theme: theme) + grid(width, theme).size.height + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let g = grid(frame.width, theme)
        for (i, image) in images.enumerated() {
            let tile = g.rect(i, origin: Point(body.minX, body.minY))
            try canvas.drawPicture(image, in: tile)
            if !captions.isEmpty {
                canvas.text(captions[i], at: Point(tile.center.x, tile.maxY + 2),
                            TextStyle(size: theme.smallSize, color: theme.ink), anchor: .top)
            }
        }
    }
}
