/// What a run's trace will take on disk, printed before the run (the real size,
/// `TraceWriter.bytesWritten`, is printed after it).
///
/// full tensors = full steps × bytes per step; statistics = statistics steps × tensors ×
/// (8 step + 7 × 8 moments + 32 × 4 histogram bytes) plus one small header per
/// flushed chunk; scalars ≈ 12 bytes per cell, with about one norm column per
/// two tensors; the manifest ≈ 30 bytes per step and 200 per stored tensor.
public struct TraceSizeEstimate: Equatable, Sendable, CustomStringConvertible {
    public var fullTensorSteps: Int
    public var fullTensorBytes: Int
    public var statisticsBytes: Int
    public var scalarsBytes: Int
    public var manifestBytes: Int

    public var totalBytes: Int { fullTensorBytes + statisticsBytes + scalarsBytes + manifestBytes }

    public var description: String {
        "\(Self.format(totalBytes)) (\(fullTensorSteps) steps of full tensors: \(Self.format(fullTensorBytes)), "
            + "statistics: \(Self.format(statisticsBytes)))"
    }

    /// `bytes` as "12.3 MB" (decimal megabytes, like `ls --si`).
    public static func format(_ bytes: Int) -> String {
        if bytes < 10_000 { return "\(bytes) B" }
        if bytes < 10_000_000 { return "\((Double(bytes) / 1e3 * 10).rounded() / 10) kB" }
        return "\((Double(bytes) / 1e6 * 10).rounded() / 10) MB"
    }
}

extension RecordPolicy {
    /// Bytes of one statistics row: step (I64), moments (7 × F64), histogram (I32s).
    static let statisticsRowBytes = 8 + 8 * TensorStatistics.momentNames.count + 4 * TensorStatistics.binCount

    /// The expected trace size of a run of `totalSteps` steps in `epochs` epochs
    /// that reports `tensorsPerStep` tensors totalling `fullTensorBytesPerStep`.
    public func expectedSize(totalSteps: Int, epochs: Int, tensorsPerStep: Int, fullTensorBytesPerStep: Int,
                             flushInterval: Int = TraceWriter.defaultFlushInterval) -> TraceSizeEstimate {
        let full = fullTensorSteps(totalSteps: totalSteps, epochs: epochs)
        let fullSteps = full.count
        let statisticsSteps = Set(full).union(stride(from: 0, to: max(totalSteps, 0), by: statisticsEvery)).count
        let chunks = totalSteps / max(flushInterval, 1) + epochs + 1
        let chunkHeaderBytes = 3 * tensorsPerStep * 150
        let entryBytes = 200
        return TraceSizeEstimate(
            fullTensorSteps: fullSteps,
            fullTensorBytes: fullSteps * (fullTensorBytesPerStep + tensorsPerStep * 120),
            statisticsBytes: statisticsSteps * tensorsPerStep * Self.statisticsRowBytes + chunks * chunkHeaderBytes,
            scalarsBytes: totalSteps * 12 * (8 + tensorsPerStep / 2),
            manifestBytes: 30 * totalSteps + entryBytes * (fullSteps + chunks) * tensorsPerStep)
    }
}
