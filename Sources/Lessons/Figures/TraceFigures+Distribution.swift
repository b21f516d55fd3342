import Render
import Trace
import NeuralNet

extension TraceFigures {
    /// Per-step histograms of one tensor, re-binned onto one shared value range
    /// (`robustRange`); gradients coloured on a log scale (see
    /// `DistributionOverTime.logShares`).
    /// Each step's statistics hold 32 bins over that step's [min, max]; each bin's
    /// count is spread over the shared bins it overlaps, in proportion to the
    /// overlap (assigning whole bins by their centre left empty stripes). At most
    /// ~400 steps are shown (evenly strided), so long runs stay readable.
    func distribution(of name: String, kind: TensorKind, label: String, title: String? = nil,
                      compact: Bool = false, aspect: Double = 0.5) throws -> Figure {
        let series = try reader.statistics(of: name, kind: kind).filter { $0.statistics.count > 0 }
        guard !series.isEmpty else { throw FigureUnavailable("the trace has no statistics of \(kind.rawValue) \(name)") }
        let stride = max(1, series.count / 400)
        let shown = Swift.stride(from: 0, to: series.count, by: stride).map { series[$0] }
        let (lower, upper) = Self.robustRange(shown.map(\.statistics))
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
        // A compact panel (one of a grid) leaves out its colorbar and axis labels, which
        // the grid's subtitle gives once.
        return try DistributionOverTime(title: title ?? "\(name): distribution of \(label) over training",
                                        valueLabel: compact ? "" : label, steps: shown.map { Double($0.step) },
                                        lower: lower, upper: upper, counts: counts, showsColorbar: !compact,
                                        logShares: kind == .gradient, stepLabel: compact ? "" : "step", aspect: aspect)
    }

    /// A value range that shows the bulk of every step: from the 5th percentile over the
    /// steps of each step's 1st-percentile value to the 95th percentile over the steps of
    /// each step's 99th-percentile value, widened by a tenth and kept within the values'
    /// extremes. Mean ± 4σ over all steps let a few wide steps (or heavy tails) stretch
    /// the range until most steps' gradients were one line at 0; here the few widest
    /// steps spill past the edges instead, and the rest fill the panel.
    static func robustRange(_ steps: [TensorStatistics]) -> (Double, Double) {
        func percentile(_ values: [Double], _ p: Double) -> Double {
            let sorted = values.sorted()
            return sorted[Int((Double(sorted.count - 1) * p).rounded())]
        }
        let low = percentile(steps.map { quantile(of: $0, 0.01) }, 0.05)
        let high = percentile(steps.map { quantile(of: $0, 0.99) }, 0.95)
        let margin = max(high - low, 1e-12) * 0.1
        let lower = max(steps.map(\.min).min()!, low - margin), upper = min(steps.map(\.max).max()!, high + margin)
        return upper > lower ? (lower, upper) : (low - 0.5, high + 0.5)
    }

    /// The value below which a share `p` of a step's values lie, read off its histogram
    /// (values spread evenly within each bin).
    static func quantile(of s: TensorStatistics, _ p: Double) -> Double {
        let total = Double(s.histogram.reduce(0) { $0 + Int($1) })
        guard total > 0, s.max > s.min else { return s.min }
        let width = (s.max - s.min) / Double(s.histogram.count)
        var below = 0.0
        for (j, c) in s.histogram.enumerated() {
            let next = below + Double(c)
            if next >= p * total, c > 0 {
                return s.min + width * (Double(j) + (p * total - below) / Double(c))
            }
            below = next
        }
        return s.max
    }
}
