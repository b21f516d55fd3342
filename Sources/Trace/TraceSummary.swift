import Foundation

/// Text views of a trace: an overview for `learn trace summary`, and the
/// statistics of every tensor at every step rounded to a few significant digits,
/// the stable text that snapshot tests compare (a changed kernel shows up as the
/// tensor and step whose numbers moved).
public enum TraceSummary {
    /// Lesson, steps, stored tensors and sizes.
    public static func overview(_ trace: TraceReader) -> String {
        let m = trace.manifest
        let steps = trace.steps
        let range = steps.isEmpty ? "none" : "\(steps.first!)...\(steps.last!)"
        return """
            lesson: \(m.run.lesson) (seed \(m.run.seed), \(m.run.threads) threads, learn \(m.run.toolVersion))
            steps: \(steps.count) completed (\(range)), \(m.finished ? "finished" : "unfinished (run stopped early)")
            policy: \(m.policy); full tensors at \(trace.fullTensorSteps.count) steps, \(m.tensors.count) tensors
            statistics: \(trace.statisticsSeries.count) series in \(m.statistics.chunks.count) chunks
            scalars: \(m.scalars.rows) rows, columns \(m.scalars.columns.joined(separator: " "))
            size: \(TraceSizeEstimate.format(trace.bytesOnDisk))

            """
    }

    /// One line per tensor per step: `step KIND/NAME n=COUNT mean std min max l2`,
    /// sorted by series then step, values to `significantDigits` digits.
    public static func statisticsLines(_ trace: TraceReader, significantDigits: Int = 6) throws -> [String] {
        var lines: [String] = []
        for (kind, name) in trace.statisticsSeries {
            for (step, s) in try trace.statistics(of: name, kind: kind) {
                let values = [s.mean, s.std, s.min, s.max, s.l2].map { format($0, significantDigits) }
                lines.append("\(step) \(kind.rawValue)/\(name) n=\(s.count) mean=\(values[0]) std=\(values[1]) "
                             + "min=\(values[2]) max=\(values[3]) l2=\(values[4])"
                             + (s.nonFinite > 0 ? " nonfinite=\(s.nonFinite)" : ""))
            }
        }
        return lines
    }

    /// `%g` with `digits` significant digits; −0 prints as 0 so sign noise of zero does not diff.
    static func format(_ value: Double, _ digits: Int) -> String {
        value == 0 ? "0" : String(format: "%.\(digits)g", value)
    }
}
