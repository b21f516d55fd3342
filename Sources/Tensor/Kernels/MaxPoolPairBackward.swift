/// The backward pass of the 2×2, stride-2 max pooling every CNN here uses, eight
/// channels at a time, written instead of scattered.
///
/// Windows of 2×2 moved by 2 do not overlap, so each input position receives at most
/// one dy: position p of a window gets dx[p] = 0 + dy[k] where argmax[k] = p (the
/// `+ 0` turns −0 into +0, as the scatter's `+=` onto a cleared value does) and 0
/// elsewhere. Writing the four positions of each window from vectors of dy and argmax
/// covers the image once, with no clearing pass and no scalar read-modify-write; the
/// last row or column that no window reaches (an odd size) is cleared. Bit for bit
/// the scatter's result, with or without `keptWhere`.
struct MaxPoolPairBackward {
    let height, width, channels: Int
    var outHeight: Int { height / 2 }
    var outWidth: Int { width / 2 }

    /// The writer for a pooling of `size` and `stride` over images of `inputShape`
    /// (NHWC), where it applies: 2×2 windows, stride 2, channels a multiple of 8.
    init?(inputShape: [Int], size: Int, stride: Int) {
        guard size == 2, stride == 2, inputShape.count == 4, inputShape[3] % 8 == 0,
              inputShape[1] >= 2, inputShape[2] >= 2 else { return nil }
        (height, width, channels) = (inputShape[1], inputShape[2], inputShape[3])
    }

    private typealias Vector = SIMD8<Float>
    private typealias Indices = SIMD8<Int32>

    /// dx of image b from its dy and argmax (the batch's, whose indices count from the
    /// batch's first value), written to `image` (that image's first value, in the batch's
    /// dx or elsewhere); with `kept`, only where kept > 0.
    func writeImage(_ b: Int, _ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                    into image: UnsafeMutablePointer<Float>, kept: UnsafePointer<Float>?) {
        let c = channels, rowStride = width &* c
        let firstOutput = b &* outHeight &* outWidth &* c, firstInput = b &* height &* rowStride
        let lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7)
        for i in 0..<outHeight {
            for j in 0..<outWidth {
                let k0 = firstOutput &+ (i &* outWidth &+ j) &* c
                let local0 = (2 &* i) &* rowStride &+ (2 &* j) &* c
                for ch in stride(from: 0, to: c, by: 8) {
                    // p indexes the batch (as argmax does), local the image.
                    let k = k0 &+ ch, local = local0 &+ ch, p = firstInput &+ local
                    var value = load(dy + k) + 0
                    let winner = UnsafeRawPointer(argmax + k).loadUnaligned(as: Indices.self)
                    if let kept { value.replace(with: 0, where: .!(load(kept + k) .> 0)) }
                    @inline(__always) func write(_ offset: Int) {
                        let at = Indices(repeating: Int32(truncatingIfNeeded: p &+ offset)) &+ lanes
                        var out = Vector.zero
                        out.replace(with: value, where: winner .== at)
                        UnsafeMutableRawPointer(image + (local &+ offset)).storeBytes(of: out, as: Vector.self)
                    }
                    write(0)
                    write(c)
                    write(rowStride)
                    write(rowStride &+ c)
                }
            }
            if width % 2 == 1 {
                for r in 0..<2 {
                    (image + ((2 &* i &+ r) &* rowStride &+ (width &- 1) &* c)).update(repeating: 0, count: c)
                }
            }
        }
        if height % 2 == 1 { (image + (height &- 1) &* rowStride).update(repeating: 0, count: rowStride) }
    }

    @inline(__always)
    private func load(_ p: UnsafePointer<Float>) -> Vector { UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
}
