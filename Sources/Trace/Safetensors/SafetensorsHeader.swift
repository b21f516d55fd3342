import Foundation

/// The validated JSON header of a safetensors file (see `SafetensorsFile` for the
/// rules). Parsing never allocates more than the header itself: shapes and
/// offsets are checked with overflow-safe arithmetic before anything is sized
/// from them.
struct SafetensorsHeader {
    var entries: [String: SafetensorsEntry] = [:]
    var metadata: [String: String] = [:]

    init(json: Data, file: String, dataSize: Int) throws {
        func malformed(_ reason: String) -> SafetensorsError {
            .malformedHeader(file: file, reason: reason)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: json) } catch {
            throw malformed("not valid JSON")
        }
        guard let fields = object as? [String: Any] else { throw malformed("not a JSON object") }
        for (name, value) in fields {
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any],
                      let strings = pairs as? [String: String], strings.count == pairs.count else {
                    throw malformed("__metadata__ must map strings to strings")
                }
                metadata = strings
            } else {
                entries[name] = try Self.entry(name, value, file: file, dataSize: dataSize)
            }
        }
        try Self.checkTiling(entries.values, file: file, dataSize: dataSize)
    }

    private static func entry(_ name: String, _ value: Any, file: String,
                              dataSize: Int) throws -> SafetensorsEntry {
        guard let fields = value as? [String: Any],
              let dtypeName = fields["dtype"] as? String,
              let shapeValues = fields["shape"] as? [Any],
              let offsetValues = fields["data_offsets"] as? [Any] else {
            throw SafetensorsError.malformedHeader(
                file: file, reason: "tensor '\(name)' needs dtype, shape and data_offsets")
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unknownDType(file: file, tensor: name, dtype: dtypeName)
        }
        guard let shape = nonNegativeInts(shapeValues),
              let count = checkedProduct(shape) else {
            throw SafetensorsError.invalidShape(file: file, tensor: name)
        }
        guard let offsets = nonNegativeInts(offsetValues), offsets.count == 2,
              offsets[0] <= offsets[1], offsets[1] <= dataSize else {
            let ints = nonNegativeInts(offsetValues) ?? []
            throw SafetensorsError.offsetsOutOfRange(
                file: file, tensor: name, begin: ints.first ?? -1, end: ints.last ?? -1, dataSize: dataSize)
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, bytes == offsets[1] - offsets[0] else {
            throw SafetensorsError.sizeMismatch(file: file, tensor: name, expected: overflow ? Int.max : bytes,
                                                actual: offsets[1] - offsets[0])
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, dataOffsets: offsets[0]..<offsets[1])
    }

    /// Tensors must tile [0, dataSize) exactly, in offset order (an empty tensor
    /// sorts before the tensor that starts where it sits).
    private static func checkTiling(_ entries: Dictionary<String, SafetensorsEntry>.Values,
                                    file: String, dataSize: Int) throws {
        var end = 0
        let ordered = entries.sorted {
            ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound, $0.name)
                < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound, $1.name)
        }
        for entry in ordered {
            guard entry.dataOffsets.lowerBound == end else {
                throw SafetensorsError.overlappingOrGap(file: file, tensor: entry.name)
            }
            end = entry.dataOffsets.upperBound
        }
        guard end == dataSize else {
            throw SafetensorsError.trailingBytes(file: file, covered: end, dataSize: dataSize)
        }
    }

    private static func nonNegativeInts(_ values: [Any]) -> [Int]? {
        var ints: [Int] = []
        for value in values {
            guard let number = value as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double >= 0, double < 9.0e18, double.rounded() == double else { return nil }
            ints.append(number.intValue)
        }
        return ints
    }

    private static func checkedProduct(_ shape: [Int]) -> Int? {
        var product = 1
        for dimension in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            product = next
        }
        return product
    }
}
