import XCTest
import Tensor
@testable import NeuralNet

/// Every layer's backward pass against finite differences.
final class LayerGradientTests: XCTestCase {
    private func built(_ layer: Layer, _ inputShape: [Int]) throws -> Layer {
        layer.name = layer.name.isEmpty ? "layer" : layer.name
        _ = try layer.build(inputShape: inputShape, seed: 7)
        return layer
    }

    private func input(_ shape: [Int]) -> Tensor { GradientCheck.randomTensor(shape, "x") }

    /// Steps for layers with kinks. Where a probe at ±h or ±2h crosses ReLU's kink at 0
    /// or changes which element of a max-pool window is largest, the difference
    /// measures an average of two slopes, not the derivative. With inputs ~ N(0, 1):
    /// ReLU's 36 inputs stay on their side at 2⁻⁸; max-pool, whose 3×3 windows hold
    /// nine values close together, needs 2⁻¹², and so do networks with a max-pool,
    /// where a perturbation of every weight moves every window at once. The rounding
    /// resolution grows as 1/h, so these checks allow more where derivatives are small.
    static let reluStep: Float = 1.0 / 256
    static let maxPoolStep: Float = 1.0 / 4096

    func testDenseGradientMatchesFiniteDifferences() throws {
        try GradientCheck.check(try built(Dense(5), [4]), input: input([3, 4]))
        try GradientCheck.check(try built(Dense(3, activation: .tanh), [4]), input: input([2, 4]))
    }

    func testConv2DGradientMatchesFiniteDifferences() throws {
        try GradientCheck.check(try built(Conv2D(3, kernelSize: 3), [6, 5, 2]), input: input([2, 6, 5, 2]))
        try GradientCheck.check(try built(Conv2D(2, kernelSize: 3, stride: 2, padding: .same), [7, 6, 3]),
                                input: input([2, 7, 6, 3]))
        try GradientCheck.check(try built(Conv2D(4, kernelSize: 2, activation: .sigmoid), [5, 5, 1]),
                                input: input([1, 5, 5, 1]))
    }

    func testMaxPool2DGradientMatchesFiniteDifferences() throws {
        try GradientCheck.check(try built(MaxPool2D(size: 2), [6, 7, 3]), input: input([2, 6, 7, 3]), step: Self.maxPoolStep)
        try GradientCheck.check(try built(MaxPool2D(size: 3, stride: 2), [7, 7, 2]), input: input([1, 7, 7, 2]),
                                step: Self.maxPoolStep)
    }

    func testFlattenGradientIsTheInverseReshape() throws {
        try GradientCheck.check(try built(Flatten(), [3, 2, 2]), input: input([2, 3, 2, 2]))
    }

    func testReshapeGradientIsTheReshapeBack() throws {
        try GradientCheck.check(try built(Reshape([3, 2, 2]), [12]), input: input([2, 12]))
        XCTAssertThrowsError(try built(Reshape([28, 28, 1]), [700])) { error in
            XCTAssertTrue("\(error)".contains("700 values per example cannot be reshaped to [28, 28, 1] (784 values)"),
                          "\(error)")
        }
    }

    func testDropoutGradientUsesTheSameMask() throws {
        try GradientCheck.check(try built(Dropout(rate: 0.5), [20]), input: input([3, 20]))
    }

    func testActivationGradientsMatchFiniteDifferences() throws {
        for activation in [Activation.sigmoid, .tanh, .linear] {
            try GradientCheck.check(try built(ActivationLayer(activation), [9]), input: input([4, 9]))
        }
        for activation in [Activation.relu, .leakyReLU(alpha: 0.2)] {
            try GradientCheck.check(try built(ActivationLayer(activation), [9]), input: input([4, 9]), step: Self.reluStep)
        }
        try GradientCheck.check(try built(SoftmaxLayer(), [6]), input: input([3, 6]))
    }

    func testResidualGradientIncludesTheSkipPath() throws {
        let block = Residual([Dense(4, activation: .tanh), Dense(4)], name: "res1")
        try GradientCheck.check(try built(block, [4]), input: input([2, 4]))
        XCTAssertEqual(block.parameters.map(\.name),
                       ["res1.dense1.weight", "res1.dense1.bias", "res1.dense2.weight", "res1.dense2.bias"])
    }

    // Smooth activations here: with ReLU, a perturbation of every weight at once
    // flips some units across the kink and the finite difference stops measuring
    // the derivative (ReLU and max-pool are checked on their own above). The max-pool
    // still needs its step.
    func testSmallCNNGradientMatchesFiniteDifferences() throws {
        let model = Sequential([
            Conv2D(4, kernelSize: 3, padding: .same, activation: .tanh), MaxPool2D(size: 2),
            Conv2D(3, kernelSize: 2, activation: .sigmoid), Flatten(), Dense(5, activation: .tanh), Dense(3),
        ])
        _ = try model.build(inputShape: [8, 8, 1], seed: 3)
        try GradientCheck.check(model, input: input([2, 8, 8, 1]), step: Self.maxPoolStep)
    }
}
