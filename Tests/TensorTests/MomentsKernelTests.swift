import XCTest
@testable import Tensor

/// `MomentsKernel`'s one pass about a shift: Σ(x − mean)² keeps its digits relative
/// to the spread itself (not only to Σx²), for values far from zero, for a piece whose
/// first values are unlike the rest (the second-pass fallback), and for ReLU-like data.
final class MomentsKernelTests: XCTestCase {
    private func assertDeviationsExact(_ values: [Float], _ message: String) {
        let doubles = values.map(Double.init)
        let mean = doubles.reduce(0, +) / Double(values.count)
        let deviations = doubles.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let m = values.withUnsafeBufferPointer { MomentsKernel.measure($0.baseAddress!, count: values.count) }
        XCTAssertEqual(m.squaredDeviations, deviations, accuracy: 1e-4 * deviations, message)
        XCTAssertEqual(m.sum / Double(values.count), mean, accuracy: 1e-4 * (deviations / Double(values.count)).squareRoot(),
                       message)
        XCTAssertEqual(m.sumOfSquares, doubles.reduce(0) { $0 + $1 * $1 }, accuracy: 1e-5 * m.sumOfSquares, message)
    }

    func testSpreadFarFromZeroKeepsItsDigits() {
        assertDeviationsExact((0..<4_099).map { Float(1000 + sin(Double($0)) * 0.01) }, "1000 ± 0.01")
    }

    func testFirstValuesUnlikeTheRestFallBackToASecondPass() {
        let values = (0..<5_000).map { $0 < 16 ? Float(100) : Float(sin(Double($0)) * 0.01) }
        assertDeviationsExact(values, "16 outliers first")
    }

    func testReLULikeValuesAndShortPieces() {
        let relu = (0..<21_632).map { Float(max(0, sin(Double($0) * 0.7) + 0.2)) }
        assertDeviationsExact(relu, "ReLU-like")
        assertDeviationsExact([3, 1, 4, 1, 5], "shorter than a vector")
        assertDeviationsExact((0..<37).map { Float($0 % 5) - 2 }, "a vector and a tail")
    }
}
