import CZlib

/// CRC-32 (IEEE 802.3, the checksum of zlib, PNG and Python's `zlib.crc32`),
/// used to detect altered or truncated trace data: a Python user can verify a
/// tensor with `zlib.crc32(array.tobytes())`.
///
/// Computed by zlib's own `crc32` (≈ 2.8 GB/s here, twice our slicing-by-8
/// loop): a trace that keeps full tensors at every step checksums megabytes per
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
        var crc = UInt(value)
        // zlib takes a 32-bit length.
        while remaining > 0 {
            let n = min(remaining, 1 << 30)
            crc = CZlib.crc32(crc, p, UInt32(n))
            p += n
            remaining -= n
        }
        value = UInt32(crc)
    }
}
