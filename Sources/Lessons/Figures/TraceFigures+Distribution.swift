import Render
import Trace
import NeuralNet

extension TraceFigures {
    /// Per-step histograms of one tensor, re-binned onto one shared value range.
    /// Each step's statistics hold 32 bins over that step's [min, max]; each bin's
    /// count is spread over the shared bins it overlaps, in proportion to the
    /// overlap (assigning whole bins by their centre left empty stripes). At most
    /// ~400 steps are shown (evenly strided), so long runs stay readable.
    func distribution(of name: String, kind: TensorKind, label: String, title: String? = nil) throws -> Figure {
        let series = try reader.statistics(of: name, kind: kind).filter { $0.statistics.count > 0 }
        guard !series.isEmpty else { throw FigureUnavailable("the trace has no statistics of \(kind.rawValue) \(name)") }
        let stride = max(1, series.count / 400)
        let shown = Swift.stride(from: 0, to: series.count, by: stride).map { series[$0] }
        // The range covers mean ± 4σ of every step (within the values' extremes): a few
        // outlying gradients would otherwise stretch it until the bulk is one line at 0.
        let lower = max(shown.map(\.statistics.min).min()!, shown.map { $0.statistics.mean - 4 * $0.statistics.std }.min()!)
        let upper = min(shown.map(\.statistics.max).max()!, shown.map { $0.statistics.mean + 4 * $0.statistics.std }.max()!)
        let bins = 40
        let target = max(upper - lower, 1e-12) / Double(bins)
        let counts: [[Double]] = shown.map { entry in
            var row = [Double](repeating: 0, count: bins)
            let s = entry.statistics
            let source = (s.max - s.min) / Double(s.histogram.count)
            for (j, c) in s.histogram.enumerated() where c > 0 {
                let a = s.min + Double(j) * source, b = a + source
                guard source > 0 else {
                    if a >= lower && a <= upper { row[min(bins - 1, Int((a - lower) / target))] += Double(c) }
                    continue
                }
                // Source bins outside the range are not drawn (the subtitle says so).
                let first = max(0, Int(((a - lower) / target).rounded(.down)))
                let last = min(bins - 1, Int(((b - lower) / target).rounded(.down)))
                guard first <= last else { continue }
                for k in first...last {
                    let overlap = min(b, lower + Double(k + 1) * target) - max(a, lower + Double(k) * target)
                    if overlap > 0 { row[k] += Double(c) * overlap / source }
                }
            }
            return row
        }
        return try DistributionOverTime(title: title ?? "\(name): distribution of \(label) over training", valueLabel: label,
                                        steps: shown.map { Double($0.step) }, lower: lower, upper: upper, counts: counts)
    }
}
