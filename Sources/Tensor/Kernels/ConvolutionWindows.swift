/// The im2col matrix of a convolution, read straight from the NHWC image without
/// ever being stored: row q = (b, i, j) is the output pixel, column p = (r, s, c)
/// the tap, and
///
///     self[q, p] = x[b, i·stride + r − padTop, j·stride + s − padLeft, c]   (0 in the padding)
///
/// The GEMM packs its A strips from it directly, and `Im2Col.unfold` writes rows of
/// it when the matrix itself is wanted. Within one kernel row the kw·cin values
/// under a window are adjacent in NHWC, so they move as one block unless the
/// window hangs over the left or right border.
struct ConvolutionWindows: GEMMStripSource {
    let image: UnsafePointer<Float>
    let g: Conv2DGeometry
    /// Offsets of taps and windows in the image: short windows inside the image are
    /// read in place, or gathered by one table lookup per value instead of
    /// per-kernel-row bookkeeping.
    let index: ConvolutionIndex
    private static let shortRow = 16

    init(image: UnsafePointer<Float>, g: Conv2DGeometry, index: ConvolutionIndex? = nil) {
        self.image = image
        self.g = g
        self.index = index ?? ConvolutionIndex.of(g)
    }

    /// Six im2col rows. Short windows (kw·cin < 16, a first layer) that lie inside the
    /// image are read in place; the rest are gathered (depth adjacent) into `buffer`,
    /// where a long window row moves as one block (measured: in place halves a first
    /// layer's time, and is no faster than the copy for 3×3×32 windows).
    func strip(rows: Range<Int>, depth: Range<Int>, buffer: UnsafeMutablePointer<Float>) -> GEMMStrip {
        let valid = max(0, min(rows.upperBound, g.outputPixels) - rows.lowerBound)
        if valid > 0 && g.kernelWidth * g.inChannels < Self.shortRow && index.inside(rows.lowerBound..<(rows.lowerBound + valid)) {
            let corners = index.pixelCorners + rows.lowerBound
            func offset(_ r: Int) -> Int { corners[min(r, valid - 1)] - corners[0] }
            return GEMMStrip(base: image + corners[0],
                             rowOffsets: (0, offset(1), offset(2), offset(3), offset(4), offset(5)),
                             depthOffsets: index.tapOffsets + depth.lowerBound)
        }
        gather(rows: rows.lowerBound..<(rows.lowerBound + valid), depth: depth, into: buffer,
               rowStride: depth.count, depthStride: 1)
        return GEMMStrip(base: buffer, rowStride: depth.count, depthStride: 1)
    }

    /// dst[r·rowStride + (p − depth.lowerBound)·depthStride] = self[rows.lowerBound + r, p]:
    /// a GEMM strip (rowStride 1, depthStride = width) or rows of im2col (depthStride 1).
    /// Pixels are visited in order, so (b, i, j) is stepped rather than divided out.
    func gather(rows: Range<Int>, depth: Range<Int>, into dst: UnsafeMutablePointer<Float>,
                rowStride: Int, depthStride: Int) {
        guard !rows.isEmpty else { return }
        let pixelsPerImage = g.outHeight * g.outWidth
        var b = rows.lowerBound / pixelsPerImage
        var i = (rows.lowerBound - b * pixelsPerImage) / g.outWidth
        var j = rows.lowerBound - b * pixelsPerImage - i * g.outWidth
        let firstKernelRow = depth.lowerBound / (g.kernelWidth * g.inChannels)
        let offsets = index.tapOffsets, shortRow = g.kernelWidth * g.inChannels < Self.shortRow
        for r in 0..<rows.count {
            let corner = index.pixelCorners[rows.lowerBound + r]
            if shortRow && corner != ConvolutionIndex.outside {
                let window = image + corner
                var out = dst + r * rowStride
                for p in depth {
                    out.pointee = window[offsets[p]]
                    out += depthStride
                }
            } else {
                gatherPixel(b, i, j, firstKernelRow, depth, dst + r * rowStride, depthStride)
            }
            j += 1
            if j == g.outWidth { j = 0; i += 1 }
            if i == g.outHeight { i = 0; b += 1 }
        }
    }

    /// dst[(p − depth.lowerBound)·stride] = value of tap p under output pixel (b, i, j).
    @inline(__always)
    private func gatherPixel(_ b: Int, _ i: Int, _ j: Int, _ firstKernelRow: Int, _ depth: Range<Int>,
                             _ dst: UnsafeMutablePointer<Float>, _ stride: Int) {
        let rowLength = g.kernelWidth * g.inChannels
        let left = j * g.stride - g.padLeft
        let fullRow = left >= 0 && left + g.kernelWidth <= g.width
        var out = dst
        var kr = firstKernelRow
        var p = depth.lowerBound
        while p < depth.upperBound {
            let rowStart = kr * rowLength
            let end = min(depth.upperBound, rowStart + rowLength)
            let ii = i * g.stride + kr - g.padTop
            if ii < 0 || ii >= g.height {
                fill(out, count: end - p, stride: stride)
            } else {
                let line = image + ((b * g.height + ii) * g.width + left) * g.inChannels - rowStart
                if fullRow {
                    copy(line + p, out, count: end - p, stride: stride)
                } else {
                    copyClipped(line, from: p, to: end, rowStart: rowStart, left: left, out, stride)
                }
            }
            out += (end - p) * stride
            p = end
            kr += 1
        }
    }

    /// Part of one kernel row whose window crosses the left or right border:
    /// taps with a column outside the image read as zero.
    @inline(__always)
    private func copyClipped(_ line: UnsafePointer<Float>, from p0: Int, to end: Int, rowStart: Int, left: Int,
                             _ dst: UnsafeMutablePointer<Float>, _ width: Int) {
        let cin = g.inChannels
        var out = dst, p = p0
        while p < end {
            let s = (p - rowStart) / cin
            let tapEnd = min(end, rowStart + (s + 1) * cin)
            let jj = left + s
            if jj < 0 || jj >= g.width {
                fill(out, count: tapEnd - p, stride: width)
            } else {
                copy(line + p, out, count: tapEnd - p, stride: width)
            }
            out += (tapEnd - p) * width
            p = tapEnd
        }
    }

    /// A window row is short (96 values for 3×3×32): copied eight lanes at a time inline,
    /// where a `memmove` call per row cost more than the copy.
    @inline(__always)
    private func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
        if stride == 1 {
            let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(dst)
            var t = 0
            while t + 8 <= count {
                to.storeBytes(of: from.loadUnaligned(fromByteOffset: t * 4, as: SIMD8<Float>.self),
                              toByteOffset: t * 4, as: SIMD8<Float>.self)
                t += 8
            }
            while t < count { dst[t] = src[t]; t += 1 }
        } else {
            for t in 0..<count { dst[t * stride] = src[t] }
        }
    }

    @inline(__always)
    private func fill(_ dst: UnsafeMutablePointer<Float>, count: Int, stride: Int) {
        for t in 0..<count { dst[t * stride] = 0 }
    }
}
