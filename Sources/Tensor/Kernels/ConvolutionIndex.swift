import Foundation

/// Where a convolution's im2col matrix lies in its NHWC image, as two tables:
///
///     im2col[q, p] = image[pixelCorners[q] + tapOffsets[p]]
///
/// for every output pixel q = (b, i, j) whose window lies inside the image, with
/// pixelCorners[q] = ((b·height + i·stride − padTop)·width + j·stride − padLeft)·cin
/// (the window's top-left value) and tapOffsets[p] = (r·width + s)·cin + c for tap
/// p = (r, s, c). With them the GEMM reads im2col in place, through
/// `GEMMStrip(depthOffsets:)`, instead of copying each window's values into a strip:
/// the forward pass walks taps, the weight gradient walks pixels.
///
/// A pixel whose window hangs over the padding has no corner inside the image; it is
/// marked `outside` and its strips are gathered value by value instead.
final class ConvolutionIndex: @unchecked Sendable {
    static let outside = Int.min

    let tapOffsets: UnsafeMutablePointer<Int>
    let pixelCorners: UnsafeMutablePointer<Int>
    /// True when every window lies inside the image (valid padding).
    let allInside: Bool
    private let g: Conv2DGeometry

    init(_ g: Conv2DGeometry) {
        self.g = g
        tapOffsets = .allocate(capacity: g.patchSize)
        for p in 0..<g.patchSize {
            let c = p % g.inChannels, s = p / g.inChannels % g.kernelWidth, r = p / (g.inChannels * g.kernelWidth)
            tapOffsets[p] = (r * g.width + s) * g.inChannels + c
        }
        pixelCorners = .allocate(capacity: g.outputPixels)
        var q = 0, inside = true
        for b in 0..<g.batch {
            for i in 0..<g.outHeight {
                let top = i * g.stride - g.padTop
                for j in 0..<g.outWidth {
                    let left = j * g.stride - g.padLeft
                    if top >= 0 && left >= 0 && top + g.kernelHeight <= g.height && left + g.kernelWidth <= g.width {
                        pixelCorners[q] = ((b * g.height + top) * g.width + left) * g.inChannels
                    } else {
                        pixelCorners[q] = Self.outside
                        inside = false
                    }
                    q += 1
                }
            }
        }
        allInside = inside
    }

    deinit {
        tapOffsets.deallocate()
        pixelCorners.deallocate()
    }

    /// The index of `g`, built once: a layer convolves the same geometry at every
    /// step, and building the table of a first layer's 43 264 pixel corners (batch 64)
    /// cost more than its in-place reads saved. Holds the last few geometries.
    static func of(_ g: Conv2DGeometry) -> ConvolutionIndex {
        cacheLock.withLock {
            if let index = cache[g] { return index }
            if cache.count >= cacheLimit { cache.removeAll() }
            let index = ConvolutionIndex(g)
            cache[g] = index
            return index
        }
    }

    private static let cacheLimit = 32
    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [Conv2DGeometry: ConvolutionIndex] = [:]

    /// True when the windows of pixels `pixels` all lie inside the image.
    func inside(_ pixels: Range<Int>) -> Bool {
        allInside || pixels.allSatisfy { pixelCorners[$0] != Self.outside }
    }
}
