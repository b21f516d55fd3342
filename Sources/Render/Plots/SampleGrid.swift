/// Example images with their true and predicted labels; wrong predictions get a thick
/// vermillion frame and a caption in that colour, so mistakes stand out in a class.
/// Input: each sample's image (`[h, w]`, `[h, w, 1]` or `[h, w, 3]`), its true class, and
/// optionally the predicted class and its probability; classes index `classNames`.
/// A caption line wider than its tile (long class names, small tiles) wraps at spaces,
/// and every tile's caption area is as tall as the longest caption.
public struct SampleGrid: Figure {
    public struct Sample: Sendable {
        public var image: FloatArray
        public var trueClass: Int
        public var predictedClass: Int?
        public var confidence: Double?
        public init(image: FloatArray, trueClass: Int, predictedClass: Int? = nil, confidence: Double? = nil) {
            self.image = image; self.trueClass = trueClass; self.predictedClass = predictedClass; self.confidence = confidence
        }
        public var isMistake: Bool { predictedClass.map { $0 != trueClass } ?? false }
    }

    public let title: String
    public let samples: [Sample]
    public let classNames: [String]

    public init(title: String, samples: [Sample], classNames: [String]) throws {
        let figure = "sample grid '\(title)'"
        guard !samples.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of samples") }
        for (i, sample) in samples.enumerated() {
            try validatePicture(sample.image, figure: figure, what: "image \(i)")
            for c in [sample.trueClass] + (sample.predictedClass.map { [$0] } ?? []) where c < 0 || c >= classNames.count {
                throw RenderError.countMismatch(figure: figure, what: "class names (sample \(i) has class \(c))",
                                                expected: c + 1, got: classNames.count)
            }
        }
        self.title = title; self.samples = samples; self.classNames = classNames
    }

    private var subtitle: String? {
        guard samples.contains(where: { $0.predictedClass != nil }) else { return nil }
        let wrong = samples.filter(\.isMistake).count
        return "\(wrong) of \(samples.count) predicted wrongly (framed in vermillion)"
    }

    private func grid(_ width: Double, _ theme: Theme, captionLines: Int = 2) -> TileGrid {
        let s = samples[0].image.shape
        return TileGrid(count: samples.count, aspect: Double(s[1]) / Double(s[0]), width: width - 2 * theme.margin,
                        preferredTileWidth: 84, maxTileWidth: 120, gap: 10,
                        captionHeight: theme.smallSize * (1.3 * Double(captionLines) + 0.3))
    }

    /// The prediction line of a mistake is bold, every line of a mistake in its colour.
    private func captionStyle(_ sample: Sample, prediction: Bool, _ theme: Theme) -> TextStyle {
        TextStyle(size: theme.smallSize, bold: sample.isMistake && prediction, color: sample.isMistake ? theme.mistake : theme.ink)
    }

    /// Each sample's caption lines ("pred: …" first when predicted, then "true: …"), each
    /// wrapped to the tile's width plus most of the gap, so neighbours keep a few points
    /// apart; `prediction` marks the lines of the "pred:" label.
    private func captions(_ tileWidth: Double, _ theme: Theme) -> [[(text: String, prediction: Bool)]] {
        samples.map { sample in
            var labels = [(text: "true: \(classNames[sample.trueClass])", prediction: false)]
            if let p = sample.predictedClass {
                let confidence = sample.confidence.map { " (\(Ticks.compact($0, digits: 2)))" } ?? ""
                labels.insert((text: "pred: \(classNames[p])" + confidence, prediction: true), at: 0)
            }
            return labels.flatMap { label in
                WordWrap.lines(label.text, width: tileWidth + 6, style: captionStyle(sample, prediction: label.prediction, theme), theme: theme)
                    .map { (text: $0, prediction: label.prediction) }
            }
        }
    }

    /// The grid with its caption area sized for the longest wrapped caption.
    private func layout(_ width: Double, _ theme: Theme) -> (grid: TileGrid, captions: [[(text: String, prediction: Bool)]]) {
        let captions = captions(grid(width, theme).tileSize.width, theme)
        return (grid(width, theme, captionLines: captions.map(\.count).max() ?? 2), captions)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme)
            + layout(width, theme).grid.size.height + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let (g, captions) = layout(frame.width, theme)
        for (i, sample) in samples.enumerated() {
            let tile = g.rect(i, origin: Point(body.minX, body.minY))
            try canvas.drawPicture(sample.image, in: tile)
            if sample.isMistake { canvas.stroke(tile.inset(by: -1.5), theme.mistake, width: 3) }
            for (k, line) in captions[i].enumerated() {
                canvas.text(line.text, at: Point(tile.center.x, tile.maxY + 3 + Double(k) * theme.smallSize * 1.3),
                            captionStyle(sample, prediction: line.prediction, theme), anchor: .top)
            }
        }
    }
}
