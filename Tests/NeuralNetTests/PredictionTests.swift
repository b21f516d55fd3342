@testable import NeuralNet
@testable import Tensor
import XCTest

/// `predictBatch` forwards a large batch a few rows at a time; each row's outputs depend
/// on that row alone, so they must be the bits of one forward pass over the whole batch.
final class PredictionTests: XCTestCase {
    func testPredictionInRowChunksGivesTheBitsOfOneForwardPass() throws {
        // The pooling's 32·32·48 floats a row (the convolution's output is never stored): chunks
        // of 16 rows, so 40 rows take three chunks (16, 16, 8).
        let net = try Sequential(inputShape: [66, 66, 2], seed: 3, [
            Conv2D(48, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(8, kernelSize: 3, activation: .relu), Flatten(), Dense(5),
        ])
        var rng = RandomStream(seed: 4, name: "predict")
        let x = Tensor(shape: [40, 66, 66, 2], scalars: (0..<(40 * 66 * 66 * 2)).map { _ in rng.nextUniform(-1, 1) })
        let whole = try net.forward(x, context: .inference)
        let chunked = try net.predictBatch(x)
        XCTAssertEqual(chunked.shape, whole.shape)
        XCTAssertEqual(chunked.scalars.map(\.bitPattern), whole.scalars.map(\.bitPattern))
        XCTAssertEqual(try net.predict(x, batchSize: 25).scalars.map(\.bitPattern), whole.scalars.map(\.bitPattern))
    }

    /// Chunks are sized by the outputs a prediction stores: a convolution pooled as it is
    /// formed does not count, so the MNIST CNN takes 144 rows (its first pooling's 13·13·32
    /// floats a row), not the 32 its first convolution's 26·26·32 would allow.
    func testChunksCountOnlyStoredOutputs() throws {
        let cnn = try Sequential(inputShape: [28, 28, 1], seed: 1, [
            Conv2D(32, kernelSize: 3, activation: .relu), MaxPool2D(size: 2), Conv2D(64, kernelSize: 3, activation: .relu),
            MaxPool2D(size: 2), Conv2D(64, kernelSize: 3, activation: .relu), Flatten(), Dense(64, activation: .relu), Dense(10),
        ])
        XCTAssertEqual(cnn.predictionRows, 144)
        let unpooled = try Sequential(inputShape: [28, 28, 1], seed: 1, [Conv2D(32, kernelSize: 3), Flatten(), Dense(10)])
        XCTAssertEqual(unpooled.predictionRows, 32)
    }

    /// A first convolution (one channel in, so not Winograd's) and the pooling after it run
    /// fused in `predictBatch`: the bits of the two layers run one after the other, for
    /// windows that tile the image, leave its last row and column out (odd size) or overlap.
    func testFusedConvolutionAndPoolingGiveTheBitsOfBothLayers() throws {
        for (pool, activation) in [(MaxPool2D(size: 2), Activation.relu), (MaxPool2D(size: 3, stride: 2), .linear),
                                   (MaxPool2D(size: 2), .linear)] {
            let net = try Sequential(inputShape: [17, 15, 1], seed: 5, [
                Conv2D(24, kernelSize: 3, activation: activation), pool, Flatten(), Dense(3),
            ])
            var rng = RandomStream(seed: 6, name: "fused")
            let x = Tensor(shape: [9, 17, 15, 1], scalars: (0..<(9 * 17 * 15)).map { _ in rng.nextUniform(-1, 1) })
            try assertFusedPairGivesTheBitsOfBothLayers(net, x, pool, activation)
        }
    }

    /// A convolution that takes Winograd's route (16 channels in) pools its blocks of
    /// images in `predictBatch` with the bits of the two layers: 9 images (blocks of 4,
    /// the last holding one), edge tiles cut (11×11 outputs), short channel groups (12 out).
    func testFusedWinogradConvolutionAndPoolingGiveTheBitsOfBothLayers() throws {
        for (pool, activation) in [(MaxPool2D(size: 2), Activation.relu), (MaxPool2D(size: 3, stride: 2), .linear)] {
            let net = try Sequential(inputShape: [13, 13, 16], seed: 7, [
                Conv2D(12, kernelSize: 3, activation: activation), pool, Flatten(), Dense(3),
            ])
            var rng = RandomStream(seed: 8, name: "fused-winograd")
            let x = Tensor(shape: [9, 13, 13, 16], scalars: (0..<(9 * 13 * 13 * 16)).map { _ in rng.nextUniform(-1, 1) })
            let conv = net.layers[0] as! Conv2D
            let g = Conv2DGeometry(inputShape: x.shape, weightShape: conv.weight.value.shape, stride: 1, padding: .valid)
            let winograd = try XCTUnwrap(WinogradConvolution.forward(g), "the convolution takes Winograd's route")
            XCTAssertGreaterThan(winograd.blocks, 1)
            try assertFusedPairGivesTheBitsOfBothLayers(net, x, pool, activation)
        }
    }

    /// `net` starts with a convolution and `pool`: the pair fuses, and the prediction
    /// pass (and the inference pass, which keeps the argmax where it fuses too) gives the
    /// bits of the layers' own passes, one after the other.
    private func assertFusedPairGivesTheBitsOfBothLayers(_ net: Sequential, _ x: Tensor, _ pool: MaxPool2D,
                                                         _ activation: Activation) throws {
        let conv = net.layers[0] as! Conv2D
        XCTAssertNotNil(conv2DMaxPooled(x, weight: conv.weight.value, bias: conv.bias.value, stride: 1,
                                        padding: .valid, rectified: activation == .relu, poolSize: pool.size,
                                        poolStride: pool.stride), "the pair fuses")
        let whole = try net.layers.reduce(x) { try $1.forward($0, context: .inference) }
        let fused = try net.forward(x, context: .prediction)
        XCTAssertEqual(fused.scalars.map(\.bitPattern), whole.scalars.map(\.bitPattern), "\(pool.configuration)")
        let inference = try net.forward(x, context: .inference)
        XCTAssertEqual(inference.scalars.map(\.bitPattern), whole.scalars.map(\.bitPattern), "\(pool.configuration)")
    }
}
