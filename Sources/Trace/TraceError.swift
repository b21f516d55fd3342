/// Why a trace could not be written or read. Cases carry the file or value at
/// fault; a damaged data file is reported with its path.
public enum TraceError: Error, CustomStringConvertible, Equatable {
    case writeFailed(file: String, reason: String)
    case missingManifest(directory: String)
    case unreadableManifest(file: String, reason: String)
    case unreadable(file: String, reason: String)
    case unsupportedSchema(file: String, version: Int)
    case checksumMismatch(file: String, tensor: String)
    case sizeMismatch(file: String, expected: Int, actual: Int)
    case entryMismatch(file: String, tensor: String)
    case noSuchTensor(name: String, kind: String, step: Int?)
    case noSuchStatistic(name: String, kind: String)
    case malformedScalars(file: String, line: Int)
    /// The manifest names a file that is not inside the trace folder: an absolute path,
    /// one with a `..` component, an empty one, or one that a symbolic link leads out.
    case unsafeManifestPath(manifest: String, path: String)

    public var description: String {
        switch self {
        case let .writeFailed(file, reason):
            return "\(file): cannot write (\(reason))"
        case let .missingManifest(directory):
            return "\(directory): no manifest.json (not a trace folder)"
        case let .unreadableManifest(file, reason):
            return "\(file): cannot read manifest (\(reason))"
        case let .unreadable(file, reason):
            return "\(file): cannot read (\(reason))"
        case let .unsupportedSchema(file, version):
            return "\(file): trace schema version \(version) is not supported (this build reads \(TraceSchema.version))"
        case let .checksumMismatch(file, tensor):
            return "\(file): tensor '\(tensor)' fails its checksum (file altered or damaged)"
        case let .sizeMismatch(file, expected, actual):
            return "\(file): \(actual) bytes, the manifest records \(expected) (file truncated or replaced)"
        case let .entryMismatch(file, tensor):
            return "\(file): tensor '\(tensor)' does not have the dtype or shape the manifest records"
        case let .noSuchTensor(name, kind, step):
            return "no \(kind) tensor '\(name)'" + (step.map { " at step \($0)" } ?? "") + " in the trace"
        case let .noSuchStatistic(name, kind):
            return "no statistics for \(kind) '\(name)' in the trace"
        case let .malformedScalars(file, line):
            return "\(file):\(line): malformed scalars row"
        case let .unsafeManifestPath(manifest, path):
            return "\(manifest): names the file '\(path)', which is not inside the trace folder; "
                + "a manifest may only name relative paths within it, so the file is not opened"
        }
    }
}
