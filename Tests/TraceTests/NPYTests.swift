import XCTest
import Tensor
@testable import Trace

final class NPYTests: XCTestCase {
    func testHeaderDescribesShapeAndDataStartsAt64ByteBoundary() {
        let tensor = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let data = NPY.encoded(tensor)
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertEqual(Array(data.prefix(8)), [0x93] + Array("NUMPY".utf8) + [1, 0])
        XCTAssertTrue(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        XCTAssertTrue(header.hasSuffix("\n"))
        XCTAssertEqual((10 + headerLength) % 64, 0)
        XCTAssertEqual(data.count, 10 + headerLength + 24)
        XCTAssertEqual(data.suffix(4), Data([0, 0, 0xC0, 0x40]))   // 6.0f little-endian
    }

    func testOneDimensionalShapeIsATupleWithComma() {
        let data = NPY.encoded(Tensor(shape: [3], scalars: [1, 2, 3]))
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("'shape': (3,), }"))
    }
}
