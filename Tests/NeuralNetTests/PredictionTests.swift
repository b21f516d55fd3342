import NeuralNet
import Tensor
import XCTest

/// `predictBatch` forwards a large batch a few rows at a time; each row's outputs depend
/// on that row alone, so they must be the bits of one forward pass over the whole batch.
final class PredictionTests: XCTestCase {
    func testPredictionInRowChunksGivesTheBitsOfOneForwardPass() throws {
        // 64·64·48 floats a row: chunks of 16 rows, so 40 rows take three chunks (16, 16, 8).
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
}
