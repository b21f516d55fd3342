/// A one-channel 3×3 first layer and the 2×2, stride-2 max pooling after it, sixteen
/// channels at a time, for CPUs with AVX-512: the loop of
/// `Tensor.PooledFirstLayerKernel.runGroup`, the same operations in the same order on
/// each lane, here in zmm registers (one instruction where AVX2 takes two), so every
/// value and winner is bit-identical to the AVX2 path (`WideTileTests` compares them):
///
///     y[i,j,o] = max_{r,s<2} f(b[o] + Σ_{u,v<3} x[2i + r + u, 2j + s + v] · W[u,v,o])
///
/// Each sum starts from 0 and adds the taps' fused products in order (u, then v), the
/// bias after, then the ReLU (x < 0 → 0); a later window position wins only when
/// strictly greater. Call only when the CPU has AVX-512 (`Tensor.SIMDLevel`).
public enum WidePooledFirstLayer {
    typealias V = SIMD16<Float>
    typealias Indices = SIMD16<Int32>

    /// One image `x` of `width` columns; `channels` (a multiple of 16) outputs per pixel of
    /// a convolution `outWidth` wide, pooled to `pooledHeight` × `pooledWidth` into `y`.
    /// With `argmax`, each winner's index in the batch's convolution output, whose image
    /// starts at `first`; with `convolved` too, every output the windows cover (the image's
    /// convolution, `outWidth` wide) stored there as well.
    @inline(never)
    public static func run(image x: UnsafePointer<Float>, width: Int, weight w: UnsafePointer<Float>,
                           bias: UnsafePointer<Float>, channels: Int, outWidth: Int,
                           pooledHeight: Int, pooledWidth: Int, rectified: Bool,
                           into y: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>?, first: Int,
                           convolved: UnsafeMutablePointer<Float>? = nil) {
        let geometry = Geometry(width: width, channels: channels, outWidth: outWidth, pooledHeight: pooledHeight,
                                pooledWidth: pooledWidth, first: first)
        for group in stride(from: 0, to: channels, by: 16) {
            if let argmax, let convolved {
                runGroup(x, w, bias, geometry, group, rectified, y, argmax, convolved)
            } else if let argmax {
                runGroup(x, w, bias, geometry, group, rectified, y, argmax, nil)
            } else {
                runGroup(x, w, bias, geometry, group, rectified, y, nil, nil)
            }
        }
    }

    struct Geometry {
        let width, channels, outWidth, pooledHeight, pooledWidth, first: Int
    }

    @inline(__always)
    static func runGroup(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                         _ g: Geometry, _ group: Int, _ rectified: Bool,
                         _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>?,
                         _ convolved: UnsafeMutablePointer<Float>?) {
        let cout = g.channels, width = g.width
        @inline(__always) func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }
        let w0 = load(w + group), w1 = load(w + cout + group), w2 = load(w + 2 * cout + group)
        let w3 = load(w + 3 * cout + group), w4 = load(w + 4 * cout + group), w5 = load(w + 5 * cout + group)
        let w6 = load(w + 6 * cout + group), w7 = load(w + 7 * cout + group), w8 = load(w + 8 * cout + group)
        let b = load(bias + group)
        let lanes = Indices(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) &+ Int32(truncatingIfNeeded: group)
        @inline(__always) func output(_ p: UnsafePointer<Float>) -> V {
            var sum = V()
            sum = sum.addingProduct(V(repeating: p[0]), w0)
            sum = sum.addingProduct(V(repeating: p[1]), w1)
            sum = sum.addingProduct(V(repeating: p[2]), w2)
            sum = sum.addingProduct(V(repeating: p[width]), w3)
            sum = sum.addingProduct(V(repeating: p[width + 1]), w4)
            sum = sum.addingProduct(V(repeating: p[width + 2]), w5)
            sum = sum.addingProduct(V(repeating: p[2 * width]), w6)
            sum = sum.addingProduct(V(repeating: p[2 * width + 1]), w7)
            sum = sum.addingProduct(V(repeating: p[2 * width + 2]), w8)
            var z = sum + b
            if rectified { z.replace(with: V(), where: z .< V()) }
            return z
        }
        for i in 0..<g.pooledHeight {
            for j in 0..<g.pooledWidth {
                let top = x + 2 * i * width + 2 * j
                @inline(__always) func at(_ r: Int, _ s: Int) -> Indices {
                    Indices(repeating: Int32(truncatingIfNeeded: g.first + ((2 * i + r) * g.outWidth + 2 * j + s) * cout))
                        &+ lanes
                }
                // The output at (2i + r, 2j + s), where the caller keeps the convolution too.
                @inline(__always) func keep(_ v: V, _ r: Int, _ s: Int) {
                    guard let convolved else { return }
                    let k = ((2 * i + r) * g.outWidth + 2 * j + s) * cout + group
                    UnsafeMutableRawPointer(convolved + k).storeBytes(of: v, as: V.self)
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
                let k = (i * g.pooledWidth + j) * cout + group
                UnsafeMutableRawPointer(y + k).storeBytes(of: best, as: V.self)
                if let argmax { UnsafeMutableRawPointer(argmax + k).storeBytes(of: winner, as: Indices.self) }
            }
        }
    }
}
