import XCTest
import Tensor

/// The SIMD, multi-block ReLU against its definition, on a length that leaves a
/// scalar tail and spans several parallel blocks; NaN and -0 included.
final class RectifierTests: XCTestCase {
    func testForwardAndGradientMatchTheDefinition() {
        var values = randomScalars(100_003, "relu")
        values[5] = -0.0
        values[77_777] = .nan
        let x = Tensor(shape: [values.count], scalars: values)
        var y = x
        y.rectifyInPlace()
        let dy = randomTensor([values.count], "relu-dy")
        let dx = dy.rectifierGradient(output: y)
        for i in values.indices where !values[i].isNaN {
            XCTAssertEqual(y.scalars[i], max(values[i], 0), "y[\(i)]")
            XCTAssertEqual(dx.scalars[i], values[i] > 0 ? dy.scalars[i] : 0, "dx[\(i)]")
        }
        XCTAssertEqual(dx.scalars[77_777], 0, "a NaN output passes no gradient")
    }
}
