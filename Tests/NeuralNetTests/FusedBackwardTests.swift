import NeuralNet
import Tensor
import XCTest

/// `Sequential` sends a pooling's gradient through the ReLU of the convolution below it
/// in one pass (`MaxPool2D.backwardThroughRectifier`); the gradients must be bit for bit
/// those of the layers' own backward passes, one after the other.
final class FusedBackwardTests: XCTestCase {
    private func model(stride: Int) throws -> Sequential {
        try Sequential(inputShape: [12, 12, 3], seed: 5, [
            Conv2D(8, kernelSize: 3, activation: .relu), MaxPool2D(size: 2, stride: stride),
            Conv2D(16, kernelSize: 3, activation: .relu), MaxPool2D(size: 2), Flatten(), Dense(4),
        ])
    }

    private func gradients(stride: Int, fused: Bool) throws -> [[Float]] {
        let net = try model(stride: stride)
        var rng = RandomStream(seed: 9, name: "fused")
        // Some exact zeros and ties, where the ReLU's mask and the pooling's argmax decide.
        let x = Tensor(shape: [3, 12, 12, 3], scalars: (0..<(3 * 432)).map { i in
            i % 7 == 0 ? 0 : (rng.nextUniform() * 2 - 1).rounded(.toNearestOrEven) * 0.5 + rng.nextUniform() * 0.01
        })
        let y = try net.forward(x, context: ForwardContext(training: true))
        let dy = Tensor(shape: y.shape, scalars: (0..<y.count).map { Float($0 % 5) - 2 })
        var dx: Tensor?
        if fused {
            dx = net.backward(dy, inputGradient: true)
        } else {
            var g: Tensor? = dy
            for layer in net.layers.reversed() { g = layer.backward(g!, inputGradient: true) }
            dx = g
        }
        return net.parameters.map(\.gradient.scalars) + [dx!.scalars]
    }

    func testPoolingAndRectifierInOnePassGiveTheSameBits() throws {
        for stride in [2, 1] {
            let fused = try gradients(stride: stride, fused: true), plain = try gradients(stride: stride, fused: false)
            XCTAssertEqual(fused.count, plain.count)
            for (i, (a, b)) in zip(fused, plain).enumerated() {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "stride \(stride), gradient \(i)")
            }
        }
    }

    private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// Keeps every gradient it is given, through the protocol's default for patched tensors.
    private final class GradientCapture: Recorder {
        var gradients: [String: Tensor] = [:]
        func wants(_ kind: TensorKind) -> Bool { kind == .gradient }
        func record(_ kind: TensorKind, name: String, tensor: Tensor) { gradients[name] = tensor }
    }

    /// With a recorder that keeps dL/d(each layer's output), the pooling hands it dL/dx as
    /// patches of the dL/dz it sends on (tiling windows); what the recorder receives, and
    /// every gradient, are bit for bit those of the layers' own backward passes.
    func testRecordedGradientsThroughThePatchedPassAreTheScatters() throws {
        for stride in [2, 1] {
            let net = try model(stride: stride)
            let x = Tensor(shape: [3, 12, 12, 3], scalars: (0..<(3 * 432)).map { (i: Int) -> Float in
                i % 5 == 0 ? 0 : Float((i * 37) % 19) / 9 - 1
            })
            let capture = GradientCapture()
            let y = try net.forward(x, context: ForwardContext(training: true, recorder: capture))
            let dy = Tensor(shape: y.shape, scalars: (0..<y.count).map { Float($0 % 5) - 2 })
            let dx = try XCTUnwrap(net.backward(dy, inputGradient: true))
            let recorded = net.parameters.map(\.gradient.scalars) + [dx.scalars]
            // The same layers' own passes, one after the other, each output's gradient kept.
            var expected: [String: Tensor] = [:]
            var g = dy
            for layer in net.layers.reversed() {
                expected[layer.name] = g
                g = layer.backward(g, inputGradient: true)!
            }
            let plain = net.parameters.map(\.gradient.scalars) + [g.scalars]
            XCTAssertEqual(recorded.map(bits), plain.map(bits), "stride \(stride)")
            for layer in net.layers {
                let kept = try XCTUnwrap(capture.gradients[layer.name], layer.name)
                XCTAssertEqual(bits(kept.scalars), bits(expected[layer.name]!.scalars),
                               "dL/d(\(layer.name)), stride \(stride)")
            }
        }
    }
}
