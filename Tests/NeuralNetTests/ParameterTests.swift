import XCTest
@testable import NeuralNet
import Tensor
final class ParameterTests: XCTestCase {
    func testGradientStartsAsZerosOfSameShape() {
        let p = Parameter(name: "d.weight", value: Tensor(shape: [2, 3], repeating: 1), decays: true)
        XCTAssertEqual(p.gradient, Tensor(shape: [2, 3]))
    }
}
