import XCTest
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

    func testUpdatingInPiecesEqualsOneChecksum() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var crc = CRC32()
        bytes[0..<13].withUnsafeBytes { crc.update($0) }
        bytes[13...].withUnsafeBytes { crc.update($0) }
        XCTAssertEqual(crc.value, bytes.withUnsafeBytes(CRC32.checksum))
    }
}
