import NeuralNet

/// The index of a trace folder (`manifest.json`): run facts, which steps are
/// complete, and where every stored tensor and statistic lives, with its size and
/// CRC-32. It is rewritten atomically at each flush and only ever names files
/// that were complete before it was written, so it is the reader's whole truth:
/// anything on disk it does not name (a stray `.tmp`, a file from a step after the
/// last flush) does not exist for the reader.
public struct TraceManifest: Codable, Equatable, Sendable {
    public static let fileName = "manifest.json"

    public var schemaVersion: Int
    public var run: TraceRunInfo
    /// The record policy, as a policy string (`first=3,every=1000,epoch-end`).
    public var policy: String
    /// True once the writer finished normally; false in a trace of a killed run.
    public var finished: Bool
    /// Completed steps, as runs of consecutive steps within an epoch.
    public var steps: [StepRange]
    /// Metrics reported at each epoch's end (validation loss and accuracy...).
    public var epochs: [EpochRecord]
    public var scalars: ScalarsIndex
    public var statistics: StatisticsIndex
    /// Every stored full tensor.
    public var tensors: [TensorEntry]
    /// Size in bytes of every data file the manifest names, by relative path.
    public var files: [String: Int]

    /// Completed steps, ascending.
    public var completedSteps: [Int] { steps.flatMap { Array($0.first...$0.last) } }

    /// Every file path the manifest names, relative to the trace folder: the scalars
    /// file, the statistics chunks, the tensor files, and the keys of `files`.
    public var filePaths: [String] {
        [scalars.file] + statistics.chunks.map(\.file) + tensors.map(\.file) + files.keys.sorted()
    }

    /// Whether `path` can only name something inside the trace folder: relative, not
    /// empty, without a `..` component or a NUL. (Symbolic links are the reader's to check.)
    public static func isContainedPath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.contains("\0")
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }
}

/// Steps `first...last`, all of epoch `epoch`.
public struct StepRange: Codable, Equatable, Sendable {
    public var epoch: Int
    public var first: Int
    public var last: Int
}

/// What `endEpoch` reported for one epoch, after step `step`.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var step: Int
    public var metrics: [String: Double]

    /// Metric `name` of this epoch; a held-out one (`val_loss`, `test_accuracy`) also
    /// under its twin of the other set (`ScalarName.heldOutTwin`): traces written before
    /// test metrics took their own names called them `val_*`. Which set a run's values
    /// come from is `HeldOutSet(run)`.
    public func value(_ name: String) -> Double? {
        metrics[name] ?? ScalarName.heldOutTwin(of: name).flatMap { metrics[$0] }
    }
}

extension HeldOutSet {
    /// The set a trace's run measured its per-epoch metrics on, as recorded in hyperparameter
    /// `epoch_metrics_on`; traces written before it was recorded validated on a split.
    public init(_ run: TraceRunInfo) {
        self = run.hyperparameters[Self.hyperparameter].flatMap(Self.init(rawValue:)) ?? .validation
    }
}

/// `scalars.csv`: its columns and how many bytes of it are committed (a killed
/// run may have appended a partial row after the last flush).
public struct ScalarsIndex: Codable, Equatable, Sendable {
    public var file: String
    public var columns: [String]
    public var rows: Int
    public var bytes: Int
}

/// The statistics files: each chunk holds, for every tensor series seen in the
/// chunk's steps, three tensors `KIND/NAME/steps` (I64 [n]), `KIND/NAME/moments`
/// (F64 [n, 7]: `moments` columns) and `KIND/NAME/histogram` (I32 [n, bins]).
public struct StatisticsIndex: Codable, Equatable, Sendable {
    public var bins: Int
    public var moments: [String]
    public var chunks: [StatisticsChunk]
}

public struct StatisticsChunk: Codable, Equatable, Sendable {
    public var file: String
    public var firstStep: Int
    public var lastStep: Int
    public var series: [StatisticsSeriesEntry]
}

/// One tensor's statistics rows in one chunk, with the CRC-32 of each stored tensor.
public struct StatisticsSeriesEntry: Codable, Equatable, Sendable {
    public var name: String
    public var kind: TensorKind
    public var rows: Int
    public var stepsCRC32: UInt32
    public var momentsCRC32: UInt32
    public var histogramCRC32: UInt32

    /// Prefix of this series' tensors in the chunk file: `KIND/NAME`.
    public var key: String { TensorEntry.key(kind: kind, name: name) }
}

/// One full tensor stored at one step.
public struct TensorEntry: Codable, Equatable, Sendable {
    public var name: String
    public var kind: TensorKind
    public var step: Int
    public var epoch: Int
    /// Relative path of the safetensors file (`tensors/step-000012.safetensors`).
    public var file: String
    /// Name inside that file: `KIND/NAME` (`weight/conv1.weight`).
    public var key: String
    public var shape: [Int]
    public var dtype: SafetensorsDType
    /// CRC-32 of the tensor's bytes (`zlib.crc32(array.tobytes())` in Python).
    public var crc32: UInt32

    public static func key(kind: TensorKind, name: String) -> String { "\(kind.rawValue)/\(name)" }
}
