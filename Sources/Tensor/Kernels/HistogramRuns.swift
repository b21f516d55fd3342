/// Which elements of a recorded tensor its histogram counts: every `step`-th run of
/// `length` adjacent elements, with `step` chosen so that about `sample` are counted
/// (every element of a tensor up to `sample` elements). Adjacent runs keep the pass
/// streaming through whole cache lines, where an element-wise stride touched a new line
/// per value.
///
/// The trace's statistics (`StatisticsKernel`) count these runs of a tensor; a kernel that
/// never stores the tensor copies them out as it forms it (`TensorSummary`), so that the
/// histogram is the same. Only the last run can be shorter than `length`, so run s
/// starts at `s · length` in the runs laid end to end.
public struct HistogramRuns: Sendable, Equatable {
    /// Adjacent elements per run.
    public static let length = 256
    public let count, step: Int
    /// How many runs are counted.
    public let total: Int

    public init(count: Int, sample: Int) {
        self.count = count
        step = max(1, (count + sample - 1) / sample)
        total = ((count + Self.length - 1) / Self.length + step - 1) / step
    }

    /// The positions of counted run s (0 ≤ s < total).
    public func run(_ s: Int) -> Range<Int> {
        let start = s * step * Self.length
        return start..<min(count, start + Self.length)
    }

    /// The counted runs of positions, in order.
    public var runs: some Sequence<Range<Int>> { (0..<total).lazy.map(run) }

    /// Elements counted: the runs' lengths together.
    public var sampledCount: Int { total == 0 ? 0 : (total - 1) * Self.length + run(total - 1).count }

    /// Copies the part of run s that `source` holds (the values at positions `held`) to its
    /// place in `sampled`, the runs laid end to end.
    public func copy(_ s: Int, from source: UnsafePointer<Float>, holding held: Range<Int>,
                     into sampled: UnsafeMutablePointer<Float>) {
        (sampled + s * Self.length).update(holding: run(s), from: source, holding: held)
    }

    /// The runs that share a position with `positions`.
    public func runs(overlapping positions: Range<Int>) -> Range<Int> {
        let stride = step * Self.length
        // Run s holds [s·stride, s·stride + length): it reaches past the lower bound when
        // s·stride > lower − length, and starts before the upper bound when s·stride < upper.
        let first = positions.lowerBound >= Self.length ? (positions.lowerBound - Self.length) / stride + 1 : 0
        let end = positions.isEmpty ? first : min(total, (positions.upperBound - 1) / stride + 1)
        return first..<max(first, end)
    }
}

extension UnsafeMutablePointer<Float> {
    /// Copies the positions both ranges hold from `source` (the values at positions `held`) to
    /// here (the values at positions `wanted`): a piece of a tensor assembled from the parts
    /// that blocks formed in their scratch.
    func update(holding wanted: Range<Int>, from source: UnsafePointer<Float>, holding held: Range<Int>) {
        let shared = wanted.clamped(to: held)
        guard !shared.isEmpty else { return }
        (self + (shared.lowerBound - wanted.lowerBound))
            .update(from: source + (shared.lowerBound - held.lowerBound), count: shared.count)
    }
}
