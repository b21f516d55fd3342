import XCTest
@testable import Tensor

/// The time-major layout of the recurrent layers and its kernel, `AxisSwap`, against
/// the element-by-element reference.
final class SequenceLayoutTests: XCTestCase {
    func testAxisSwapMatchesTheReferenceForRowsAndSingleValues() {
        for (outer, inner, width) in [(3, 5, 4), (2, 7, 1), (1, 3, 2), (4, 1, 3)] {
            let x = (0..<(outer * inner * width)).map { Float($0) }
            XCTAssertEqual(AxisSwap.swapped(x, outer: outer, inner: inner, width: width),
                           ReferenceKernels.axisSwap(x, outer: outer, inner: inner, width: width))
        }
    }

    func testTimeMajorRowsAndBatchMajorAreInverse() {
        let x = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        let rows = x.timeMajorRows()
        // Row t·B + b is step t of sequence b.
        XCTAssertEqual(rows, Tensor(shape: [6, 2], scalars: [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11]))
        XCTAssertEqual(rows.batchMajor(batch: 2, time: 3), x)
    }
}
