/// Example images with their true and predicted labels; wrong predictions get a thick
/// vermillion frame and a caption in that colour, so mistakes stand out in a class.
/// Input: each sample's image (`[h, w]`, `[h, w, 1]` or `[h, w, 3]`), its true class, and
/// optionally the predicted class and its probability; classes index `classNames`.
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
        return "\(wrong) of \(samples.count) predicted wrongly (framed in red)"
    }

    private func grid(_ width: Double, _ theme: Theme) -> TileGrid {
        let s = samples[0].image.shape
        return TileGrid(count: samples.count, aspect: Double(s[1]) / Double(s[0]), width: width - 2 * theme.margin,
                        preferredTileWidth: 84, maxTileWidth: 120, gap: 10, captionHeight: theme.smallSize * 2.9)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        FigureHeader(title: title, subtitle: subtitle).height(width: width - 2 * theme.margin, theme: theme) + grid(width, theme).size.height + 2 * theme.margin
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = FigureHeader(title: title, subtitle: subtitle).draw(on: canvas, in: frame.inset(by: theme.margin))
        let g = grid(frame.width, theme)
        for (i, sample) in samples.enumerated() {
            let tile = g.rect(i, origin: Point(body.minX, body.minY))
            try canvas.drawPicture(sample.image, in: tile)
            let color = sample.isMistake ? theme.mistake : theme.ink
            if sample.isMistake { canvas.stroke(tile.inset(by: -1.5), theme.mistake, width: 3) }
            var lines = ["true: \(classNames[sample.trueClass])"]
            if let p = sample.predictedClass {
                lines.insert("pred: \(classNames[p])" + (sample.confidence.map { " (\(Ticks.compact($0, digits: 2)))" } ?? ""), at: 0)
            }
            for (k, line) in lines.enumerated() {
                canvas.text(line, at: Point(tile.center.x, tile.maxY + 3 + Double(k) * theme.smallSize * 1.3),
                            TextStyle(size: theme.smallSize, bold: sample.isMistake && k == 0, color: color), anchor: .top)
            }
        }
    }
}
