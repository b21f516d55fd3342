import XCTest
import CZlib
@testable import Trace

final class CRC32Tests: XCTestCase {
    private func crc(_ text: String) -> UInt32 {
        Array(text.utf8).withUnsafeBytes(CRC32.checksum)
    }

    func testMatchesTheStandardCheckValues() {
        XCTAssertEqual(crc("123456789"), 0xCBF4_3926)
        XCTAssertEqual(crc(""), 0)
        XCTAssertEqual(crc("The quick brown fox jumps over the lazy dog"), 0x414F_A339)
    }

    /// ISA-L computes the checksum; zlib's `crc32` (Python's `zlib.crc32`) must agree,
    /// at every length around the 16-, 64- and 256-byte strides of a folding loop and
    /// from unaligned starts.
    func testEqualsZlibForEveryLengthAndAlignment() {
        var state: UInt32 = 12345
        let bytes = (0..<70_000).map { _ -> UInt8 in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
        let lengths = Array(0...300) + [1023, 1024, 1025, 4096, 65_537, 69_990]
        bytes.withUnsafeBytes { all in
            for start in [0, 1, 3, 7] {
                for length in lengths where start + length <= all.count {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + length)])
                    let zlib = UInt32(CZlib.crc32(0, slice.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                                  UInt32(length)))
                    XCTAssertEqual(CRC32.checksum(slice), zlib, "start \(start), length \(length)")
                }
            }
        }
    }

    func testUpdatingInPiecesEqualsOneChecksum() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var crc = CRC32()
        bytes[0..<13].withUnsafeBytes { crc.update($0) }
        bytes[13...].withUnsafeBytes { crc.update($0) }
        XCTAssertEqual(crc.value, bytes.withUnsafeBytes(CRC32.checksum))
    }
}
