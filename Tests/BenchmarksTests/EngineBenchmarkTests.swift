import Foundation
import XCTest
import Lessons
import NeuralNet
@testable import Benchmarks

/// The benchmark times lesson cnn-mnist's own network and reports what it measured.
final class EngineBenchmarkTests: XCTestCase {
    private var catalog: LessonCatalog {
        get throws { try LessonCatalog.locate(searchingFrom: [URL(fileURLWithPath: #filePath)]) }
    }

    func testTheTimedNetworkIsTheOneTheLessonFileDefines() throws {
        let layers = try EngineBenchmark.lessonNetwork(in: try catalog)
        XCTAssertEqual(layers, try catalog.spec("cnn-mnist").layers)
        let model = try EngineBenchmark(network: layers).model(seed: 1)
        // Keras's summary of the MNIST CNN: conv 32-64-64, dense 64-10 (93 322 parameters).
        XCTAssertEqual(model.parameters.map(\.name), ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                      "conv3.weight", "conv3.bias", "dense1.weight", "dense1.bias",
                                                      "dense2.weight", "dense2.bias"])
        XCTAssertEqual(model.parameters.map(\.shape), [[3, 3, 1, 32], [32], [3, 3, 32, 64], [64], [3, 3, 64, 64], [64],
                                                       [576, 64], [64], [64, 10], [10]])
        XCTAssertEqual(model.parameters.map { $0.value.count }.reduce(0, +), 93_322)
    }

    func testAnotherNetworkIsTimedAsGiven() throws {
        let network: [LayerSpec] = [.flatten, .dense(units: 10, activation: .linear, initializer: .glorotUniform)]
        let model = try EngineBenchmark(network: network).model(seed: 1)
        XCTAssertEqual(model.parameters.map(\.shape), [[784, 10], [10]])
    }

    func testCostIsTheMedianOfPairedSlowdowns() {
        // Slowdowns 1 − 1/1.1, 1 − 1/1.25, 1 − 1/2: the middle one is 20 %.
        XCTAssertEqual(EngineBenchmark.costPercent(plain: [1, 1, 1], recorded: [2, 1.1, 1.25]), 20, accuracy: 1e-9)
        XCTAssertEqual(EngineBenchmark.costPercent(plain: [1, 1], recorded: [1.25, 2]), 35, accuracy: 1e-9)
    }

    func testCostQuartilesBracketTheMedian() {
        // Paired slowdowns 0, 10, 20, 30, 50 %: quartiles at positions 1 and 3 of 0...4.
        let plain = [Double](repeating: 1, count: 5)
        let recorded = [0.0, 10, 20, 30, 50].map { 1 / (1 - $0 / 100) }.reversed()
        let quartiles = EngineBenchmark.costQuartiles(plain: plain, recorded: Array(recorded))
        XCTAssertEqual(quartiles.lower, 10, accuracy: 1e-9)
        XCTAssertEqual(quartiles.upper, 30, accuracy: 1e-9)
        XCTAssertEqual(EngineBenchmark.costPercent(plain: plain, recorded: Array(recorded)), 20, accuracy: 1e-9)
        // Between neighbours, linearly (numpy's default): 0.25 of 0...2 lies halfway from 0 to 10.
        XCTAssertEqual(EngineBenchmark.quantile(0.25, of: [0, 10, 40]), 5, accuracy: 1e-9)
    }

    func testLessonLoopTrainsTheLessonsModelOnItsDataWithItsTrace() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-loop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let session = try LessonLoopSession(lesson: "cnn-mnist", catalog: try catalog, dataset: nil, root: root)
        let spec = try catalog.spec("cnn-mnist")
        XCTAssertEqual(session.loop.train.exampleShape, [28, 28, 1])
        XCTAssertEqual(session.loop.trainer.options.batchSize, spec.training.batchSize)
        XCTAssertEqual(session.loop.writer.policy, spec.record)
        let weights = session.loop.trainer.model.stateDict()
        let round = try session.run(3)
        XCTAssertEqual(round.samples, 3 * spec.training.batchSize)
        XCTAssertGreaterThan(round.seconds, 0)
        XCTAssertEqual(session.loop.trainer.step, 3)
        XCTAssertNotEqual(session.loop.trainer.model.stateDict(), weights, "the steps trained the lesson's model")
        try session.loop.writer.finish()
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("lesson-trace/manifest.json").path))
    }

    func testLayerProfileJSONHoldsEveryLayerAndTheTotal() throws {
        let profile = LayerProfile(rows: [.init(name: "conv1", forwardMilliseconds: 1, backwardMilliseconds: 2),
                                          .init(name: "dense1", forwardMilliseconds: 0.5, backwardMilliseconds: 0.25)],
                                   updateMilliseconds: 0.25, batch: 64)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(profile.json().utf8)) as? [String: Any])
        XCTAssertEqual(object["total_ms"] as? Double, 4)
        XCTAssertEqual(object["update_ms"] as? Double, 0.25)
        XCTAssertEqual(object["batch"] as? Int, 64)
        XCTAssertEqual(object["samples_per_s"] as? Double, 16_000)
        let layers = try XCTUnwrap(object["layers"] as? [[String: Any]])
        XCTAssertEqual(layers.map { $0["name"] as? String }, ["conv1", "dense1"])
        XCTAssertEqual(layers[1]["backward_ms"] as? Double, 0.25)
    }
}
