#if _endian(big)
#error("safetensors data is little-endian; this codec copies host-order bytes")
#endif

/// The element types this codec reads and writes, spelled as in the safetensors
/// header (`"F32"`); tensors are `F32`, statistics also use `F64`, `I32`, `I64`.
public enum SafetensorsDType: String, Codable, Sendable, CaseIterable {
    case f32 = "F32"
    case f64 = "F64"
    case i32 = "I32"
    case i64 = "I64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f32, .i32: return 4
        case .f64, .i64: return 8
        }
    }
}
