import CISAL

/// CRC-32 (IEEE 802.3, the checksum of zlib, PNG and Python's `zlib.crc32`),
/// used to detect altered or truncated trace data: a Python user can verify a
/// tensor with `zlib.crc32(array.tobytes())`.
///
/// Computed by Intel's ISA-L (`crc32_gzip_refl`, the same function with carry-less
/// multiplication: 8.4 GB/s here against 1.9 for zlib's `crc32`, measured side by
/// side): a trace that keeps full tensors at every step checksums megabytes per
/// step, on a thread that competes with training for the cores.
public struct CRC32: Sendable {
    public private(set) var value: UInt32 = 0

    public init() {}

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Extends the checksum with `bytes`, as if they were appended to the input.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = bytes.count
        // ISA-L takes a 64-bit length; chunks keep the loop honest on any platform.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            value = crc32_gzip_refl(value, p, UInt64(n))
            p += n
            remaining -= n
        }
    }
}
