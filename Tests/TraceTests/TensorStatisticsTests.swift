import XCTest
@testable import Trace

final class TensorStatisticsTests: XCTestCase {
    func testFourValuesByHand() {
        let s = TensorStatistics(of: [1, 2, 3, 4])
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.std, 1.25.squareRoot(), accuracy: 1e-12)   // ((1.5² + 0.5²) · 2 / 4)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 4)
        XCTAssertEqual(s.l2, 30.0.squareRoot(), accuracy: 1e-12)    // 1 + 4 + 9 + 16
        XCTAssertEqual(s.nonFinite, 0)
        // bin = ⌊(x − 1) / 3 · 32⌋: 0, 10, 21, and 4 = max lands in the last bin.
        var expected = [Int32](repeating: 0, count: 32)
        for bin in [0, 10, 21, 31] { expected[bin] = 1 }
        XCTAssertEqual(s.histogram, expected)
    }

    func testLargeTensorMatchesDoublePrecisionReference() {
        // 10 007 elements: several SIMD blocks and a ragged tail.
        let values = (0..<10_007).map { Float(sin(Double($0) * 0.013) * 3 + 0.5) }
        let s = TensorStatistics(of: values)
        let doubles = values.map(Double.init)
        let mean = doubles.reduce(0, +) / Double(values.count)
        let variance = doubles.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        let low = doubles.min()!, high = doubles.max()!
        var histogram = [Int32](repeating: 0, count: 32)
        for v in doubles { histogram[min(Int((v - low) / (high - low) * 32), 31)] += 1 }

        XCTAssertEqual(s.mean, mean, accuracy: 1e-6)
        XCTAssertEqual(s.std, variance.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(s.l2, doubles.map { $0 * $0 }.reduce(0, +).squareRoot(), accuracy: 1e-3)
        XCTAssertEqual(s.min, low)
        XCTAssertEqual(s.max, high)
        XCTAssertEqual(s.histogram.reduce(0, +), 10_007)
        // Float and Double bin edges may disagree for a value on an edge; allow one move.
        XCTAssertLessThanOrEqual(zip(s.histogram, histogram).map { abs(Int($0) - Int($1)) }.reduce(0, +), 2)
    }

    func testHugeTensorHistogramCountsAnEvenlyStridedSample() {
        // 200 000 elements: stride ⌈200000 / 65536⌉ = 4, so elements 0, 4, 8, ... are binned.
        let values = (0..<200_000).map { Float($0 % 8) }   // every 4th element is 0 or 4
        let s = TensorStatistics(of: values)
        XCTAssertEqual(s.histogram.reduce(0, +), 50_000)
        XCTAssertEqual(s.histogram[0], 25_000)
        XCTAssertEqual(s.histogram[Int(4.0 / 7.0 * 32)], 25_000)
        XCTAssertEqual(s.mean, 3.5, accuracy: 1e-9, "moments still cover every element")
        XCTAssertEqual(s.max, 7)
    }

    func testNonFiniteValuesAreCountedAndLeftOut() {
        let s = TensorStatistics(of: [1, .nan, 3, .infinity, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29])
        XCTAssertEqual(s.count, 17)
        XCTAssertEqual(s.nonFinite, 2)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 29)
        XCTAssertEqual(s.mean, 225.0 / 15)
        XCTAssertEqual(s.histogram.reduce(0, +), 15)
    }

    func testConstantTensorPutsEverythingInTheFirstBin() {
        let s = TensorStatistics(of: [Float](repeating: 2, count: 40))
        XCTAssertEqual(s.std, 0)
        XCTAssertEqual(s.histogram[0], 40)
        XCTAssertEqual(s.histogram.reduce(0, +), 40)
    }

    func testEmptyTensorHasZeroStatistics() {
        let s = TensorStatistics(of: [])
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(s.histogram, [Int32](repeating: 0, count: 32))
    }
}
