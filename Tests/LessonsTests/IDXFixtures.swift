import CZlib
import Foundation
import XCTest
@testable import Lessons

/// Builders for the small IDX files the tests write: each test states its
/// bytes, so a reader bug cannot hide behind a writer with the same bug.
enum IDXFixtures {
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801

    /// Magic, big-endian dimensions, then the payload.
    static func idx(magic: UInt32, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
        ([magic] + dimensions.map(UInt32.init)).flatMap { word in
            [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: word >> $0) }
        } + payload
    }

    static func images(_ pixels: [[UInt8]], rows: Int, columns: Int) -> [UInt8] {
        idx(magic: imagesMagic, dimensions: [pixels.count, rows, columns], payload: pixels.flatMap { $0 })
    }

    static func labels(_ labels: [UInt8]) -> [UInt8] {
        idx(magic: labelsMagic, dimensions: [labels.count], payload: labels)
    }

    /// A fresh empty folder, removed when the test ends.
    static func temporaryFolder(for test: XCTestCase) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("learn-idx-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    @discardableResult
    static func write(_ bytes: [UInt8], to url: URL) throws -> URL {
        try Data(bytes).write(to: url)
        return url
    }

    /// Writes `bytes` gzip-compressed with zlib, whatever the file is called.
    @discardableResult
    static func writeGzip(_ bytes: [UInt8], to url: URL) throws -> URL {
        let file = try XCTUnwrap(gzopen(url.path, "wb9"))
        let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        XCTAssertEqual(Int(written), bytes.count)
        XCTAssertEqual(gzclose(file), Z_OK)
        return url
    }

    /// The repository checkout these tests belong to.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Asserts that `expression` throws exactly `expected`, and that its message
/// names the file (`mentioning`), which is what the user needs to act on it.
func XCTAssertThrowsIDXError<T>(_ expression: @autoclosure () throws -> T, _ expected: IDXError,
                                mentioning file: URL, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), line: line) { error in
        XCTAssertEqual(error as? IDXError, expected, line: line)
        XCTAssertTrue("\(error)".contains(file.path), "\"\(error)\" does not name \(file.path)", line: line)
    }
}
