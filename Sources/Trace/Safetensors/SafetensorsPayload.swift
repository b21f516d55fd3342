import Foundation

/// The elements of one tensor in a safetensors file, in one of the supported
/// dtypes. Arrays are copy-on-write, so holding a payload until it is encoded
/// costs no copy.
public enum SafetensorsPayload: Equatable, Sendable {
    case f32([Float])
    case f64([Double])
    case i32([Int32])
    case i64([Int64])

    public var dtype: SafetensorsDType {
        switch self {
        case .f32: return .f32
        case .f64: return .f64
        case .i32: return .i32
        case .i64: return .i64
        }
    }

    public var count: Int {
        switch self {
        case let .f32(v): return v.count
        case let .f64(v): return v.count
        case let .i32(v): return v.count
        case let .i64(v): return v.count
        }
    }

    /// Calls `body` with the raw little-endian bytes of the elements.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch self {
        case let .f32(v): return try v.withUnsafeBytes(body)
        case let .f64(v): return try v.withUnsafeBytes(body)
        case let .i32(v): return try v.withUnsafeBytes(body)
        case let .i64(v): return try v.withUnsafeBytes(body)
        }
    }

    /// Decodes `bytes` (whose length is a multiple of the dtype's size) as `dtype`.
    public init(dtype: SafetensorsDType, bytes: Data) {
        switch dtype {
        case .f32: self = .f32(Self.elements(bytes, as: Float.self))
        case .f64: self = .f64(Self.elements(bytes, as: Double.self))
        case .i32: self = .i32(Self.elements(bytes, as: Int32.self))
        case .i64: self = .i64(Self.elements(bytes, as: Int64.self))
        }
    }

    private static func elements<T>(_ bytes: Data, as: T.Type) -> [T] {
        let count = bytes.count / MemoryLayout<T>.stride
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = bytes.copyBytes(to: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}
