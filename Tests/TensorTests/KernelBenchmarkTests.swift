import XCTest
@testable import Tensor

/// The benchmark `learn bench` reports: its shapes are the seed CNN's and its timings are sane.
final class KernelBenchmarkTests: XCTestCase {
    func testShapesAreTheSeedCNNLayersForwardAndBackward() {
        let shapes = KernelBenchmark.seedCNNShapes
        XCTAssertEqual(shapes.count, 15)
        let conv2 = shapes.filter { $0.name.hasPrefix("conv2") }
        XCTAssertEqual(conv2.map { [$0.m, $0.n, $0.k] }, [[7744, 64, 288], [288, 64, 7744], [7744, 288, 64]])
        XCTAssertEqual(conv2.map(\.transposeA), [false, true, false])
        XCTAssertEqual(conv2.map(\.transposeB), [false, false, true])
        // A training sample of the seed CNN is 16.4 MFLOP (issue 2): all these GEMMs but
        // conv1's input gradient, which a first layer never needs.
        let training = shapes.filter { $0.name != "conv1 input gradient" }
        XCTAssertEqual(training.map(\.flops).reduce(0, +) / 64 / 1e6, 16.4, accuracy: 0.05)
    }

    func testTimingIsPositiveAndRestoresThreadCount() {
        let saved = WorkerPool.shared.threads
        let timing = KernelBenchmark.gemm(KernelBenchmark.GEMMShape("tiny", m: 8, n: 16, k: 8), threads: 1,
                                          minimumSeconds: 0)
        XCTAssertEqual(WorkerPool.shared.threads, saved)
        XCTAssertGreaterThan(timing.seconds, 0)
        XCTAssert(timing.gflops.isFinite && timing.gflops > 0)
    }
}
