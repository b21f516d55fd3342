/// A tensor as a statistics-only step of a trace needs it, from a kernel that never
/// stored it: its shape, the moments of the pieces the kernel measured (`TensorMoments`,
/// cut as the kernel that stores it cuts them, so the statistics are bit for bit the
/// same), and the values its histogram counts (`HistogramRuns` for `sample`), the runs
/// laid end to end.
///
/// cnn-mnist's first convolution writes 5.5 MB a step at batch 64; at the steps whose
/// trace keeps only statistics, that output is formed image by image in a worker's L2
/// and only the moments and about 4 000 sampled values leave it.
public struct TensorSummary: Sendable {
    public let shape: [Int]
    public let moments: TensorMoments
    /// The `sample` the runs were chosen for (`HistogramRuns(count:sample:)`).
    public let sample: Int
    public let sampled: [Float]

    public init(shape: [Int], moments: TensorMoments, sample: Int, sampled: [Float]) {
        let count = shape.reduce(1, *)
        precondition(moments.count == count, "TensorSummary: moments of \(moments.count) of \(count) values")
        precondition(sampled.count == HistogramRuns(count: count, sample: sample).sampledCount,
                     "TensorSummary: \(sampled.count) sampled values")
        self.shape = shape
        self.moments = moments
        self.sample = sample
        self.sampled = sampled
    }

    public var count: Int { shape.reduce(1, *) }
}
