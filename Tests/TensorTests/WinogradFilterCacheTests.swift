import XCTest
@testable import Tensor

/// `WinogradFilterCache`: a hit is exactly a fresh transform, and weights changed in
/// place (as an optimizer changes them) are transformed again, never served stale.
final class WinogradFilterCacheTests: XCTestCase {
    private let geometry = Conv2DGeometry(inputShape: [2, 9, 9, 8], weightShape: [3, 3, 8, 16], stride: 1,
                                          padding: .same)

    private func weights(_ seed: Float) -> [Float] {
        (0..<(9 * 8 * 16)).map { Float(($0 * 37) % 101) / 50 - 1 + seed }
    }

    func testHitsEqualAFreshTransformAndChangedWeightsAreTransformedAgain() throws {
        let winograd = try XCTUnwrap(WinogradConvolution.forward(geometry))
        var w = weights(0.25)
        for flipped in [false, true] {
            let fresh = w.withUnsafeBufferPointer { winograd.transformedFilters($0.baseAddress!, flipped: flipped) }
            let first = w.withUnsafeBufferPointer { WinogradFilterCache.filters($0, winograd, flipped: flipped) }
            let second = w.withUnsafeBufferPointer { WinogradFilterCache.filters($0, winograd, flipped: flipped) }
            XCTAssertEqual(first, fresh, "flipped \(flipped): first call")
            XCTAssertEqual(second, fresh, "flipped \(flipped): cached call")
        }
        // One weight changed in place, the same array: the cache must not answer with the old U.
        w[100] += 0.5
        let changed = w.withUnsafeBufferPointer { WinogradFilterCache.filters($0, winograd, flipped: false) }
        let fresh = w.withUnsafeBufferPointer { winograd.transformedFilters($0.baseAddress!, flipped: false) }
        XCTAssertEqual(changed, fresh)
        let old = weights(0.25).withUnsafeBufferPointer { winograd.transformedFilters($0.baseAddress!, flipped: false) }
        XCTAssertNotEqual(changed, old)
    }

    /// The convolution through the cache gives the same output twice and after a change.
    func testConvolutionRepeatsBitForBitAndFollowsChangedWeights() {
        let x = Tensor(shape: [2, 9, 9, 8], scalars: (0..<(2 * 81 * 8)).map { Float(($0 * 13) % 29) / 14 - 1 })
        var w = Tensor(shape: [3, 3, 8, 16], scalars: weights(0))
        let bias = Tensor(shape: [16], repeating: 0.1)
        let first = conv2D(x, weight: w, bias: bias, padding: .same)
        XCTAssertEqual(conv2D(x, weight: w, bias: bias, padding: .same), first)
        w.scalars[5] += 1
        let reference = ReferenceKernels.conv2D(x, weight: w, bias: bias, stride: 1, padding: .same)
        let changed = conv2D(x, weight: w, bias: bias, padding: .same)
        XCTAssertNotEqual(changed, first)
        for (a, b) in zip(changed.scalars, reference.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
    }
}
