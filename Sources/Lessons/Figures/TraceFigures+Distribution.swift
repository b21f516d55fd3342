import Render
import Trace
import NeuralNet

extension TraceFigures {
    /// Per-step histograms of one tensor, re-binned onto one shared value range.
    /// Each step's statistics hold 32 bins over that step's [min, max]; every bin's
    /// count goes to the shared bin containing its centre. At most ~400 steps are
    /// shown (evenly strided), so long runs stay readable.
    func distribution(of name: String, kind: TensorKind, label: String) throws -> Figure {
        let series = try reader.statistics(of: name, kind: kind).filter { $0.statistics.count > 0 }
        guard !series.isEmpty else { throw FigureUnavailable("the trace has no statistics of \(kind.rawValue) \(name)") }
        let stride = max(1, series.count / 400)
        let shown = Swift.stride(from: 0, to: series.count, by: stride).map { series[$0] }
        let lower = shown.map(\.statistics.min).min()!, upper = shown.map(\.statistics.max).max()!
        let bins = 48
        let width = max(upper - lower, 1e-12)
        let counts: [[Double]] = shown.map { entry in
            var row = [Double](repeating: 0, count: bins)
            let s = entry.statistics
            let binWidth = (s.max - s.min) / Double(s.histogram.count)
            for (j, c) in s.histogram.enumerated() where c > 0 {
                let centre = s.min + (Double(j) + 0.5) * binWidth
                row[min(bins - 1, max(0, Int((centre - lower) / width * Double(bins))))] += Double(c)
            }
            return row
        }
        return try DistributionOverTime(title: "\(name): distribution of \(label) over training", valueLabel: label,
                                        steps: shown.map { Double($0.step) }, lower: lower, upper: upper, counts: counts)
    }
}
