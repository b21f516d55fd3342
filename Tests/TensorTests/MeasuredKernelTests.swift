import XCTest
@testable import Tensor

/// Moments measured by the kernels that write a tensor (`TensorMoments`): each piece
/// is exactly `MomentsKernel.measure` of its slice, the pieces cover the tensor in
/// order, they agree with a Double reference, the same cut comes out with 1 or 2
/// threads, and measuring changes no value the kernel writes.
final class MeasuredKernelTests: XCTestCase {
    /// count, Σx, Σx², Σ(x − mean)², min, max in Double.
    private func reference(_ x: ArraySlice<Float>) -> (count: Int, sum: Double, squares: Double,
                                                       deviations: Double, min: Float, max: Float) {
        let values = x.map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        return (values.count, values.reduce(0, +), values.reduce(0) { $0 + $1 * $1 },
                values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }, x.min()!, x.max()!)
    }

    private func assertMatchesReference(_ m: BlockMoments, _ x: ArraySlice<Float>, _ message: String,
                                        file: StaticString = #filePath, line: UInt = #line) {
        let r = reference(x)
        XCTAssertEqual(m.count, r.count, message, file: file, line: line)
        XCTAssertEqual(m.sum, r.sum, accuracy: 1e-5 * max(1, r.squares.squareRoot()), message, file: file, line: line)
        XCTAssertEqual(m.sumOfSquares, r.squares, accuracy: 1e-5 * max(1, r.squares), message, file: file, line: line)
        XCTAssertEqual(m.squaredDeviations, r.deviations, accuracy: 1e-5 * max(1, r.squares), message,
                       file: file, line: line)
        XCTAssertEqual(m.min, r.min, message, file: file, line: line)
        XCTAssertEqual(m.max, r.max, message, file: file, line: line)
    }

    /// Every piece equals a fresh measurement of its slice of `x`, and together they cover it.
    private func assertPiecesCover(_ moments: TensorMoments?, _ x: Tensor, _ message: String,
                                   file: StaticString = #filePath, line: UInt = #line) {
        guard let moments else { return XCTFail("no moments: \(message)", file: file, line: line) }
        XCTAssertEqual(moments.count, x.count, message, file: file, line: line)
        var start = 0
        x.scalars.withUnsafeBufferPointer { p in
            for piece in moments.pieces where start + piece.count <= x.count {
                XCTAssertGreaterThan(piece.count, 0, message, file: file, line: line)
                XCTAssertEqual(piece, MomentsKernel.measure(p.baseAddress! + start, count: piece.count),
                               "piece at \(start): \(message)", file: file, line: line)
                start += piece.count
            }
        }
    }

    func testMeasureMatchesDoubleReferenceOnAndOffTheVectorWidth() {
        for count in [1, 7, 16, 33, 4096, 5000] {
            let x = randomScalars(count, "moments\(count)").map { $0 * 3 + 0.5 }
            let m = x.withUnsafeBufferPointer { MomentsKernel.measure($0.baseAddress!, count: count) }
            assertMatchesReference(m, x[...], "count \(count)")
        }
    }

    func testAddingZerosEqualsMeasuringTheValuesWithTheirZeros() {
        let values = randomScalars(100, "zeros").map { $0 * 0.5 + 1 }  // all positive: the minimum becomes 0
        let withZeros = values + [Float](repeating: 0, count: 300)
        let merged = values.withUnsafeBufferPointer { MomentsKernel.measure($0.baseAddress!, count: 100) }
            .addingZeros(300)
        assertMatchesReference(merged, withZeros[...], "values and zeros")
        XCTAssertEqual(merged.min, 0)
        XCTAssertEqual(merged.addingZeros(0), merged)
    }

    func testConvolutionMeasuresEachGEMMBlockOfItsOutput() {
        for (name, shape, weight) in [("conv1", [5, 28, 28, 1], [3, 3, 1, 32]), ("conv2", [9, 13, 13, 32], [3, 3, 32, 64])] {
            let x = randomTensor(shape, name + "x"), w = randomTensor(weight, name + "w")
            let b = randomTensor([weight[3]], name + "b")
            for rectified in [false, true] {
                let one = withThreads(1) { conv2D(x, weight: w, bias: b, rectified: rectified, measured: true) }
                let two = withThreads(2) { conv2D(x, weight: w, bias: b, rectified: rectified, measured: true) }
                XCTAssertEqual(one.output, conv2D(x, weight: w, bias: b, rectified: rectified), name)
                XCTAssertEqual(one.output, two.output, name)
                XCTAssertEqual(one.moments, two.moments, "\(name): the cut depends on the shape only")
                assertPiecesCover(one.moments, one.output, "\(name) rectified \(rectified)")
                XCTAssertGreaterThan(one.moments?.pieces.count ?? 0, 1, name)
            }
        }
    }

    func testGEMMCutOtherThanIntoWholeRowsIsNotMeasured() {
        // A weight-gradient shape: the depth is split into segments, so no block holds finished rows.
        XCTAssertNil(GEMM.measuredPieces(m: 9, n: 32, k: 43_264, ldc: 32))
        XCTAssertNil(GEMM.measuredPieces(m: 600, n: 64, k: 288, ldc: 80))
        XCTAssertNotNil(GEMM.measuredPieces(m: 600, n: 64, k: 288, ldc: 64))
    }

    func testMaxPoolMeasuresItsOutputRowsAndItsGradientImages() {
        for (size, stride) in [(2, 2), (3, 2), (2, 1), (3, 3)] {
            let x = randomTensor([3, 11, 10, 16], "pool\(size)\(stride)")
            let pooled = withThreads(2) { maxPool2D(x, size: size, stride: stride, measured: true) }
            XCTAssertEqual(pooled.output, maxPool2D(x, size: size, stride: stride).output)
            assertPiecesCover(pooled.moments, pooled.output, "forward \(size)/\(stride)")

            let dy = randomTensor(pooled.output.shape, "dy\(size)\(stride)")
            let (dx, moments) = withThreads(2) {
                maxPool2DBackward(dy, argmax: pooled.argmax, inputShape: x.shape, size: size, stride: stride,
                                  measured: true)
            }
            XCTAssertEqual(dx, maxPool2DBackward(dy, argmax: pooled.argmax, inputShape: x.shape))
            guard let moments else { return XCTFail("no gradient moments") }
            XCTAssertEqual(moments.pieces.count, 3)
            XCTAssertEqual(moments.count, dx.count)
            // Disjoint windows take the moments from dy and the zeros: equal up to rounding.
            let perImage = dx.count / 3
            for (b, piece) in moments.pieces.enumerated() {
                assertMatchesReference(piece, dx.scalars[(b * perImage)..<((b + 1) * perImage)],
                                       "backward \(size)/\(stride) image \(b)")
            }
            if stride < size { assertPiecesCover(moments, dx, "overlapping windows are measured directly") }
        }
    }

    func testInputGradientMeasuresEachImageBlockAndEqualsTheFullBackward() {
        let x = randomTensor([4, 13, 13, 32], "igx"), w = randomTensor([3, 3, 32, 64], "igw")
        let dy = randomTensor([4, 11, 11, 64], "igdy")
        let full = conv2DBackward(x, weight: w, outputGradient: dy)
        let alone = withThreads(2) { conv2DInputGradient(dy, weight: w, inputShape: x.shape, measured: true) }
        XCTAssertEqual(alone.input, full.input)
        assertPiecesCover(alone.moments, alone.input, "input gradient")
        let both = conv2DBackward(x, weight: w, outputGradient: dy, measured: true)
        XCTAssertEqual(both.inputMoments, alone.moments)
        XCTAssertEqual(both.weight, full.weight)
        XCTAssertNil(conv2DInputGradient(dy, weight: w, inputShape: x.shape).moments)
    }
}
