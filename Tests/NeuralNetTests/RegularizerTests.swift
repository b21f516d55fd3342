import XCTest
@testable import NeuralNet
import Tensor

final class RegularizerTests: XCTestCase {
    func testPenaltyAndGradientCoverOnlyDecayingParameters() {
        // λ = 0.01, weight [1, −2] decays, bias [3] does not:
        //   penalty = 0.01·(1 + 4) = 0.05;  weight gradient += 2·0.01·θ = [0.02, −0.04]; bias unchanged.
        let weight = Parameter(name: "d.weight", value: Tensor(shape: [2], scalars: [1, -2]), decays: true)
        let bias = Parameter(name: "d.bias", value: Tensor(shape: [1], scalars: [3]), decays: false)
        weight.gradient = Tensor(shape: [2], scalars: [0.5, 0.5])
        bias.gradient = Tensor(shape: [1], scalars: [0.5])
        let l2 = L2(lambda: 0.01)
        XCTAssertEqual(l2.penalty([weight, bias]), 0.05, accuracy: 1e-7)
        l2.addGradient(to: [weight, bias])
        assertElementsEqual(weight.gradient.scalars, [0.52, 0.46], accuracy: 1e-7)
        XCTAssertEqual(bias.gradient.scalars, [0.5])
    }

    func testGradientIsTheDerivativeOfThePenalty() {
        // d/dθ λθ² = 2λθ: nudging θ by h changes the penalty by ≈ 2λθ·h.
        let p = Parameter(name: "w", value: Tensor(shape: [1], scalars: [0.75]), decays: true)
        let l2 = L2(lambda: 0.2)
        l2.addGradient(to: [p])
        let before = l2.penalty([p])
        p.value.scalars[0] += 1e-3
        let slope = (l2.penalty([p]) - before) / 1e-3
        XCTAssertEqual(p.gradient.scalars[0], 0.3, accuracy: 1e-7)
        XCTAssertEqual(slope, 0.3, accuracy: 1e-3)
    }

    func testKerasDefaultFactor() {
        XCTAssertEqual(L2().lambda, 0.01)
    }
}
