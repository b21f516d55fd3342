/// How each true class was classified: rows are the true class, columns the prediction,
/// and each cell holds the fraction of that row's examples predicted as that column
/// (row-normalised, so every row sums to 1 and a rare class's mistakes are as visible
/// as a common one's). Colour is the fraction on a fixed 0–1 scale; each row label gives
/// the class's count of examples. The subtitle gives the accuracy. Input: a square
/// `counts[true][predicted]` and one name per class.
public struct ConfusionMatrix: Figure {
    public let counts: [[Int]]
    public let classNames: [String]
    /// Correct predictions over all predictions.
    public let accuracy: Double
    /// `fractions[t][p]`: the share of true class `t` predicted as `p`; 0 for a class with no examples.
    public let fractions: [[Double]]
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
        let rowTotals = counts.map { $0.reduce(0, +) }
        fractions = zip(counts, rowTotals).map { row, total in row.map { total > 0 ? Double($0) / Double(total) : 0 } }
        let total = rowTotals.reduce(0, +)
        let correct = counts.indices.map { counts[$0][$0] }.reduce(0, +)
        accuracy = total > 0 ? Double(correct) / Double(total) : 0
        let subtitle = "each row: the share of one true class predicted as each class (rows sum to 1); "
            + "accuracy \(Ticks.fixed(accuracy * 100, decimals: 1)) % (\(correct) of \(total))"
        heatmap = try Heatmap(title: title, subtitle: subtitle,
                              values: FloatArray(rows: fractions.map { $0.map(Float.init) }),
                              rowLabels: zip(classNames, rowTotals).map { "\($0) (\($1))" }, columnLabels: classNames,
                              xLabel: "predicted class", yLabel: "true class (examples)",
                              valueLabel: "fraction of the true class", signed: false, fixedRange: 0...1,
                              showValues: true, theme: theme)
    }

    public func height(forWidth width: Double, theme: Theme) -> Double { heatmap.height(forWidth: width, theme: theme) }

    public func draw(on canvas: Canvas, in frame: Rect) throws { try heatmap.draw(on: canvas, in: frame) }
}
