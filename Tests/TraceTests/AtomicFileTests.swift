import XCTest
@testable import Trace

final class AtomicFileTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try makeTemporaryDirectory("atomic-file") }
    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    /// Space reserved up front never shows in the file: a body that writes less than the size
    /// it announced leaves exactly its bytes (no zeros after them), and one that writes more
    /// leaves all of them.
    func testReservedSizeLeavesTheFileAsWritten() throws {
        for (reserved, written) in [(1 << 20, 10), (4096, 4096), (8, 5000)] {
            let url = directory.appendingPathComponent("file-\(reserved)-\(written)")
            let bytes = Data((0..<written).map { UInt8(truncatingIfNeeded: $0 * 7 + 1) })
            try AtomicFile.write(to: url, size: reserved) { append in
                try bytes.prefix(written / 2).withUnsafeBytes(append)
                try bytes.dropFirst(written / 2).withUnsafeBytes(append)
            }
            XCTAssertEqual(try Data(contentsOf: url), bytes, "reserved \(reserved), wrote \(written)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: url.path + AtomicFile.temporarySuffix))
        }
    }

    /// A body that fails leaves neither the file nor its reserved temporary behind.
    func testFailedBodyLeavesNothing() throws {
        struct Refused: Error {}
        let url = directory.appendingPathComponent("refused")
        XCTAssertThrowsError(try AtomicFile.write(to: url, size: 1 << 20) { append in
            try Data([1, 2, 3]).withUnsafeBytes(append)
            throw Refused()
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [])
    }
}
