import Foundation
import NeuralNet
import Tensor

/// A `Recorder` that writes a trace folder:
///
/// ```
/// manifest.json                      index of everything below (TraceManifest)
/// scalars.csv                        one row per step (ScalarsTable)
/// statistics/chunk-000000.safetensors   statistics of every tensor at every step
/// tensors/step-000123.safetensors    full tensors of a step the policy keeps
/// ```
/// At every step it computes `TensorStatistics` of every tensor it is given (from
/// the moments its kernel measured, or one pass over memory; no copy); at the
/// steps the `RecordPolicy` names it also keeps the tensors themselves (a
/// reference, copy-on-write) and writes them at the step's end. It flushes — appends scalar rows, writes a statistics chunk,
/// rewrites the manifest, which then names the full-tensor files written since
/// the last flush — every `flushInterval` steps and at each epoch's end (not at
/// every full-tensor step: with policy `all` the manifest, which grows with the
/// run, would be rewritten at every step). Every data file is written under a temporary name and
/// renamed, and the manifest is written last, so a run killed at any moment
/// leaves a trace holding every step up to the last flush.
///
/// `endEpoch` metrics fill the empty cells of the epoch's last scalars row
/// (`val_loss`, `val_accuracy`, or `test_loss`, `test_accuracy`) and are all kept in the manifest's `epochs`.
/// Events outside a step (before the first `beginStep`) are ignored. A tensor
/// reported twice in a step under the same kind and name keeps its last value.
/// Recorder methods cannot throw: the first I/O error stops all writing and is
/// rethrown by `finish()`.
public final class TraceWriter: Recorder {
    public static let defaultFlushInterval = 100
    static let tensorsFolder = "tensors"
    static let statisticsFolder = "statistics"

    public let directory: URL
    public let policy: RecordPolicy
    public let flushInterval: Int
    /// The first I/O error; once set, the writer writes nothing more.
    public private(set) var failure: Error?
    /// Bytes of every committed file (data files, scalars, manifest) so far.
    public var bytesWritten: Int { manifest.files.values.reduce(0, +) + manifest.scalars.bytes + manifestBytes }

    private var manifest: TraceManifest
    private var manifestBytes = 0
    private var manifestEncoder = ManifestEncoder()
    private var current: StepInfo?
    private var keepsFullTensors = false
    private var recordsStatistics = false
    private let histogramSampling: HistogramSampling
    private var stepStatistics: [SeriesKey: TensorStatistics] = [:]
    /// This step's statistics still being computed (by idle helpers, see `StatisticsPass`).
    private var pendingStatistics: [(key: SeriesKey, pass: StatisticsPass)] = []
    private var stepTensors: [SeriesKey: Tensor] = [:]
    private var stepScalars: [String: Double] = [:]
    private var statistics = StatisticsBuffer()
    private var pendingRows: [[String: Double]] = []
    private var stepsSinceFlush = 0
    private var flushDue = false
    /// Full-tensor files are encoded and written on this queue, off the training
    /// thread; at most two steps wait there (then the trainer waits), and a flush
    /// waits for all of them before the manifest names their files.
    private let fileQueue = DispatchQueue(label: "learn.trace.tensor-files")
    private let fileSlots = DispatchSemaphore(value: 2)
    private let writtenLock = NSLock()
    /// Files the queue has written, with their index entries and those entries' JSON (built there,
    /// off the training thread: `record: all` adds dozens a step).
    private var written: [(file: String, bytes: Int, entries: [TensorEntry], json: [Data])] = []
    private var backgroundFailure: Error?

    /// Starts a trace in `directory`, replacing the trace files of an earlier run
    /// there (other files are left alone), and writes an empty manifest.
    public init(directory: URL, run: TraceRunInfo, policy: RecordPolicy,
                flushInterval: Int = TraceWriter.defaultFlushInterval) throws {
        self.directory = directory
        self.policy = policy
        self.flushInterval = max(1, flushInterval)
        histogramSampling = HistogramSampling(model: run.model)
        manifest = TraceManifest(
            schemaVersion: TraceSchema.version, run: run, policy: policy.description, finished: false,
            steps: [], epochs: [],
            scalars: ScalarsIndex(file: ScalarsTable.fileName, columns: [], rows: 0, bytes: 0),
            statistics: StatisticsIndex(bins: TensorStatistics.binCount, moments: TensorStatistics.momentNames,
                                        chunks: []),
            tensors: [], files: [:])
        try prepareDirectory()
        try writeManifest()
    }

    /// Whether the current step keeps full tensors (a trainer may use it to run
    /// its probe batch only at those steps).
    public var keepsFullTensorsThisStep: Bool { current != nil && keepsFullTensors }

    /// The trainer runs its probe batch exactly at the steps that keep full tensors.
    public var wantsProbe: Bool { keepsFullTensorsThisStep && failure == nil }

    // MARK: Recorder

    public func beginStep(_ info: StepInfo) {
        if current != nil { discardStep() }
        if flushDue { flush() }
        current = info
        keepsFullTensors = policy.keepsFullTensors(at: info)
        recordsStatistics = policy.recordsStatistics(at: info)
    }

    /// Recurrent states (and attention weights) are kept for the probe batch only, at
    /// the steps that keep full tensors: per step and unit they are many, and a figure
    /// reads them for the same few sequences at every recorded step.
    public func wants(_ kind: TensorKind) -> Bool {
        guard current != nil, recordsStatistics, failure == nil else { return false }
        switch kind {
        case .state, .attention: return keepsFullTensors
        case .input, .activation, .gradient, .weight, .update: return true
        }
    }

    public func record(_ kind: TensorKind, name: String, tensor: Tensor) {
        record(kind, name: name, tensor: tensor, moments: nil)
    }

    /// Moments measured by the kernel that wrote the tensor leave only their
    /// combination and the histogram to do; without them, a pass over the tensor.
    public func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?) {
        guard wants(kind) else { return }
        let key = SeriesKey(kind: kind, name: name)
        let sample = histogramSampling.sample(for: key)
        if let moments, moments.count == tensor.count {
            pendingStatistics.append((key, StatisticsPass(tensor.scalars, measured: moments, sample: sample)))
        } else {
            pendingStatistics.append((key, StatisticsPass(tensor.scalars, sample: sample)))
        }
        if keepsFullTensors { stepTensors[key] = tensor }
    }

    /// At a statistics-only step the patched tensor is never built: its moments are given,
    /// and its histogram counts `tensor`'s sample with the patched values in place.
    public func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?,
                       patches: TensorPatches) {
        guard let moments, moments.count == tensor.count, !keepsFullTensors else {
            return record(kind, name: name, tensor: patches.applied(to: tensor), moments: moments)
        }
        guard wants(kind) else { return }
        let key = SeriesKey(kind: kind, name: name)
        pendingStatistics.append((key, StatisticsPass(tensor.scalars, measured: moments, patches: patches,
                                                      sample: histogramSampling.sample(for: key))))
    }

    /// At a statistics-only step, the sample this writer's histogram of the tensor counts
    /// (`HistogramSampling`), so that a kernel may summarize the tensor instead of storing it.
    public func histogramSample(_ kind: TensorKind, name: String) -> Int? {
        guard wants(kind), !keepsFullTensors else { return nil }
        return histogramSampling.sample(for: SeriesKey(kind: kind, name: name))
    }

    /// A summary for the sample `histogramSample` gave, with finite moments, is all the
    /// statistics need; anything else is declined (the model then hands the tensor).
    public func record(_ kind: TensorKind, name: String, summary: TensorSummary) -> Bool {
        guard wants(kind) else { return true }
        let key = SeriesKey(kind: kind, name: name)
        guard !keepsFullTensors, summary.sample == histogramSampling.sample(for: key),
              summary.moments.pieces.withUnsafeBufferPointer({
                  StatisticsKernel.combines($0, bins: TensorStatistics.binCount) }) else { return false }
        pendingStatistics.append((key, StatisticsPass(summary)))
        return true
    }

    public func recordScalars(_ scalars: [String: Double]) {
        guard current != nil else { return }
        stepScalars.merge(scalars) { _, new in new }
    }

    public func endStep() {
        guard let info = current, failure == nil else { return discardStep() }
        collectStatistics()
        if keepsFullTensors && !stepTensors.isEmpty { writeFullTensors(info) }
        statistics.append(step: info.step, stepStatistics)
        pendingRows.append(scalarRow(info))
        markCompleted(info)
        discardStep()
        stepsSinceFlush += 1
        flushDue = flushDue || info.endsEpoch || stepsSinceFlush >= flushInterval
        // At an epoch's end, wait for `endEpoch` so its metrics join the last row.
        if flushDue && !info.endsEpoch { flush() }
    }

    public func endEpoch(_ epoch: Int, metrics: [String: Double]) {
        guard failure == nil else { return }
        let step = manifest.steps.last?.last ?? -1
        manifest.epochs.append(EpochRecord(epoch: epoch, step: step, metrics: metrics))
        if !pendingRows.isEmpty {
            pendingRows[pendingRows.count - 1].merge(metrics) { stepValue, _ in stepValue }
        }
        flush()
    }

    /// Flushes what remains and marks the trace finished; throws the first I/O
    /// error of the run, if any. An unfinished step is dropped.
    public func finish() throws {
        discardStep()
        manifest.finished = true
        flush()
        if let failure { throw failure }
    }

    // MARK: Steps

    private func discardStep() {
        current = nil
        stepStatistics.removeAll(keepingCapacity: true)
        pendingStatistics.removeAll(keepingCapacity: true)
        stepTensors.removeAll(keepingCapacity: true)
        stepScalars.removeAll(keepingCapacity: true)
    }

    /// The step's statistics. What idle helpers have not computed during the step is
    /// spread over the workers, one tensor per block (each block's moments passes and
    /// histogram run serially inside it): the work left at the step's end then shrinks
    /// with the thread count instead of falling on the training thread alone. The
    /// numbers do not depend on who computes them.
    private func collectStatistics() {
        let passes = pendingStatistics.map(\.pass)
        var results = [TensorStatistics?](repeating: nil, count: passes.count)
        results.withUnsafeMutableBufferPointer { results in
            WorkerPool.shared.run(blocks: passes.count) { i in results[i] = passes[i].result() }
        }
        for (i, pending) in pendingStatistics.enumerated() { stepStatistics[pending.key] = results[i]! }
        pendingStatistics.removeAll(keepingCapacity: true)
    }

    /// The step's scalars (the trainer's loss, rate and parameter norms) with its place in the run.
    private func scalarRow(_ info: StepInfo) -> [String: Double] {
        var row = stepScalars
        row[ScalarName.step] = Double(info.step)
        row[ScalarName.epoch] = Double(info.epoch)
        return row
    }

    private func markCompleted(_ info: StepInfo) {
        if let last = manifest.steps.last, last.epoch == info.epoch, last.last == info.step - 1 {
            manifest.steps[manifest.steps.count - 1].last = info.step
        } else {
            manifest.steps.append(StepRange(epoch: info.epoch, first: info.step, last: info.step))
        }
    }

    /// Queues the step's full tensors for writing (see `fileQueue`).
    private func writeFullTensors(_ info: StepInfo) {
        let file = "\(Self.tensorsFolder)/step-\(Self.padded(info.step)).safetensors"
        let url = directory.appendingPathComponent(file)
        // Sorted by the file's key, built once per tensor (`SeriesKey.<` builds both per comparison).
        let tensors = stepTensors.map { (key: $0.key, path: $0.key.key, tensor: $0.value) }.sorted { $0.path < $1.path }
        fileSlots.wait()
        fileQueue.async { [self] in
            defer { fileSlots.signal() }
            do {
                var writer = SafetensorsWriter(metadata: ["step": String(info.step), "epoch": String(info.epoch)])
                var entries: [TensorEntry] = []
                for (key, path, tensor) in tensors {
                    try writer.add(path, tensor)
                    entries.append(TensorEntry(
                        name: key.name, kind: key.kind, step: info.step, epoch: info.epoch, file: file, key: path,
                        shape: tensor.shape, dtype: .f32,
                        crc32: tensor.scalars.withUnsafeBytes(CRC32.checksum)))
                }
                let bytes = try writer.write(to: url)
                let json = entries.map { Data($0.compactJSON.utf8) }
                writtenLock.withLock { written.append((file, bytes, entries, json)) }
            } catch {
                writtenLock.withLock { if backgroundFailure == nil { backgroundFailure = error } }
            }
        }
    }

    /// Returns once every full-tensor file queued so far is written (a benchmark counts
    /// that work in the steps that caused it). The manifest names them at the next flush.
    public func waitForQueuedFiles() {
        fileQueue.sync {}
    }

    /// Waits for queued tensor files and enters the finished ones in the manifest.
    private func collectWrittenFiles() {
        fileQueue.sync {}
        writtenLock.withLock {
            for w in written {
                manifest.files[w.file] = w.bytes
                manifest.tensors += w.entries
                manifestEncoder.appendEncodedTensors(w.json)
            }
            written.removeAll()
            if failure == nil, let error = backgroundFailure { failure = error }
        }
    }

    // MARK: Flushing

    /// Commits everything completed so far: scalar rows, a statistics chunk, then
    /// the manifest that names them.
    private func flush() {
        flushDue = false
        stepsSinceFlush = 0
        collectWrittenFiles()
        guard failure == nil else { return }
        attempt {
            try appendScalarRows()
            if !statistics.isEmpty {
                let file = "\(Self.statisticsFolder)/chunk-\(Self.padded(manifest.statistics.chunks.count)).safetensors"
                let (data, chunk) = try statistics.takeChunk(file: file)
                try writeData(data, file: file)
                manifest.statistics.chunks.append(chunk)
            }
            try writeManifest()
        }
    }

    private func appendScalarRows() throws {
        guard !pendingRows.isEmpty else { return }
        var text = ""
        if manifest.scalars.columns.isEmpty {
            manifest.scalars.columns = ScalarsTable.columns(forFirstStep: Set(pendingRows[0].keys),
                                                            heldOut: HeldOutSet(manifest.run))
            text = ScalarsTable.headerLine(manifest.scalars.columns)
        }
        for row in pendingRows { text += ScalarsTable.line(row, columns: manifest.scalars.columns) }
        let url = directory.appendingPathComponent(ScalarsTable.fileName)
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            // Start at the committed length: a partial row from a failed flush is overwritten.
            try handle.truncate(atOffset: UInt64(manifest.scalars.bytes))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            throw TraceError.writeFailed(file: url.path, reason: error.localizedDescription)
        }
        manifest.scalars.rows += pendingRows.count
        manifest.scalars.bytes += text.utf8.count
        pendingRows.removeAll()
    }

    private func writeData(_ data: Data, file: String) throws {
        try AtomicFile.write(data, to: directory.appendingPathComponent(file))
        manifest.files[file] = data.count
    }

    private func writeManifest() throws {
        let data = try manifestEncoder.encode(manifest)
        try AtomicFile.write(data, to: directory.appendingPathComponent(TraceManifest.fileName))
        manifestBytes = data.count
    }

    private func prepareDirectory() throws {
        let files = FileManager.default
        do {
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
            // The manifest goes first: a half-cleaned folder is then no trace at all.
            for name in [TraceManifest.fileName, ScalarsTable.fileName, Self.tensorsFolder, Self.statisticsFolder] {
                let url = directory.appendingPathComponent(name)
                if files.fileExists(atPath: url.path) { try files.removeItem(at: url) }
            }
            for folder in [Self.tensorsFolder, Self.statisticsFolder] {
                try files.createDirectory(at: directory.appendingPathComponent(folder),
                                          withIntermediateDirectories: true)
            }
            _ = files.createFile(atPath: directory.appendingPathComponent(ScalarsTable.fileName).path, contents: nil)
        } catch {
            throw TraceError.writeFailed(file: directory.path, reason: error.localizedDescription)
        }
    }

    private func attempt(_ body: () throws -> Void) {
        guard failure == nil else { return }
        do { try body() } catch { failure = error }
    }

    private static func padded(_ n: Int) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
