/// Unfolds convolution windows into rows so that a convolution becomes one GEMM:
/// row (b, i, j) of `cols` holds the kh·kw·cin input values under output pixel
/// (i, j) of image b, zero where the window hangs over the padding.
/// The training passes never store this matrix (the GEMM packs windows straight
/// from the image, see `ConvolutionWindows` and `ConvolutionTapRows`); `unfold`
/// materialises it for whoever wants to look at it, and `fold`, its adjoint, turns
/// dcols back into an image gradient.
public enum Im2Col {
    /// Output pixels per parallel block: enough work to amortise a hand-off.
    static let pixelsPerBlock = 256

    /// cols[outputPixels × patchSize] ← windows of x (NHWC). Parallel over fixed pixel blocks.
    public static func unfold(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, _ g: Conv2DGeometry) {
        let windows = ConvolutionWindows(image: x, g: g)
        let patch = g.patchSize, pixels = g.outputPixels
        WorkerPool.shared.run(blocks: (pixels + pixelsPerBlock - 1) / pixelsPerBlock) { blk in
            let first = blk * pixelsPerBlock
            windows.gather(rows: first..<min(pixels, first + pixelsPerBlock), depth: 0..<patch,
                           into: cols + first * patch, rowStride: patch, depthStride: 1)
        }
    }

    /// dx (NHWC) ← Σ over windows of dcols: the adjoint of `unfold`. Overwrites dx.
    /// Parallel over images (each owns its dx); within an image the sum runs in a
    /// fixed order, so the result does not depend on the thread count.
    public static func fold(_ dcols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ g: Conv2DGeometry) {
        WorkerPool.shared.run(blocks: g.batch) { b in
            foldImage(dcols + b * g.outHeight * g.outWidth * g.patchSize,
                      dx + b * g.height * g.width * g.inChannels, g)
        }
    }

    /// One image of `fold`: its outHeight·outWidth rows of dcols into its H×W×cin gradient.
    static func foldImage(_ dcols: UnsafePointer<Float>, _ img: UnsafeMutablePointer<Float>, _ g: Conv2DGeometry) {
        let cin = g.inChannels
        img.update(repeating: 0, count: g.height * g.width * cin)
        var row = dcols
        for i in 0..<g.outHeight {
            for j in 0..<g.outWidth {
                // Columns jj = left + s for s in sLow..<sHigh lie inside the image.
                let left = j * g.stride - g.padLeft
                let sLow = max(0, -left), sHigh = min(g.kernelWidth, g.width - left)
                for r in 0..<g.kernelHeight {
                    let ii = i * g.stride + r - g.padTop
                    guard ii >= 0 && ii < g.height && sLow < sHigh else { continue }
                    let count = (sHigh - sLow) * cin
                    let dst = img + (ii * g.width + left + sLow) * cin
                    let src = row + (r * g.kernelWidth + sLow) * cin
                    VectorAccumulate.add(dst, src, count: count)
                }
                row += g.patchSize
            }
        }
    }
}
