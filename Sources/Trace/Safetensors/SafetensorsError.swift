/// Why a safetensors file could not be read or written. Every case names the
/// file, so a message printed by the command line says which file is bad.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case tooShort(file: String, size: Int)
    case headerTooLarge(file: String, length: UInt64, limit: Int)
    case headerBeyondFile(file: String, length: UInt64, fileSize: Int)
    case malformedHeader(file: String, reason: String)
    case unknownDType(file: String, tensor: String, dtype: String)
    case invalidShape(file: String, tensor: String)
    case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    case sizeMismatch(file: String, tensor: String, expected: Int, actual: Int)
    case overlappingOrGap(file: String, tensor: String)
    case trailingBytes(file: String, covered: Int, dataSize: Int)
    case missingTensor(file: String, tensor: String)
    case wrongDType(file: String, tensor: String, expected: SafetensorsDType, actual: SafetensorsDType)
    case truncated(file: String, tensor: String)
    case duplicateName(tensor: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read (\(reason))"
        case let .tooShort(file, size):
            return "\(file): \(size) bytes is too short for a safetensors file (needs 8-byte header length)"
        case let .headerTooLarge(file, length, limit):
            return "\(file): header length \(length) exceeds the limit of \(limit) bytes"
        case let .headerBeyondFile(file, length, fileSize):
            return "\(file): header length \(length) runs past the end of the \(fileSize)-byte file"
        case let .malformedHeader(file, reason):
            return "\(file): malformed header: \(reason)"
        case let .unknownDType(file, tensor, dtype):
            return "\(file): tensor '\(tensor)' has unsupported dtype '\(dtype)'"
        case let .invalidShape(file, tensor):
            return "\(file): tensor '\(tensor)' has an invalid shape"
        case let .offsetsOutOfRange(file, tensor, begin, end, dataSize):
            return "\(file): tensor '\(tensor)' offsets [\(begin), \(end)) are outside the \(dataSize)-byte data section"
        case let .sizeMismatch(file, tensor, expected, actual):
            return "\(file): tensor '\(tensor)' needs \(expected) bytes for its dtype and shape, offsets give \(actual)"
        case let .overlappingOrGap(file, tensor):
            return "\(file): tensor '\(tensor)' overlaps another tensor or leaves a gap before it"
        case let .trailingBytes(file, covered, dataSize):
            return "\(file): tensors cover \(covered) of \(dataSize) data bytes (truncated or padded file)"
        case let .missingTensor(file, tensor):
            return "\(file): no tensor named '\(tensor)'"
        case let .wrongDType(file, tensor, expected, actual):
            return "\(file): tensor '\(tensor)' is \(actual.rawValue), expected \(expected.rawValue)"
        case let .truncated(file, tensor):
            return "\(file): data of tensor '\(tensor)' ends early (file truncated)"
        case let .duplicateName(tensor):
            return "tensor name '\(tensor)' added twice"
        }
    }
}
