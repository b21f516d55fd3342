/// One depth segment of a one-channel 3×3 first layer's weight and bias gradients,
/// straight from the 2×2 pooling's dy, sixteen channels at a time, for CPUs with
/// AVX-512: the loop of `Tensor.PooledFirstLayerWeightGradient.runGroup`, the same
/// operations in the same order on each lane, here in zmm registers, so every sum is
/// bit-identical to the AVX2 path (`WideTileTests` compares them):
///
///     [dW; db][t, o] = Σ_p [x(p + tap t); 1] · dz[p, o],   dz = scatter(dy · [pooled > 0])
///
/// summed pixel by pixel in the GEMM's depth order, chunk by chunk, each chunk from 0
/// and then added to the segment's sum, as `GEMM.runTile` sums it. Call only when the CPU
/// has AVX-512 (`Tensor.SIMDLevel`).
public enum WidePooledFirstLayerGradient {
    typealias V = SIMD16<Float>
    typealias Indices = SIMD16<Int32>

    /// Pixels `depthStart..<depthEnd` of the batch's convolution output (height × width
    /// images `x`, outputs outHeight × outWidth × channels, channels a multiple of 16,
    /// pooled to pooledHeight × pooledWidth) in chunks of `chunk`, into `c` (10 rows of
    /// `channels`: the nine taps, then the bias).
    @inline(never)
    public static func run(input x: UnsafePointer<Float>, pooledGradient dy: UnsafePointer<Float>,
                           argmax: UnsafePointer<Int32>, pooled: UnsafePointer<Float>,
                           height: Int, width: Int, outHeight: Int, outWidth: Int, channels: Int,
                           pooledHeight: Int, pooledWidth: Int, depthStart: Int, depthEnd: Int, chunk: Int,
                           into c: UnsafeMutablePointer<Float>) {
        let shape = Shape(height: height, width: width, outHeight: outHeight, outWidth: outWidth, channels: channels,
                          pooledHeight: pooledHeight, pooledWidth: pooledWidth)
        for group in stride(from: 0, to: channels, by: 16) {
            runGroup(x, dy, argmax, pooled, shape, group, depthStart..<depthEnd, chunk, c)
        }
    }

    struct Shape {
        let height, width, outHeight, outWidth, channels, pooledHeight, pooledWidth: Int
    }

    @inline(__always)
    static func runGroup(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                         _ pooled: UnsafePointer<Float>, _ s: Shape, _ group: Int, _ depth: Range<Int>, _ chunk: Int,
                         _ c: UnsafeMutablePointer<Float>) {
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        let lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &+ Int32(truncatingIfNeeded: group)
        let pixels = s.outHeight * s.outWidth, cout = s.channels, width = s.width
        var b = depth.lowerBound / pixels, r = depth.lowerBound % pixels / s.outWidth
        var column = depth.lowerBound % s.outWidth
        var p0 = depth.lowerBound
        while p0 < depth.upperBound {
            let count = min(chunk, depth.upperBound - p0)
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V(), a8 = V(), a9 = V()
            for p in p0..<(p0 + count) {
                // dz at pixel p: the window's dy where p won it and its output is positive, else 0.
                var dz = V()
                if r < 2 * s.pooledHeight && column < 2 * s.pooledWidth {
                    let k = ((b * s.pooledHeight + r / 2) * s.pooledWidth + column / 2) * cout + group
                    var value = load(dy + k) + 0
                    value.replace(with: 0, where: .!(load(pooled + k) .> 0))
                    let at = Indices(repeating: Int32(truncatingIfNeeded: p * cout)) &+ lanes
                    dz.replace(with: value, where: UnsafeRawPointer(argmax + k).loadUnaligned(as: Indices.self) .== at)
                }
                let q = x + (b * s.height + r) * width + column
                a0 = a0.addingProduct(V(repeating: q[0]), dz)
                a1 = a1.addingProduct(V(repeating: q[1]), dz)
                a2 = a2.addingProduct(V(repeating: q[2]), dz)
                a3 = a3.addingProduct(V(repeating: q[width]), dz)
                a4 = a4.addingProduct(V(repeating: q[width + 1]), dz)
                a5 = a5.addingProduct(V(repeating: q[width + 2]), dz)
                a6 = a6.addingProduct(V(repeating: q[2 * width]), dz)
                a7 = a7.addingProduct(V(repeating: q[2 * width + 1]), dz)
                a8 = a8.addingProduct(V(repeating: q[2 * width + 2]), dz)
                a9 = a9.addingProduct(V(repeating: 1), dz)
                column += 1
                if column == s.outWidth {
                    column = 0
                    r += 1
                    if r == s.outHeight { (r, b) = (0, b + 1) }
                }
            }
            // The chunk's sums onto the segment's (the first chunk starts it).
            let first = p0 == depth.lowerBound
            @inline(__always) func store(_ row: Int, _ sum: V) {
                let raw = UnsafeMutableRawPointer(c + row * cout + group)
                raw.storeBytes(of: first ? sum : sum + raw.loadUnaligned(as: V.self), as: V.self)
            }
            store(0, a0); store(1, a1); store(2, a2); store(3, a3); store(4, a4)
            store(5, a5); store(6, a6); store(7, a7); store(8, a8); store(9, a9)
            p0 += count
        }
    }
}
