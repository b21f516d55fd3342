import XCTest
import Tensor

/// Uniform values in [-1, 1) from a named stream, so every test input is reproducible.
func randomScalars(_ count: Int, _ name: String) -> [Float] {
    var rng = RandomStream(seed: 2026, name: name)
    return (0..<count).map { _ in rng.nextUniform(-1, 1) }
}

func randomTensor(_ shape: [Int], _ name: String) -> Tensor {
    Tensor(shape: shape, scalars: randomScalars(shape.reduce(1, *), name))
}

/// Runs `body` with the shared pool set to `threads`, then restores it.
func withThreads<T>(_ threads: Int, _ body: () -> T) -> T {
    let saved = WorkerPool.shared.threads
    WorkerPool.shared.threads = threads
    defer { WorkerPool.shared.threads = saved }
    return body()
}

/// The SIMD paths this CPU runs: AVX2 (`false`), and AVX-512 (`true`) where it has it.
var simdPaths: [Bool] { SIMDLevel.cpuHasAVX512 ? [false, true] : [false] }

/// Runs `body` with the AVX-512 kernels on or off (`SIMDLevel.avx512`), then restores the choice.
func withSIMDPath<T>(avx512: Bool, _ body: () -> T) -> T {
    let saved = SIMDLevel.avx512
    SIMDLevel.avx512 = avx512
    defer { SIMDLevel.avx512 = saved }
    return body()
}

/// Asserts |a − b| ≤ tolerance elementwise, naming the first bad index.
func assertClose(_ a: [Float], _ b: [Float], tolerance: Float, _ message: String = "",
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "count \(message)", file: file, line: line)
    for i in 0..<min(a.count, b.count) where !(abs(a[i] - b[i]) <= tolerance) {
        XCTFail("element \(i): \(a[i]) vs \(b[i]) (tolerance \(tolerance)) \(message)", file: file, line: line)
        return
    }
}
