import XCTest
import Tensor
@testable import Trace

final class CheckpointTests: XCTestCase {
    func testSavedStateLoadsBackExactly() throws {
        let directory = try makeTemporaryDirectory("checkpoint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("model.safetensors")
        let state = ["conv1.weight": syntheticTensor([3, 3, 1, 2], salt: 1),
                     "conv1.bias": syntheticTensor([2], salt: 2),
                     "optimizer/conv1.weight.m": syntheticTensor([3, 3, 1, 2], salt: 3)]
        let metadata = ["step": "100", "epoch": "2", "seed": "42"]

        try Checkpoint.save(["conv1.bias": Tensor(shape: [1], scalars: [9])], metadata: [:], to: url)
        try Checkpoint.save(state, metadata: metadata, to: url)
        let loaded = try Checkpoint.load(from: url)

        XCTAssertEqual(loaded.tensors, state)
        XCTAssertEqual(loaded.metadata, metadata)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["model.safetensors"],
                       "no temporary file is left behind")
    }
}
