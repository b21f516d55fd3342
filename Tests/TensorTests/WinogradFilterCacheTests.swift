import XCTest
@testable import Tensor

/// `WinogradFilterCache`: a hit is exactly a fresh transform, and weights changed in
/// place (as an optimizer changes them) are transformed again, never served stale.
final class WinogradFilterCacheTests: XCTestCase {
    private let geometry = Conv2DGeometry(inputShape: [2, 10, 10, 8], weightShape: [3, 3, 8, 16], stride: 1,
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

    /// The eight-wide, parallel transform gives, bit for bit, U = G g Gᵀ of each filter by
    /// the scalar `WinogradTransforms.filter`, read straight and flipped: channel counts
    /// that are multiples of 8 and ones that leave short groups on either axis.
    func testEveryFilterIsTheScalarTransformOfItsWeights() {
        for (cin, cout) in [(32, 64), (12, 9), (9, 16)] {
            let w = (0..<(9 * cin * cout)).map { Float(($0 * 53) % 97) / 31 - 1.5 }
            let winograd = WinogradConvolution(batch: 1, height: 6, width: 6, inChannels: cin, outChannels: cout,
                                               padTop: 0, padLeft: 0, outHeight: 4, outWidth: 4)
            for flipped in [false, true] {
                let u = w.withUnsafeBufferPointer { winograd.transformedFilters($0.baseAddress!, flipped: flipped) }
                var mismatches = 0
                for c in 0..<cin {
                    for o in 0..<cout {
                        // w′(r, s, c, o) = w[2 − r, 2 − s, o, c] when flipped (tap t ↦ 8 − t, channels swapped).
                        let g = (0..<9).map { t in flipped ? w[(8 - t) * cout * cin + o * cin + c] : w[t * cin * cout + c * cout + o] }
                        var expected = [Float](repeating: 0, count: WinogradTransforms.positions)
                        g.withUnsafeBufferPointer { WinogradTransforms.filter($0.baseAddress!, into: &expected) }
                        for xi in 0..<WinogradTransforms.positions where u[(xi * cin + c) * cout + o].bitPattern != expected[xi].bitPattern {
                            mismatches += 1
                        }
                    }
                }
                XCTAssertEqual(mismatches, 0, "cin \(cin), cout \(cout), flipped \(flipped)")
            }
        }
    }

    /// The convolution through the cache gives the same output twice and after a change.
    func testConvolutionRepeatsBitForBitAndFollowsChangedWeights() {
        let x = Tensor(shape: [2, 10, 10, 8], scalars: (0..<(2 * 100 * 8)).map { Float(($0 * 13) % 29) / 14 - 1 })
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
