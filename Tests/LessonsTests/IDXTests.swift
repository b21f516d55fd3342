import Foundation
import XCTest
@testable import Lessons

final class IDXTests: XCTestCase {
    /// Two 3×2 images whose bytes cover 0, 255 and values in between.
    private let pixels: [[UInt8]] = [[0, 255, 51, 102, 1, 254], [128, 127, 7, 0, 200, 13]]

    private func expectedImage(_ bytes: [[UInt8]]) -> [Float] {
        bytes.flatMap { $0 }.map { Float($0) / 255 }
    }

    // MARK: reading

    func testRawImagesReadAsNHWCFloatsDividedBy255() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.write(IDXFixtures.images(pixels, rows: 3, columns: 2),
                                        to: folder.appendingPathComponent("images-idx3-ubyte"))
        let images = try IDXFile.images(at: url)
        XCTAssertEqual(images.shape, [2, 3, 2, 1])
        XCTAssertEqual(images.scalars, expectedImage(pixels))
        XCTAssertEqual(images[1, 0, 0, 0], 128 / 255)
    }

    func testGzipIsRecognisedByItsMagicNotByItsName() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let bytes = IDXFixtures.images(pixels, rows: 3, columns: 2)
        let gzipWithoutSuffix = try IDXFixtures.writeGzip(bytes, to: folder.appendingPathComponent("images"))
        let rawWithSuffix = try IDXFixtures.write(bytes, to: folder.appendingPathComponent("raw.gz"))

        XCTAssertEqual(try IDXFile.images(at: gzipWithoutSuffix).scalars, expectedImage(pixels))
        XCTAssertEqual(try IDXFile.images(at: rawWithSuffix).scalars, expectedImage(pixels))
        for (url, isGzip) in [(gzipWithoutSuffix, true), (rawWithSuffix, false)] {
            let file = try GzipFile(url)
            XCTAssertEqual(try file.read(upTo: 4), [0, 0, 8, 3])
            XCTAssertEqual(file.isCompressed, isGzip, url.lastPathComponent)
        }
    }

    func testLabelsReadAsIntegersRawAndGzip() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let labels: [UInt8] = [7, 0, 9, 3, 3]
        let raw = try IDXFixtures.write(IDXFixtures.labels(labels), to: folder.appendingPathComponent("l"))
        let gzip = try IDXFixtures.writeGzip(IDXFixtures.labels(labels), to: folder.appendingPathComponent("l.gz"))
        XCTAssertEqual(try IDXFile.labels(at: raw, classCount: 10), [7, 0, 9, 3, 3])
        XCTAssertEqual(try IDXFile.labels(at: gzip, classCount: 10), [7, 0, 9, 3, 3])
    }

    func testHeaderDimensionsAreBigEndian() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let payload = [UInt8](repeating: 1, count: 300 * 2)
        let url = try IDXFixtures.write(IDXFixtures.idx(magic: IDXFixtures.imagesMagic, dimensions: [1, 300, 2],
                                                        payload: payload),
                                        to: folder.appendingPathComponent("wide"))
        XCTAssertEqual(try IDXFile(contentsOf: url, dimensionCount: 3).dimensions, [1, 300, 2])
    }

    // MARK: bad files

    func testMissingFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/train-images-idx3-ubyte.gz")
        XCTAssertThrowsIDXError(try IDXFile.images(at: url), .missingFile(url), mentioning: url)
    }

    func testLabelsFileReadAsImagesHasWrongMagic() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.write(IDXFixtures.labels([1, 2]), to: folder.appendingPathComponent("labels"))
        XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                .wrongMagic(url, expected: 0x0000_0803, found: 0x0000_0801), mentioning: url)
        XCTAssertThrowsError(try IDXFile.images(at: url)) { error in
            XCTAssertTrue("\(error)".contains("0x00000801"), "\(error) should show the magic found")
        }
    }

    func testNonIDXFileShowsTheBytesFound() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 20)
        let url = try IDXFixtures.write(png, to: folder.appendingPathComponent("digit.png"))
        XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                .wrongMagic(url, expected: 0x0000_0803, found: 0x8950_4E47), mentioning: url)
    }

    func testFloatElementsAreAnUnsupportedDataType() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.write(IDXFixtures.idx(magic: 0x0000_0D03, dimensions: [1, 1, 1],
                                                        payload: [0, 0, 0, 0]),
                                        to: folder.appendingPathComponent("floats"))
        XCTAssertThrowsIDXError(try IDXFile.images(at: url), .unsupportedDataType(url, code: 0x0D), mentioning: url)
    }

    func testTruncatedHeaderSaysHowManyBytesWereFound() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let header = Array(IDXFixtures.images(pixels, rows: 3, columns: 2).prefix(9))
        let url = try IDXFixtures.write(header, to: folder.appendingPathComponent("short"))
        XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                .truncated(url, expectedBytes: 16, foundBytes: 9), mentioning: url)
        let twoBytes = try IDXFixtures.write([0, 0], to: folder.appendingPathComponent("tiny"))
        XCTAssertThrowsIDXError(try IDXFile.labels(at: twoBytes, classCount: 10),
                                .truncated(twoBytes, expectedBytes: 8, foundBytes: 2), mentioning: twoBytes)
    }

    func testTruncatedDataSaysHowManyBytesWereExpected() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let bytes = Array(IDXFixtures.images(pixels, rows: 3, columns: 2).dropLast(5))
        let raw = try IDXFixtures.write(bytes, to: folder.appendingPathComponent("raw"))
        let gzip = try IDXFixtures.writeGzip(bytes, to: folder.appendingPathComponent("gz"))
        for url in [raw, gzip] {
            XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                    .truncated(url, expectedBytes: 28, foundBytes: 23), mentioning: url)
        }
    }

    func testBytesBeyondTheDeclaredSizeAreRejected() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.write(IDXFixtures.labels([1, 2]) + [3],
                                        to: folder.appendingPathComponent("long"))
        XCTAssertThrowsIDXError(try IDXFile.labels(at: url, classCount: 10),
                                .trailingData(url, expectedBytes: 10), mentioning: url)
    }

    func testHeaderDeclaringHugeDataIsRefusedBeforeReading() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.write(IDXFixtures.idx(magic: IDXFixtures.imagesMagic,
                                                        dimensions: [4_000_000_000, 60_000, 60_000], payload: []),
                                        to: folder.appendingPathComponent("huge"))
        XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                .tooLarge(url, dimensions: [4_000_000_000, 60_000, 60_000],
                                          limit: IDXFile.defaultByteLimit),
                                mentioning: url)
        let small = try IDXFixtures.write(IDXFixtures.images(pixels, rows: 3, columns: 2),
                                          to: folder.appendingPathComponent("small"))
        XCTAssertThrowsIDXError(try IDXFile.images(at: small, byteLimit: 11),
                                .tooLarge(small, dimensions: [2, 3, 2], limit: 11), mentioning: small)
    }

    func testInvalidDeflateBlockIsCorruptGzip() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.writeGzip(IDXFixtures.images(pixels, rows: 3, columns: 2),
                                            to: folder.appendingPathComponent("bad-block.gz"))
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[10] |= 0b110  // the first deflate block's type becomes 3, which deflate reserves
        try IDXFixtures.write(bytes, to: url)
        XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                .corruptGzip(url, reason: "invalid block type"), mentioning: url)
    }

    func testChecksumMismatchIsCorruptGzip() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.writeGzip(IDXFixtures.images(pixels, rows: 3, columns: 2),
                                            to: folder.appendingPathComponent("bad-crc.gz"))
        var bytes = [UInt8](try Data(contentsOf: url))
        bytes[bytes.count - 8] ^= 0xFF  // the trailer's CRC-32 of the inflated data
        try IDXFixtures.write(bytes, to: url)
        XCTAssertThrowsIDXError(try IDXFile.images(at: url),
                                .corruptGzip(url, reason: "incorrect data check"), mentioning: url)
    }

    func testGzipCutShortIsCorruptGzip() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.writeGzip(IDXFixtures.images(pixels, rows: 3, columns: 2),
                                            to: folder.appendingPathComponent("cut.gz"))
        let bytes = [UInt8](try Data(contentsOf: url))
        try IDXFixtures.write(Array(bytes.dropLast(12)), to: url)
        XCTAssertThrowsError(try IDXFile.images(at: url)) { error in
            guard case .corruptGzip(url, let reason)? = error as? IDXError else {
                return XCTFail("\(error) is not corruptGzip of \(url.path)")
            }
            XCTAssertTrue(reason.contains("cut short"), reason)
        }
    }

    func testLabelOutsideTheClassesIsNamedWithItsIndex() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        let url = try IDXFixtures.write(IDXFixtures.labels([3, 9, 12, 4]), to: folder.appendingPathComponent("l"))
        XCTAssertThrowsIDXError(try IDXFile.labels(at: url, classCount: 10),
                                .labelOutOfRange(url, index: 2, label: 12, classCount: 10), mentioning: url)
    }
}
