/// Unfolds convolution windows into rows so that a convolution becomes one GEMM:
/// row (b, i, j) of `cols` holds the kh·kw·cin input values under output pixel
/// (i, j) of image b, zero where the window hangs over the padding.
public enum Im2Col {
    /// cols[outputPixels × patchSize] ← windows of x (NHWC). Parallel over images.
    public static func unfold(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, _ g: Conv2DGeometry) {
        let patch = g.patchSize, cin = g.inChannels
        WorkerPool.shared.run(blocks: g.batch) { b in
            let img = x + b * g.height * g.width * cin
            var row = cols + b * g.outHeight * g.outWidth * patch
            for i in 0..<g.outHeight {
                for j in 0..<g.outWidth {
                    var dst = row
                    for r in 0..<g.kernelHeight {
                        let ii = i * g.stride + r - g.padTop
                        for s in 0..<g.kernelWidth {
                            let jj = j * g.stride + s - g.padLeft
                            if ii >= 0 && ii < g.height && jj >= 0 && jj < g.width {
                                let src = img + (ii * g.width + jj) * cin
                                for c in 0..<cin { dst[c] = src[c] }
                            } else {
                                for c in 0..<cin { dst[c] = 0 }
                            }
                            dst += cin
                        }
                    }
                    row += patch
                }
            }
        }
    }

    /// dx (NHWC) ← Σ over windows of dcols: the adjoint of `unfold`. Overwrites dx.
    /// Parallel over images; within an image the sum runs in a fixed order.
    public static func fold(_ dcols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: Conv2DGeometry) {
        let patch = g.patchSize, cin = g.inChannels
        WorkerPool.shared.run(blocks: g.batch) { b in
            let img = dx + b * g.height * g.width * cin
            img.update(repeating: 0, count: g.height * g.width * cin)
            var row = dcols + b * g.outHeight * g.outWidth * patch
            for i in 0..<g.outHeight {
                for j in 0..<g.outWidth {
                    var src = row
                    for r in 0..<g.kernelHeight {
                        let ii = i * g.stride + r - g.padTop
                        for s in 0..<g.kernelWidth {
                            let jj = j * g.stride + s - g.padLeft
                            if ii >= 0 && ii < g.height && jj >= 0 && jj < g.width {
                                let dst = img + (ii * g.width + jj) * cin
                                for c in 0..<cin { dst[c] += src[c] }
                            }
                            src += cin
                        }
                    }
                    row += patch
                }
            }
        }
    }
}
