import Foundation
import NeuralNet
import Tensor

/// Reads a trace folder through its manifest, one piece at a time: a tensor is
/// read by seeking into its safetensors file and checked against its CRC-32; a
/// statistic over all steps reads only that series from each statistics chunk;
/// scalars read only the committed part of `scalars.csv`. A trace of a killed
/// run opens and holds every step up to its last flush.
///
/// A trace folder may come from someone else, so the manifest is input too: the reader
/// opens only files inside the trace folder, refusing any path the manifest names that
/// is absolute, empty, has a `..` component (all checked when the trace is opened) or
/// leads out through a symbolic link (checked before each file is opened).
///
/// A reader remembers the headers it has parsed and the scalars table, so it is for one
/// thread at a time.
///
/// ```swift
/// let trace = try TraceReader(directory: url)
/// let w = try trace.tensor("conv1.weight", kind: .weight, step: 0)
/// let norms = try trace.series(.l2, of: "conv1.weight", kind: .gradient)
/// ```
public final class TraceReader {
    public let directory: URL
    public let manifest: TraceManifest
    /// Each data file's header as first read (a figure per series reads every statistics
    /// chunk again), and the scalars as first parsed: the manifest names complete files
    /// that a writer never changes. No file stays open.
    private var layouts: [String: SafetensorsFile.Layout] = [:]
    private var parsedScalars: ScalarsTable?

    public init(directory: URL) throws {
        self.directory = directory
        let url = directory.appendingPathComponent(TraceManifest.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TraceError.missingManifest(directory: directory.path)
        }
        do {
            manifest = try JSONDecoder().decode(TraceManifest.self, from: Data(contentsOf: url))
        } catch {
            throw TraceError.unreadableManifest(file: url.path, reason: "\(error)")
        }
        guard manifest.schemaVersion == TraceSchema.version else {
            throw TraceError.unsupportedSchema(file: url.path, version: manifest.schemaVersion)
        }
        if let unsafe = manifest.filePaths.first(where: { !TraceManifest.isContainedPath($0) }) {
            throw TraceError.unsafeManifestPath(manifest: url.path, path: unsafe)
        }
    }

    /// Completed steps, ascending.
    public var steps: [Int] { manifest.completedSteps }

    /// Steps that hold full tensors, ascending.
    public var fullTensorSteps: [Int] { Array(Set(manifest.tensors.map(\.step))).sorted() }

    /// Stored full tensors, of one step or of all.
    public func tensors(atStep step: Int? = nil) -> [TensorEntry] {
        manifest.tensors.filter { step == nil || $0.step == step }
    }

    /// Every (kind, name) that has statistics, sorted by `KIND/NAME`.
    public var statisticsSeries: [(kind: TensorKind, name: String)] {
        let keys = Set(manifest.statistics.chunks.flatMap { $0.series.map { SeriesKey(kind: $0.kind, name: $0.name) } })
        return keys.sorted().map { ($0.kind, $0.name) }
    }

    /// Bytes of the committed trace: data files, committed scalars, manifest.
    public var bytesOnDisk: Int {
        let manifestURL = directory.appendingPathComponent(TraceManifest.fileName)
        return manifest.files.values.reduce(0, +) + manifest.scalars.bytes + (Self.size(of: manifestURL) ?? 0)
    }

    /// The full tensor `name` of `kind` stored at `step`, checked against its CRC-32.
    public func tensor(_ name: String, kind: TensorKind, step: Int) throws -> Tensor {
        guard let entry = manifest.tensors.first(where: { $0.name == name && $0.kind == kind && $0.step == step }) else {
            throw TraceError.noSuchTensor(name: name, kind: kind.rawValue, step: step)
        }
        let file = try open(entry.file)
        let stored = try file.entry(entry.key)
        guard stored.dtype == .f32, stored.shape == entry.shape else {
            throw TraceError.entryMismatch(file: file.url.path, tensor: entry.key)
        }
        guard case let .f32(scalars) = try read(entry.key, crc32: entry.crc32, from: file) else {
            throw TraceError.entryMismatch(file: file.url.path, tensor: entry.key)
        }
        return Tensor(shape: entry.shape, scalars: scalars)
    }

    /// Statistics of `name` of `kind` at every completed step where it was
    /// reported, read chunk by chunk.
    public func statistics(of name: String, kind: TensorKind) throws -> [(step: Int, statistics: TensorStatistics)] {
        var result: [(step: Int, statistics: TensorStatistics)] = []
        for chunk in manifest.statistics.chunks {
            guard let series = chunk.series.first(where: { $0.name == name && $0.kind == kind }) else { continue }
            let file = try open(chunk.file)
            let steps = try read(series.key + "/steps", crc32: series.stepsCRC32, from: file)
            let moments = try read(series.key + "/moments", crc32: series.momentsCRC32, from: file)
            let histogram = try read(series.key + "/histogram", crc32: series.histogramCRC32, from: file)
            guard case let .i64(stepValues) = steps, case let .f64(momentValues) = moments,
                  case let .i32(histogramValues) = histogram,
                  momentValues.count == stepValues.count * manifest.statistics.moments.count,
                  histogramValues.count == stepValues.count * manifest.statistics.bins else {
                throw TraceError.entryMismatch(file: file.url.path, tensor: series.key)
            }
            let m = manifest.statistics.moments.count, bins = manifest.statistics.bins
            for (row, step) in stepValues.enumerated() {
                result.append((Int(step), TensorStatistics(
                    moments: momentValues[(row * m)..<((row + 1) * m)],
                    histogram: Array(histogramValues[(row * bins)..<((row + 1) * bins)]))))
            }
        }
        guard !result.isEmpty || statisticsSeries.contains(where: { $0.kind == kind && $0.name == name }) else {
            throw TraceError.noSuchStatistic(name: name, kind: kind.rawValue)
        }
        return result
    }

    /// One statistic of `name` of `kind` per step (e.g. the L2 norm of
    /// `conv1.weight`'s gradient).
    public func series(_ measure: StatisticMeasure, of name: String,
                       kind: TensorKind) throws -> [(step: Int, value: Double)] {
        try statistics(of: name, kind: kind).map { ($0.step, $0.statistics.value(of: measure)) }
    }

    /// The committed rows of `scalars.csv`.
    public func scalars() throws -> ScalarsTable {
        if let parsedScalars { return parsedScalars }
        let table = try readScalars()
        parsedScalars = table
        return table
    }

    private func readScalars() throws -> ScalarsTable {
        let url = try fileURL(manifest.scalars.file)
        guard manifest.scalars.bytes > 0 else { return ScalarsTable(columns: manifest.scalars.columns) }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: manifest.scalars.bytes) ?? Data()
        } catch {
            throw TraceError.unreadable(file: url.path, reason: error.localizedDescription)
        }
        guard data.count == manifest.scalars.bytes else {
            throw TraceError.sizeMismatch(file: url.path, expected: manifest.scalars.bytes, actual: data.count)
        }
        return try ScalarsTable.parse(Substring(decoding: data, as: UTF8.self), file: url.path)
    }

    // MARK: Files

    /// Opens a data file named by the manifest, after checking its recorded size.
    private func open(_ file: String) throws -> SafetensorsFile {
        let url = try fileURL(file)
        if let expected = manifest.files[file], let size = Self.size(of: url), size != expected {
            throw TraceError.sizeMismatch(file: url.path, expected: expected, actual: size)
        }
        if let layout = layouts[file] { return try SafetensorsFile(url: url, layout: layout) }
        let opened = try SafetensorsFile(url: url)
        layouts[file] = opened.layout
        return opened
    }

    /// The file at `path` (a manifest path, already known to be relative and free of
    /// `..`), refused if following symbolic links takes it out of the trace folder.
    private func fileURL(_ path: String) throws -> URL {
        let url = directory.appendingPathComponent(path)
        let folder = directory.resolvingSymlinksInPath().standardizedFileURL.path
        guard url.resolvingSymlinksInPath().standardizedFileURL.path.hasPrefix(folder + "/") else {
            throw TraceError.unsafeManifestPath(manifest: directory.appendingPathComponent(TraceManifest.fileName).path,
                                                path: path)
        }
        return url
    }

    private static func size(of url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int
    }

    private func read(_ key: String, crc32: UInt32, from file: SafetensorsFile) throws -> SafetensorsPayload {
        let bytes = try file.bytes(of: key)
        try verify(bytes, crc32: crc32, file: file, tensor: key)
        return SafetensorsPayload(dtype: try file.entry(key).dtype, bytes: bytes)
    }

    private func verify(_ bytes: Data, crc32: UInt32, file: SafetensorsFile, tensor: String) throws {
        guard bytes.withUnsafeBytes(CRC32.checksum) == crc32 else {
            throw TraceError.checksumMismatch(file: file.url.path, tensor: tensor)
        }
    }
}
