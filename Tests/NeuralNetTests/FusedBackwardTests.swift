import NeuralNet
import Tensor
import XCTest

/// `Sequential` sends a pooling's gradient through the ReLU of the convolution below it
/// in one pass (`MaxPool2D.backwardThroughRectifier`), with the convolution's parameter
/// gradients where they fuse, after a forward pass that runs the convolution and the
/// pooling as one where it can (`Conv2D.forwardPooledForBackward`); the gradients must be
/// bit for bit those of the layers' own passes, one after the other.
final class FusedBackwardTests: XCTestCase {
    /// With one input channel the first convolution takes the im2col route, whose forward
    /// pass fuses with the pooling.
    private func model(stride: Int, channels: Int = 3) throws -> Sequential {
        try Sequential(inputShape: [12, 12, channels], seed: 5, [
            Conv2D(8, kernelSize: 3, activation: .relu), MaxPool2D(size: 2, stride: stride),
            Conv2D(16, kernelSize: 3, activation: .relu), MaxPool2D(size: 2), Flatten(), Dense(4),
        ])
    }

    private func gradients(stride: Int, fused: Bool, inputGradient: Bool = true, channels: Int = 3) throws -> [[Float]] {
        let net = try model(stride: stride, channels: channels)
        var rng = RandomStream(seed: 9, name: "fused")
        // Some exact zeros and ties, where the ReLU's mask and the pooling's argmax decide.
        let x = Tensor(shape: [3, 12, 12, channels], scalars: (0..<(3 * 144 * channels)).map { i in
            i % 7 == 0 ? 0 : (rng.nextUniform() * 2 - 1).rounded(.toNearestOrEven) * 0.5 + rng.nextUniform() * 0.01
        })
        let y = fused ? try net.forward(x, context: ForwardContext(training: true)) : try layerByLayer(net, x)
        let dy = Tensor(shape: y.shape, scalars: (0..<y.count).map { Float($0 % 5) - 2 })
        var dx: Tensor?
        if fused {
            dx = net.backward(dy, inputGradient: inputGradient)
        } else {
            var g: Tensor? = dy
            for (i, layer) in net.layers.enumerated().reversed() {
                g = layer.backward(g!, inputGradient: i > 0 || inputGradient)
            }
            dx = g
        }
        return net.parameters.map(\.gradient.scalars) + [dx?.scalars ?? []]
    }

    /// The layers' own forward passes, one after the other (`Sequential` fuses a convolution
    /// with the pooling after it, and its layers then keep only what its backward pass reads).
    private func layerByLayer(_ net: Sequential, _ x: Tensor) throws -> Tensor {
        try net.layers.reduce(x) { try $1.forward($0, context: ForwardContext(training: true)) }
    }

    func testPoolingAndRectifierInOnePassGiveTheSameBits() throws {
        for (stride, channels) in [(2, 3), (1, 3), (2, 1), (1, 1)] {
            let fused = try gradients(stride: stride, fused: true, channels: channels)
            let plain = try gradients(stride: stride, fused: false, channels: channels)
            XCTAssertEqual(fused.count, plain.count)
            for (i, (a, b)) in zip(fused, plain).enumerated() {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "stride \(stride), \(channels) channels, gradient \(i)")
            }
        }
    }

    /// A first layer passes no dL/dx on: its parameter gradients come with the pooling's
    /// pass (`conv2DWeightGradientThroughMaxPool`, which takes this shape), and dL/dz is never
    /// formed. The same bits as the layers' own passes.
    func testFirstLayerParameterGradientsWithThePoolingsPassGiveTheSameBits() throws {
        let dz = Tensor(shape: [3, 10, 10, 8]), w = Tensor(shape: [3, 3, 3, 8])
        let (pooled, argmax) = maxPool2D(dz, size: 2, stride: 2)
        XCTAssertNotNil(conv2DWeightGradientThroughMaxPool(
            Tensor(shape: [3, 12, 12, 3]), weight: w, stride: 1, padding: .valid, pooledGradient: pooled,
            argmax: argmax, pooled: pooled, poolSize: 2, poolStride: 2, keepsRectified: false, measured: false))
        for channels in [3, 1] {
            let fused = try gradients(stride: 2, fused: true, inputGradient: false, channels: channels)
            let plain = try gradients(stride: 2, fused: false, inputGradient: false, channels: channels)
            XCTAssertEqual(fused.last, [])
            XCTAssertEqual(fused.count, plain.count)
            for (i, (a, b)) in zip(fused, plain).enumerated() {
                XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(channels) channels, gradient \(i)")
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
            XCTAssertEqual(try layerByLayer(net, x).scalars.map(\.bitPattern), y.scalars.map(\.bitPattern))
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
