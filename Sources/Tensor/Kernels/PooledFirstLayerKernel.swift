import TensorAVX512

/// A first layer's 3×3 convolution of a one-channel image (stride 1, valid padding),
/// ReLU'd or not, and the 2×2, stride-2 max pooling after it, in registers:
///
///     y[i,j,o] = max_{r,s<2} f(b[o] + Σ_{u,v<3} x[2i + r + u, 2j + s + v] · W[u,v,o])
///
/// With one input channel the convolution is 9 products per output value, too short a
/// depth for the GEMM (its micro-kernel spends as long entering and leaving as
/// multiplying), and its output (26×26×32 floats for an MNIST digit) was written only
/// to be pooled. Here eight channels at a time keep their 9 weights and bias in
/// registers, each window's four outputs are summed from the image (in L1) and only
/// their maximum, and its position, is stored: the convolution's output never exists
/// (except for a training step whose recorder measures it: then each output is stored
/// as it is formed, and the image's convolution is read nowhere else).
///
/// On AVX-512 CPUs sixteen channels at a time (`WidePooledFirstLayer`, the same loop in
/// zmm registers). The bits are those of `conv2D` then `maxPool2D`: each sum starts from 0 and adds the
/// taps' fused products in the GEMM's depth order (u, then v), the bias after, then the
/// ReLU as `GEMMMicroKernel` writes it; the window is scanned as `MaxPoolKernel` scans
/// it, a later value winning only when strictly greater.
enum PooledFirstLayerKernel {
    private typealias Vector = SIMD8<Float>
    private typealias Indices = SIMD8<Int32>

    /// Whether the pair is this kernel's: one input channel, 3×3 taps, stride 1, valid
    /// padding, channels in eights, and 2×2 windows of stride 2.
    static func applies(_ g: Conv2DGeometry, _ pool: MaxPoolKernel.Shape) -> Bool {
        g.inChannels == 1 && g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1
            && g.outHeight == g.height - 2 && g.outWidth == g.width - 2 && g.outChannels % 8 == 0
            && pool.size == 2 && pool.stride == 2 && pool.outHeight > 0 && pool.outWidth > 0
    }

    /// The pooled output of one image `x` (height × width) into `y`; with `argmax`, each
    /// winner's index in the batch's convolution output, whose image b starts at `first`;
    /// with `convolved` too, the image's convolution stored there as well (every output,
    /// where its height and width are even: the windows cover them all).
    static func run(image x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                    _ g: Conv2DGeometry, _ pool: MaxPoolKernel.Shape, rectified: Bool,
                    into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?, first: Int,
                    convolved: UnsafeMutablePointer<Float>? = nil) {
        precondition(convolved == nil || argmax != nil, "PooledFirstLayerKernel: a kept convolution needs the argmax")
        if SIMDLevel.avx512 && g.outChannels % 16 == 0 {
            return WidePooledFirstLayer.run(image: x, width: g.width, weight: w, bias: bias, channels: g.outChannels,
                                            outWidth: g.outWidth, pooledHeight: pool.outHeight,
                                            pooledWidth: pool.outWidth, rectified: rectified, into: y, argmax: argmax,
                                            first: first, convolved: convolved)
        }
        for group in stride(from: 0, to: g.outChannels, by: 8) {
            if let argmax, let convolved {
                runGroup(x, w, bias, g, pool, group, rectified, y, argmax, first, convolved)
            } else if let argmax {
                runGroup(x, w, bias, g, pool, group, rectified, y, argmax, first, nil)
            } else {
                runGroup(x, w, bias, g, pool, group, rectified, y, nil, first, nil)
            }
        }
    }

    /// Eight channels from `group` on, over every window of the image (the loop that
    /// `WidePooledFirstLayer.runGroup` repeats sixteen wide).
    @inline(__always)
    private static func runGroup(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                                 _ g: Conv2DGeometry, _ pool: MaxPoolKernel.Shape, _ group: Int, _ rectified: Bool,
                                 _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>?,
                                 _ first: Int, _ convolved: UnsafeMutablePointer<Float>?) {
        let cout = g.outChannels, width = g.width
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> Vector { UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
        let w0 = load(w + group), w1 = load(w + cout + group), w2 = load(w + 2 * cout + group)
        let w3 = load(w + 3 * cout + group), w4 = load(w + 4 * cout + group), w5 = load(w + 5 * cout + group)
        let w6 = load(w + 6 * cout + group), w7 = load(w + 7 * cout + group), w8 = load(w + 8 * cout + group)
        let b = load(bias + group)
        let lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7) &+ Int32(truncatingIfNeeded: group)
        // One convolution output: the window of x whose top-left value is p.
        @inline(__always) func output(_ p: UnsafePointer<Float>) -> Vector {
            var sum = Vector()
            sum = sum.addingProduct(Vector(repeating: p[0]), w0)
            sum = sum.addingProduct(Vector(repeating: p[1]), w1)
            sum = sum.addingProduct(Vector(repeating: p[2]), w2)
            sum = sum.addingProduct(Vector(repeating: p[width]), w3)
            sum = sum.addingProduct(Vector(repeating: p[width + 1]), w4)
            sum = sum.addingProduct(Vector(repeating: p[width + 2]), w5)
            sum = sum.addingProduct(Vector(repeating: p[2 * width]), w6)
            sum = sum.addingProduct(Vector(repeating: p[2 * width + 1]), w7)
            sum = sum.addingProduct(Vector(repeating: p[2 * width + 2]), w8)
            var z = sum + b
            if rectified { z.replace(with: Vector(), where: z .< Vector()) }
            return z
        }
        for i in 0..<pool.outHeight {
            for j in 0..<pool.outWidth {
                let top = x + 2 * i * width + 2 * j
                // Index in the batch's output of the convolution at (2i + r, 2j + s).
                @inline(__always) func at(_ r: Int, _ s: Int) -> Indices {
                    Indices(repeating: Int32(truncatingIfNeeded: first + ((2 * i + r) * g.outWidth + 2 * j + s) * cout))
                        &+ lanes
                }
                // The output at (2i + r, 2j + s), where the caller keeps the convolution too.
                @inline(__always) func keep(_ v: Vector, _ r: Int, _ s: Int) {
                    guard let convolved else { return }
                    let k = ((2 * i + r) * g.outWidth + 2 * j + s) * cout + group
                    UnsafeMutableRawPointer(convolved + k).storeBytes(of: v, as: Vector.self)
                }
                var best = output(top)
                keep(best, 0, 0)
                var winner = argmax == nil ? Indices() : at(0, 0)
                @inline(__always) func consider(_ r: Int, _ s: Int) {
                    let v = output(top + r * width + s)
                    keep(v, r, s)
                    let better = v .> best
                    best.replace(with: v, where: better)
                    if argmax != nil { winner.replace(with: at(r, s), where: better) }
                }
                consider(0, 1)
                consider(1, 0)
                consider(1, 1)
                let k = (i * pool.outWidth + j) * cout + group
                UnsafeMutableRawPointer(y + k).storeBytes(of: best, as: Vector.self)
                if let argmax { UnsafeMutableRawPointer(argmax + k).storeBytes(of: winner, as: Indices.self) }
            }
        }
    }
}
