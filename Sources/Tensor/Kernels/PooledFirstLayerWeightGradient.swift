import TensorAVX512

/// The weight and bias gradients of a one-channel 3×3 first layer (`PooledFirstLayerKernel`'s
/// shapes) straight from the 2×2 pooling's dy, in registers, for a depth segment of
/// `PooledWeightGradient` whose dL/dz nobody keeps:
///
///     [dW; db][t, o] = Σ_p [x(p + tap t); 1] · dz[p, o],   dz = scatter(dy · [pooled > 0])
///
/// Written out, dz is three quarters zeros (each window passes its dy to one of four
/// pixels) that the product then reads back; here each pixel's dz is formed from its
/// window's dy, winner and output as the pooling's pass writes it, and multiplied at
/// once by the pixel's nine taps and the 1 of the bias, ten sums of eight channels kept
/// in registers. The pixels are walked in the product's depth order, chunk by chunk
/// (`GEMMPlan.chunkDepth`), each chunk's sums from 0 then added to the segment's as
/// `GEMM.runTile` adds them, so the bits are those of the two passes. On AVX-512 CPUs
/// sixteen channels at a time (`WidePooledFirstLayerGradient`, the same loop in zmm
/// registers).
enum PooledFirstLayerWeightGradient {
    private typealias Vector = SIMD8<Float>
    private typealias Indices = SIMD8<Int32>

    /// Pixels `depth` of the batch's convolution output into `c`, 10 rows of `g.outChannels`
    /// (the nine taps, then the bias), in chunks of `chunk`.
    static func run(input x: UnsafePointer<Float>, pooledGradient dy: UnsafePointer<Float>,
                    argmax: UnsafePointer<Int32>, pooled: UnsafePointer<Float>, _ g: Conv2DGeometry,
                    _ pool: MaxPoolKernel.Shape, depth: Range<Int>, chunk: Int, into c: UnsafeMutablePointer<Float>) {
        if SIMDLevel.avx512 && g.outChannels % 16 == 0 {
            return WidePooledFirstLayerGradient.run(
                input: x, pooledGradient: dy, argmax: argmax, pooled: pooled, height: g.height, width: g.width,
                outHeight: g.outHeight, outWidth: g.outWidth, channels: g.outChannels, pooledHeight: pool.outHeight,
                pooledWidth: pool.outWidth, depthStart: depth.lowerBound, depthEnd: depth.upperBound, chunk: chunk,
                into: c)
        }
        for group in stride(from: 0, to: g.outChannels, by: 8) {
            runGroup(x, dy, argmax, pooled, g, pool, group, depth, chunk, c)
        }
    }

    /// Eight channels from `group` on (the loop that `WidePooledFirstLayerGradient.runGroup`
    /// repeats sixteen wide).
    private static func runGroup(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                                 _ pooled: UnsafePointer<Float>, _ g: Conv2DGeometry, _ pool: MaxPoolKernel.Shape,
                                 _ group: Int, _ depth: Range<Int>, _ chunk: Int, _ c: UnsafeMutablePointer<Float>) {
        typealias V = Vector
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        let lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7) &+ Int32(truncatingIfNeeded: group)
        let pixels = g.outHeight * g.outWidth, cout = g.outChannels, width = g.width
        var b = depth.lowerBound / pixels, r = depth.lowerBound % pixels / g.outWidth
        var column = depth.lowerBound % g.outWidth
        var p0 = depth.lowerBound
        while p0 < depth.upperBound {
            let count = min(chunk, depth.upperBound - p0)
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V(), a8 = V(), a9 = V()
            for p in p0..<(p0 + count) {
                // dz at pixel p: the window's dy where p won it and its output is positive, else 0.
                var dz = V()
                if r < 2 * pool.outHeight && column < 2 * pool.outWidth {
                    let k = ((b * pool.outHeight + r / 2) * pool.outWidth + column / 2) * cout + group
                    var value = load(dy + k) + 0
                    value.replace(with: 0, where: .!(load(pooled + k) .> 0))
                    let at = Indices(repeating: Int32(truncatingIfNeeded: p * cout)) &+ lanes
                    dz.replace(with: value, where: UnsafeRawPointer(argmax + k).loadUnaligned(as: Indices.self) .== at)
                }
                let q = x + (b * g.height + r) * width + column
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
                if column == g.outWidth {
                    column = 0
                    r += 1
                    if r == g.outHeight { (r, b) = (0, b + 1) }
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
