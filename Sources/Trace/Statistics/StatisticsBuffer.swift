import Foundation
import NeuralNet

/// A tensor series: one (kind, name) pair, such as gradient `conv1.weight`.
struct SeriesKey: Hashable, Comparable {
    var kind: TensorKind
    var name: String

    var key: String { TensorEntry.key(kind: kind, name: name) }

    static func < (a: SeriesKey, b: SeriesKey) -> Bool { a.key < b.key }
}

/// Statistics rows of completed steps waiting for the next flush, column-wise per
/// series so that a chunk is written with no per-row work: a series becomes
/// three safetensors tensors (`KIND/NAME/steps`, `/moments`, `/histogram`).
struct StatisticsBuffer {
    private struct Columns {
        var steps: [Int64] = []
        var moments: [Double] = []
        var histogram: [Int32] = []
    }

    private var series: [SeriesKey: Columns] = [:]
    private(set) var firstStep: Int?
    private(set) var lastStep: Int?

    var isEmpty: Bool { series.isEmpty }

    mutating func append(step: Int, _ rows: [SeriesKey: TensorStatistics]) {
        for (key, statistics) in rows {
            Self.append(step, statistics, to: &series[key, default: Columns()])
        }
        firstStep = firstStep ?? step
        lastStep = step
    }

    /// One row, through a single dictionary access per series.
    private static func append(_ step: Int, _ statistics: TensorStatistics, to columns: inout Columns) {
        columns.steps.append(Int64(step))
        columns.moments += statistics.moments
        columns.histogram += statistics.histogram
    }

    /// The chunk file's contents and its index entry; the buffer is emptied.
    mutating func takeChunk(file: String) throws -> (data: Data, entry: StatisticsChunk) {
        var writer = SafetensorsWriter(metadata: ["content": "learn trace statistics",
                                                  "moments": TensorStatistics.momentNames.joined(separator: ",")])
        var entries: [StatisticsSeriesEntry] = []
        for key in series.keys.sorted() {
            let columns = series[key]!
            let rows = columns.steps.count
            let steps = SafetensorsPayload.i64(columns.steps)
            let moments = SafetensorsPayload.f64(columns.moments)
            let histogram = SafetensorsPayload.i32(columns.histogram)
            try writer.add(key.key + "/steps", shape: [rows], payload: steps)
            try writer.add(key.key + "/moments", shape: [rows, TensorStatistics.momentNames.count], payload: moments)
            try writer.add(key.key + "/histogram", shape: [rows, TensorStatistics.binCount], payload: histogram)
            entries.append(StatisticsSeriesEntry(
                name: key.name, kind: key.kind, rows: rows,
                stepsCRC32: steps.withBytes(CRC32.checksum), momentsCRC32: moments.withBytes(CRC32.checksum),
                histogramCRC32: histogram.withBytes(CRC32.checksum)))
        }
        let entry = StatisticsChunk(file: file, firstStep: firstStep ?? 0, lastStep: lastStep ?? 0, series: entries)
        self = StatisticsBuffer()
        return (writer.encoded(), entry)
    }
}
