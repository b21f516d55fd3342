import XCTest
import Tensor
@testable import Trace

final class TensorStatisticsTests: XCTestCase {
    func testFourValuesByHand() {
        let s = TensorStatistics(of: [1, 2, 3, 4])
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.mean, 2.5)
        XCTAssertEqual(s.std, 1.25.squareRoot(), accuracy: 1e-12)   // ((1.5² + 0.5²) · 2 / 4)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 4)
        XCTAssertEqual(s.l2, 30.0.squareRoot(), accuracy: 1e-12)    // 1 + 4 + 9 + 16
        XCTAssertEqual(s.nonFinite, 0)
        // bin = ⌊(x − 1) / 3 · 32⌋: 0, 10, 21, and 4 = max lands in the last bin.
        var expected = [Int32](repeating: 0, count: 32)
        for bin in [0, 10, 21, 31] { expected[bin] = 1 }
        XCTAssertEqual(s.histogram, expected)
    }

    func testLargeTensorMatchesDoublePrecisionReference() {
        // 10 007 elements: several SIMD blocks and a ragged tail.
        let values = (0..<10_007).map { Float(sin(Double($0) * 0.013) * 3 + 0.5) }
        let s = TensorStatistics(of: values)
        let doubles = values.map(Double.init)
        let mean = doubles.reduce(0, +) / Double(values.count)
        let variance = doubles.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        let low = doubles.min()!, high = doubles.max()!
        var histogram = [Int32](repeating: 0, count: 32)
        for v in doubles { histogram[min(Int((v - low) / (high - low) * 32), 31)] += 1 }

        XCTAssertEqual(s.mean, mean, accuracy: 1e-6)
        XCTAssertEqual(s.std, variance.squareRoot(), accuracy: 1e-6)
        XCTAssertEqual(s.l2, doubles.map { $0 * $0 }.reduce(0, +).squareRoot(), accuracy: 1e-3)
        XCTAssertEqual(s.min, low)
        XCTAssertEqual(s.max, high)
        XCTAssertEqual(s.histogram.reduce(0, +), 10_007)
        // Float and Double bin edges may disagree for a value on an edge; allow one move.
        XCTAssertLessThanOrEqual(zip(s.histogram, histogram).map { abs(Int($0) - Int($1)) }.reduce(0, +), 2)
    }

    func testHugeTensorHistogramCountsEveryFourthRunOf256() {
        // 60 000 elements: step ⌈60000 / 16384⌉ = 4, so runs 0, 4, 8, … of 256 adjacent
        // elements are binned: 59 runs (the last, run 232, is full), all of value 0 here,
        // while the runs between are 1–3.
        let values = (0..<60_000).map { Float($0 / 256 % 4) }
        let s = TensorStatistics(of: values)
        XCTAssertEqual(s.histogram.reduce(0, +), 59 * 256)
        XCTAssertEqual(s.histogram[0], 59 * 256)
        let mean = values.map(Double.init).reduce(0, +) / 60_000
        XCTAssertEqual(s.mean, mean, accuracy: 1e-9, "moments still cover every element")
        XCTAssertEqual(s.max, 3)
    }

    func testStandardDeviationIsStableFarFromZero() {
        // A large offset and a small spread: a one-pass Σx² − (Σx)²/n would lose every digit.
        let values = (0..<50_000).map { Float(1000 + sin(Double($0)) * 0.01) }
        let doubles = values.map(Double.init)
        let mean = doubles.reduce(0, +) / Double(values.count)
        let std = (doubles.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
        XCTAssertEqual(TensorStatistics(of: values).std, std, accuracy: std * 1e-3)
    }

    func testDeferredPassEqualsDirectStatistics() {
        // 300 000 elements: many blocks, a sampled histogram; helpers may take any blocks.
        let values = (0..<300_000).map { Float(sin(Double($0) * 0.37) * 2 + cos(Double($0) * 0.001)) }
        let direct = TensorStatistics(of: values)
        for _ in 0..<5 {
            let pass = StatisticsPass(values)
            WorkerPool.shared.run(blocks: 16) { _ in }
            XCTAssertEqual(pass.result(), direct)
        }
    }

    /// Moments of uneven consecutive pieces (as a kernel measures them while writing).
    private func pieceMoments(_ values: [Float], cut: Int) -> TensorMoments {
        values.withUnsafeBufferPointer { p in
            TensorMoments(pieces: stride(from: 0, to: values.count, by: cut).map { start in
                MomentsKernel.measure(p.baseAddress! + start, count: min(cut, values.count - start))
            })
        }
    }

    func testStatisticsFromMeasuredMomentsEqualDirectOnesUpToRounding() {
        let values = (0..<300_000).map { Float(sin(Double($0) * 0.37) * 2 + cos(Double($0) * 0.001)) }
        let direct = TensorStatistics(of: values)
        let measured = StatisticsPass(values, measured: pieceMoments(values, cut: 3_072)).result()
        XCTAssertEqual(measured.count, direct.count)
        XCTAssertEqual(measured.min, direct.min)
        XCTAssertEqual(measured.max, direct.max)
        XCTAssertEqual(measured.histogram, direct.histogram, "the same range and the same sample")
        XCTAssertEqual(measured.mean, direct.mean, accuracy: 1e-6 * direct.std)
        XCTAssertEqual(measured.std, direct.std, accuracy: 1e-6 * direct.std)
        XCTAssertEqual(measured.l2, direct.l2, accuracy: 1e-6 * direct.l2)
    }

    /// Statistics of a tensor given as another one and its patches (a pooling's dL/dx beside
    /// its dL/dz) equal those of the patched tensor itself: its moments, and its sampled
    /// histogram with patches inside and outside the sampled runs; a non-finite patch falls
    /// back to a pass over the patched values.
    func testPatchedStatisticsEqualThoseOfThePatchedTensor() {
        let base = (0..<300_000).map { Float(sin(Double($0) * 0.37) * 2 + cos(Double($0) * 0.001)) }
        let indices = (0..<3_000).map { Int32($0 * 97 + ($0 % 3)) }
        let values = indices.map { Float($0 % 13) - 9 }
        let patches = TensorPatches(indices: indices, values: values)
        let patched = patches.applied(to: Tensor(shape: [base.count], scalars: base)).scalars
        let blocks = StatisticsKernel.blockCount(patched.count)
        let moments = patched.withUnsafeBufferPointer { p in
            TensorMoments(pieces: (0..<blocks).map { StatisticsKernel.moments(p, block: $0) })
        }
        for sample in [StatisticsKernel.histogramSample, StatisticsKernel.reducedHistogramSample] {
            let direct = patched.withUnsafeBufferPointer { StatisticsKernel.statistics($0, bins: 32, sample: sample) }
            let fromPatches = StatisticsPass(base, measured: moments, patches: patches, sample: sample).result()
            XCTAssertEqual(fromPatches, direct, "sample \(sample)")
            let unpatched = StatisticsPass(base, measured: moments, sample: sample).result()
            XCTAssertNotEqual(unpatched.histogram, direct.histogram, "the patches fall in the sample \(sample)")
        }
        let nan = TensorPatches(indices: [5], values: [.nan])
        let withNaN = nan.applied(to: Tensor(shape: [base.count], scalars: base)).scalars
        let nanMoments = withNaN.withUnsafeBufferPointer { p in
            TensorMoments(pieces: (0..<blocks).map { StatisticsKernel.moments(p, block: $0) })
        }
        XCTAssertEqual(StatisticsPass(base, measured: nanMoments, patches: nan).result(), TensorStatistics(of: withNaN))
    }

    func testMeasuredMomentsWithANonFiniteValueFallBackToTheValues() {
        var values = (0..<10_000).map { Float($0 % 7) }
        values[4_321] = .nan
        let measured = StatisticsPass(values, measured: pieceMoments(values, cut: 1_000)).result()
        XCTAssertEqual(measured, TensorStatistics(of: values))
        XCTAssertEqual(measured.nonFinite, 1)
    }

    func testNonFiniteValuesAreCountedAndLeftOut() {
        let s = TensorStatistics(of: [1, .nan, 3, .infinity, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29])
        XCTAssertEqual(s.count, 17)
        XCTAssertEqual(s.nonFinite, 2)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.max, 29)
        XCTAssertEqual(s.mean, 225.0 / 15)
        XCTAssertEqual(s.histogram.reduce(0, +), 15)
    }

    func testConstantTensorPutsEverythingInTheFirstBin() {
        let s = TensorStatistics(of: [Float](repeating: 2, count: 40))
        XCTAssertEqual(s.std, 0)
        XCTAssertEqual(s.histogram[0], 40)
        XCTAssertEqual(s.histogram.reduce(0, +), 40)
    }

    func testEmptyTensorHasZeroStatistics() {
        let s = TensorStatistics(of: [])
        XCTAssertEqual(s.count, 0)
        XCTAssertEqual(s.histogram, [Int32](repeating: 0, count: 32))
    }
}
