import Foundation
import Render
import Trace

/// What the network was actually fed under each normalisation: the values of
/// the training batches as the traces recorded them (the `input` statistics of
/// every step), one panel per run.
enum NormalizationFigures {
    /// One histogram per run (option `runs`) of the input values of its training
    /// batches, titled with the run's name and the mean and standard deviation over all
    /// of them, each on its own x axis (the shape of the distribution stays, its position
    /// and width change); then all of them overlaid on one x axis, the widest run's, so
    /// that the difference in scale the lesson is about (0–255 against 0–1) is seen, not
    /// only read off the tick labels. Each run keeps its colour of the other figures.
    static func inputStatistics(_ c: FigureContext) throws -> Figure {
        var batchCount = 0
        let runs = try c.selectedRuns().map { run in
            let batches = try InputValueSummary(trace: run.figures)
            batchCount = max(batchCount, batches.batchCount)
            return (run.name, batches, c.category(ofRun: run.name))
        }
        var panels: [Figure] = try runs.map { name, batches, category in
            // Both to the decimals that show the std to 3 digits: 33.5 and 78.6, 0.00 and 1.00.
            let decimals = max(0, 2 - Int(log10(max(batches.std, 1e-9)).rounded(.down)))
            let title = "\(name): mean \(Ticks.fixed(batches.mean, decimals: decimals)), "
                + "std \(Ticks.fixed(batches.std, decimals: decimals))"
            return try LineChart(title: title, xLabel: "input value (own axis)", yLabel: "fraction of values",
                                 series: [batches.histogramSteps(name: name)], yScale: .log, categories: [category])
        }
        if runs.count > 1 {
            let widest = runs.map { $0.1.edges.last! - $0.1.edges.first! }.max()!
            let narrowest = runs.map { $0.1.edges.last! - $0.1.edges.first! }.min()!
            panels.append(try LineChart(
                title: "One axis: ranges differ \(Int((widest / max(narrowest, 1e-12)).rounded()))×",
                xLabel: "input value (shared axis)", yLabel: "fraction of values",
                series: runs.map { $0.1.histogramSteps(name: $0.0) }, yScale: .log, categories: runs.map(\.2)))
        }
        return try SmallMultiples(title: "Input values the network was trained on",
                                  subtitle: "every pixel of the \(batchCount) training batches each trace recorded; "
                                      + "log scale: most pixels are background",
                                  panels: panels, columns: panels.count == 4 ? 2 : nil)
    }
}

/// The input values of a run's training batches, from the trace's per-step
/// `input` statistics. Steps that recorded the probe batch instead (the policy's
/// full-tensor steps) are left out.
struct InputValueSummary {
    /// Mean and standard deviation over every value of every training batch
    /// (pooled: σ² = Σ nᵢ(σᵢ² + μᵢ²)/N − μ²).
    let mean: Double
    let std: Double
    /// Bin edges and the fraction of values per bin: the histograms of the
    /// batches whose range equals the first batch's (all of them when every
    /// batch holds the darkest and brightest value), summed.
    let edges: [Double]
    let fractions: [Double]
    /// Training batches whose statistics the trace holds.
    let batchCount: Int

    init(trace: TraceFigures) throws {
        let probeSteps = Set(trace.steps(holding: "input", kind: .input))
        let batches = try trace.reader.statistics(of: "input", kind: .input)
            .filter { !probeSteps.contains($0.step) }.map(\.statistics)
        guard let first = batches.first else {
            throw FigureUnavailable("the trace has no input statistics of a training batch "
                                    + "(every step recorded the probe: use record policy 'default')")
        }
        batchCount = batches.count
        let n = Double(batches.map(\.count).reduce(0, +))
        mean = batches.map { Double($0.count) * $0.mean }.reduce(0, +) / n
        let square = batches.map { Double($0.count) * ($0.std * $0.std + $0.mean * $0.mean) }.reduce(0, +) / n
        std = max(0, square - mean * mean).squareRoot()
        var counts = [Double](repeating: 0, count: first.histogram.count)
        for b in batches where b.min == first.min && b.max == first.max {
            for (i, k) in b.histogram.enumerated() { counts[i] += Double(k) }
        }
        let total = counts.reduce(0, +)
        fractions = counts.map { $0 / max(total, 1) }
        let width = (first.max - first.min) / Double(counts.count)
        edges = (0...counts.count).map { first.min + Double($0) * width }
    }

    /// The histogram as a step line: flat across each bin.
    func histogramSteps(name: String) -> Series {
        Series(name: name, x: fractions.indices.flatMap { [edges[$0], edges[$0 + 1]] },
               y: fractions.flatMap { [$0, $0] })
    }
}
