/// Counts of (true class, predicted class) pairs: rows are the true class, columns the
/// prediction, each cell printed with its count; the diagonal holds the correct answers.
/// The subtitle gives the accuracy. Input: a square `counts[true][predicted]` and one
/// name per class.
public struct ConfusionMatrix: Figure {
    public let counts: [[Int]]
    public let classNames: [String]
    /// Correct predictions over all predictions.
    public let accuracy: Double
    private let heatmap: Heatmap

    public init(title: String, counts: [[Int]], classNames: [String], theme: Theme = .standard) throws {
        let figure = "confusion matrix '\(title)'"
        guard !counts.isEmpty else { throw RenderError.emptyData(figure: figure, what: "counts") }
        guard counts.allSatisfy({ $0.count == counts.count }) else {
            throw RenderError.badShape(figure: figure, what: "counts", shape: [counts.count, counts.map(\.count).max() ?? 0],
                                       expected: "a square [classes, classes] table")
        }
        guard classNames.count == counts.count else {
            throw RenderError.countMismatch(figure: figure, what: "class names", expected: counts.count, got: classNames.count)
        }
        self.counts = counts
        self.classNames = classNames
        let total = counts.joined().reduce(0, +)
        let correct = counts.indices.map { counts[$0][$0] }.reduce(0, +)
        accuracy = total > 0 ? Double(correct) / Double(total) : 0
        let subtitle = "rows: true class, columns: predicted; accuracy \(Ticks.fixed(accuracy * 100, decimals: 1)) % "
            + "(\(correct) of \(total))"
        heatmap = try Heatmap(title: title, subtitle: subtitle,
                              values: FloatArray(rows: counts.map { $0.map(Float.init) }),
                              rowLabels: classNames, columnLabels: classNames, xLabel: "predicted class",
                              yLabel: "true class", valueLabel: "count", signed: false, showValues: true, theme: theme)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double { heatmap.height(forWidth: width, theme: theme) }

    public func draw(on canvas: Canvas, in frame: Rect) throws { try heatmap.draw(on: canvas, in: frame) }
}
