@testable import Tensor
import XCTest

/// `AdamKernel` against the scalar rule written out here, bit for bit: over several
/// parameters (short ones, and long ones cut into blocks with a ragged end), in the
/// caller's thread and in a parallel region, with and without the changes a trace keeps.
final class AdamKernelTests: XCTestCase {
    private let (α, β1, β2, ε): (Float, Float, Float, Float) = (0.003, 0.9, 0.999, 1e-7)

    /// Parameters of `counts` values: θ, m ≥ 0-ish slots with some subnormal-bound values, g.
    private func buffers(_ counts: [Int], seed: UInt64) -> [AdamKernel.Buffers] {
        var rng = RandomStream(seed: seed, name: "adam-kernel")
        func values(_ n: Int, scale: Float) -> [Float] { (0..<n).map { _ in (rng.nextUniform() - 0.5) * scale } }
        return counts.map { n in
            var m = values(n, scale: 0.02), g = values(n, scale: 0.1)
            // Dead units: a zero gradient, and m about to decay below the smallest normal float.
            for i in stride(from: 0, to: n, by: 37) { g[i] = 0; m[i] = 1.2e-38 }
            return AdamKernel.Buffers(θ: values(n, scale: 2), m: m, v: values(n, scale: 0.001).map(abs), g: g)
        }
    }

    /// The rule one value at a time, in `AdamKernel`'s order of operations.
    private func reference(_ b: AdamKernel.Buffers) -> (θ: [Float], m: [Float], v: [Float]) {
        var (θ, m, v) = (b.θ, b.m, b.v)
        for i in θ.indices {
            m[i] = SubnormalFlush.flush(β1 * m[i] + (1 - β1) * b.g[i])
            v[i] = SubnormalFlush.flush(β2 * v[i] + (1 - β2) * b.g[i] * b.g[i])
            θ[i] = θ[i] - α * m[i] / (v[i].squareRoot() + ε)
        }
        return (θ, m, v)
    }

    private func check(_ counts: [Int], keepingChanges: Bool, threads: Int) {
        let pool = WorkerPool(threads: threads)
        var items = buffers(counts, seed: UInt64(counts.reduce(0, +)))
        let before = items, expected = items.map(reference)
        AdamKernel.step(&items, α: α, β1: β1, β2: β2, ε: ε, keepingChanges: keepingChanges, pool: pool)
        for (i, item) in items.enumerated() {
            XCTAssertEqual(item.θ, expected[i].θ, "θ of parameter \(i) (\(counts[i]) values)")
            XCTAssertEqual(item.m, expected[i].m, "m of parameter \(i)")
            XCTAssertEqual(item.v, expected[i].v, "v of parameter \(i)")
            XCTAssertEqual(item.change, keepingChanges ? zip(item.θ, before[i].θ).map { $0 - $1 } : [],
                           "change of parameter \(i)")
        }
    }

    func testSmallParametersInTheCallersThread() {
        for keeping in [false, true] { check([1, 7, 8, 9, 300], keepingChanges: keeping, threads: 2) }
    }

    func testBlocksWithRaggedEndsInAParallelRegion() {
        let counts = [5, 2 * AdamKernel.blockValues + 13, AdamKernel.parallelFrom + 3, 64]
        for threads in [1, 2, 3] {
            for keeping in [false, true] { check(counts, keepingChanges: keeping, threads: threads) }
        }
    }

    /// A step that keeps changes writes θ_new beside θ_old: whoever still holds the old
    /// values (a trace's weights of the step) keeps them unchanged.
    func testKeepingChangesLeavesTheOldValuesToWhoeverHoldsThem() {
        var items = buffers([AdamKernel.parallelFrom + 100], seed: 5)
        let held = items[0].θ, copy = Array(held)
        AdamKernel.step(&items, α: α, β1: β1, β2: β2, ε: ε, keepingChanges: true)
        XCTAssertEqual(held, copy)
        XCTAssertNotEqual(items[0].θ, held)
    }
}
