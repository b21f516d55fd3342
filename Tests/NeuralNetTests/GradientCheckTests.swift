import XCTest
import Tensor
@testable import NeuralNet

/// The finite-difference checker itself: it must reject a backward pass that is only
/// slightly wrong, or the layer tests that rely on it prove little.
final class GradientCheckTests: XCTestCase {
    /// A real layer whose backward pass is off by `factor` in one place: its input
    /// gradient, or the gradient of the parameter named `parameter`.
    private final class MisscaledGradient: Layer {
        let wrapped: Layer
        let factor: Float
        let parameter: String?

        init(_ wrapped: Layer, factor: Float, parameter: String?) {
            self.wrapped = wrapped
            self.factor = factor
            self.parameter = parameter
        }

        var name: String {
            get { wrapped.name }
            set { wrapped.name = newValue }
        }
        var kind: String { wrapped.kind }
        var parameters: [Parameter] { wrapped.parameters }
        func build(inputShape: [Int], seed: UInt64) throws -> [Int] { try wrapped.build(inputShape: inputShape, seed: seed) }
        func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor { try wrapped.forward(x, context: context) }

        func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor? {
            let dx = wrapped.backward(dy, inputGradient: inputGradient)
            guard let parameter else { return dx.map(scaled) }
            let p = wrapped.parameters.first { $0.name == parameter }!
            p.gradient = scaled(p.gradient)
            return dx
        }

        private func scaled(_ t: Tensor) -> Tensor { Tensor(shape: t.shape, scalars: t.scalars.map { $0 * factor }) }
    }

    /// Dense and Conv2D as `LayerGradientTests` checks them, with an input batch.
    private func layers() throws -> [(layer: Layer, input: Tensor)] {
        let cases: [(Layer, [Int], [Int])] = [
            (Dense(5, name: "dense"), [4], [3, 4]),
            (Dense(3, activation: .tanh, name: "dense_tanh"), [4], [2, 4]),
            (Conv2D(3, kernelSize: 3, name: "conv"), [6, 5, 2], [2, 6, 5, 2]),
            (Conv2D(4, kernelSize: 2, activation: .sigmoid, name: "conv_sigmoid"), [5, 5, 1], [1, 5, 5, 1]),
        ]
        return try cases.map { layer, inputShape, batch in
            _ = try layer.build(inputShape: inputShape, seed: 7)
            return (layer, GradientCheck.randomTensor(batch, "x"))
        }
    }

    func testCheckerAcceptsTheRealDenseAndConv2DWellWithinItsTolerance() throws {
        for (layer, x) in try layers() {
            let report = try GradientCheck.measure(layer, input: x)
            XCTAssertEqual(report.failures().map(\.description), [], layer.name)
            XCTAssertLessThan(report.worstRelativeError, GradientCheck.tolerance / 2, layer.name)
        }
    }

    func testCheckerRejectsAGradientOnePercentOrHalfAPercentWrong() throws {
        for factor: Float in [1.01, 1.005, 0.995] {
            for (layer, x) in try layers() {
                for target in [nil] + layer.parameters.map(\.name) {
                    let wrong = MisscaledGradient(layer, factor: factor, parameter: target)
                    let failures = try GradientCheck.measure(wrong, input: x).failures()
                    let quantity = target.map { "dL/d\($0)," } ?? "\(layer.name) dL/dx,"
                    XCTAssertFalse(failures.isEmpty, "\(quantity) scaled by \(factor) passed the check")
                    XCTAssert(failures.allSatisfy { $0.quantity.hasPrefix(quantity) },
                              "only \(quantity) is wrong, yet \(failures.map(\.quantity)) failed")
                }
            }
        }
    }

    func testRichardsonExtrapolationCancelsTheStepSquaredTerm() {
        // L(t) = sin(t): D(h) = sin(h)/h = 1 − h²/6 + …, R = 1 + O(h⁴).
        let h: Float = 1.0 / 16
        let estimate = GradientCheck.derivative(step: h) { t in (sin(Double(t)), 1) }
        let central = sin(Double(h)) / Double(h)
        XCTAssertGreaterThan(abs(central - 1), 5e-4)
        XCTAssertLessThan(abs(estimate.value - 1), 1e-6)
    }
}
