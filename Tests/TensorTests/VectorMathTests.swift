import Foundation
import XCTest
@testable import Tensor

/// The vector exp, σ and tanh against Foundation's, over their whole useful range.
final class VectorMathTests: XCTestCase {
    private func lanes(_ xs: [Float], _ f: (VectorMath.V) -> VectorMath.V) -> [Float] {
        stride(from: 0, to: xs.count, by: 8).flatMap { start -> [Float] in
            var v = VectorMath.V()
            for k in 0..<8 where start + k < xs.count { v[k] = xs[start + k] }
            let y = f(v)
            return (0..<min(8, xs.count - start)).map { y[$0] }
        }
    }

    func testExpIsWithinTwoUlpsFromMinus87To88() {
        let xs = (0...35_000).map { Float(-87) + Float($0) * 0.005 }
        for (x, y) in zip(xs, lanes(xs, VectorMath.exp)) {
            let exact = Foundation.exp(Double(x))
            XCTAssertLessThanOrEqual(abs(Double(y) - exact) / exact, 2.5e-7, "exp(\(x))")
        }
        XCTAssertEqual(lanes([0], VectorMath.exp), [1])
    }

    func testSigmoidAndTanhAreWithin2e7Everywhere() {
        let xs = (0...40_000).map { Float(-100) + Float($0) * 0.005 }
        var worstSigmoid: Double = 0, worstTanh: Double = 0
        for (x, (s, t)) in zip(xs, zip(lanes(xs, VectorMath.sigmoid), lanes(xs, VectorMath.tanh))) {
            worstSigmoid = max(worstSigmoid, abs(Double(s) - 1 / (1 + Foundation.exp(-Double(x)))))
            worstTanh = max(worstTanh, abs(Double(t) - Foundation.tanh(Double(x))))
        }
        XCTAssertLessThan(worstSigmoid, 2e-7)
        XCTAssertLessThan(worstTanh, 2e-7)
        let saturated = lanes([-1000, 1000], VectorMath.sigmoid)
        XCTAssertLessThan(saturated[0], 1e-37, "saturates without overflow")
        XCTAssertEqual(saturated[1], 1)
        XCTAssertEqual(lanes([-1000, 1000], VectorMath.tanh), [-1, 1])
        XCTAssertEqual(VectorMath.tanh(Float(0.3)), lanes([0.3], VectorMath.tanh)[0], "the scalar path is lane 0")
    }
}
