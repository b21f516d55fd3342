/// The transposed im2col matrix of a convolution, with a row of ones appended,
/// read straight from the NHWC image: row t = (r, s, c) is a tap, column q =
/// (b, i, j) an output pixel, and
///
///     self[t, q] = x[b, i·stride + r − padTop, j·stride + s − padLeft, c]   for t < kh·kw·cin
///     self[kh·kw·cin, q] = 1
///
/// As the A operand of `GEMM` with B = dY it yields the weight gradient and, in
/// its last row, the bias gradient, [dW; db] = [im2colᵀ; 1ᵀ]·dY, in one pass over
/// dY and without storing the (pixels × taps) im2col matrix.
struct ConvolutionTapRows: GEMMStripSource {
    let image: UnsafePointer<Float>
    let g: Conv2DGeometry
    let index: ConvolutionIndex

    init(image: UnsafePointer<Float>, g: Conv2DGeometry, index: ConvolutionIndex? = nil) {
        self.image = image
        self.g = g
        self.index = index ?? ConvolutionIndex.of(g)
    }

    /// Strips over pixels whose windows lie inside the image, by what their six rows are:
    /// six adjacent channels of one tap are copied with one 8-wide load per pixel
    /// (measured: faster than reading them in place, since the packed strip then
    /// stays in L1 for every panel), and so is a strip of the row of ones whose image
    /// rows are adjacent values (`adjacentStrip`); other taps (a first layer's, one
    /// channel each) are read in place, row offsets being the taps' offsets and depth
    /// offsets the pixels' corners; any other strip holding the row of ones is copied
    /// value by value. Windows that cross the padding are gathered value by value.
    func strip(rows: Range<Int>, depth: Range<Int>, buffer: UnsafeMutablePointer<Float>) -> GEMMStrip {
        let width = GEMMMicroKernel.rows
        guard index.inside(depth) else { return gatheredStrip(rows: rows, depth: depth, buffer: buffer) }
        let taps = index.tapOffsets + rows.lowerBound, corners = index.pixelCorners + depth.lowerBound
        let imageRows = max(0, min(rows.upperBound, g.patchSize) - rows.lowerBound)
        if imageRows > 0 && taps[imageRows - 1] == taps[0] + imageRows - 1 {
            return adjacentStrip(imageRows: imageRows, firstTap: taps[0], corners: corners, count: depth.count,
                                 buffer: buffer)
        }
        if imageRows == width {
            return GEMMStrip(base: image, rowOffsets: (taps[0], taps[1], taps[2], taps[3], taps[4], taps[5]),
                             depthOffsets: corners)
        }
        var out = buffer
        for p in 0..<depth.count {
            let window = image + corners[p]
            for r in 0..<imageRows { out[r] = window[taps[r]] }
            if imageRows < width {
                out[imageRows] = 1
                for r in (imageRows + 1)..<width { out[r] = 0 }
            }
            out += width
        }
        return GEMMStrip(base: buffer, rowStride: 1, depthStride: width)
    }

    /// A strip whose image rows are adjacent values of each window (six channels of one tap,
    /// or a first layer's last taps of a row beside the row of ones): one 8-wide copy per
    /// pixel, the rows past the image's (the ones, then zeros) blended in; the two extra
    /// lanes are overwritten by the next pixel, and the buffer has room for them.
    private func adjacentStrip(imageRows: Int, firstTap: Int, corners: UnsafePointer<Int>, count: Int,
                               buffer: UnsafeMutablePointer<Float>) -> GEMMStrip {
        let width = GEMMMicroKernel.rows
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        let fromImage = lanes .< Int32(imageRows)
        let rest = SIMD8<Float>.zero.replacing(with: 1, where: lanes .== Int32(imageRows) .& (lanes .< Int32(width)))
        let raw = UnsafeMutableRawPointer(buffer)
        let source = UnsafeRawPointer(image + firstTap)
        // The 8-wide load must stay inside the image: the batch's last windows are copied value by value.
        let lastVectorCorner = g.batch * g.height * g.width * g.inChannels - 8 - firstTap
        for p in 0..<count {
            if corners[p] <= lastVectorCorner {
                let values = source.loadUnaligned(fromByteOffset: corners[p] &* 4, as: SIMD8<Float>.self)
                raw.storeBytes(of: rest.replacing(with: values, where: fromImage), toByteOffset: p &* 24,
                               as: SIMD8<Float>.self)
            } else {
                for r in 0..<width { buffer[p * width + r] = r < imageRows ? image[corners[p] + firstTap + r] : rest[r] }
            }
        }
        return GEMMStrip(base: buffer, rowStride: 1, depthStride: width)
    }

    /// Depth-major strips, buffer[p·6 + r], gathered tap by tap with the padding's zeros.
    private func gatheredStrip(rows: Range<Int>, depth: Range<Int>, buffer: UnsafeMutablePointer<Float>) -> GEMMStrip {
        let width = GEMMMicroKernel.rows
        let taps = (0..<width).map { tap(rows.lowerBound + $0) }
        let allImage = taps.allSatisfy { $0.kind == .image }
        let (o0, o1, o2, o3, o4, o5) = (taps[0].offset, taps[1].offset, taps[2].offset,
                                        taps[3].offset, taps[4].offset, taps[5].offset)
        // Six adjacent channels of one tap: one 8-wide load per pixel, whose two extra
        // lanes must still lie inside the image buffer.
        let adjacent = allImage && (1..<width).allSatisfy { taps[$0].offset == o0 + $0 }
        let imageCount = g.batch * g.height * g.width * g.inChannels
        let pixelsPerImage = g.outHeight * g.outWidth
        var b = depth.lowerBound / pixelsPerImage
        var i = (depth.lowerBound - b * pixelsPerImage) / g.outWidth
        var j = depth.lowerBound - b * pixelsPerImage - i * g.outWidth
        var out = buffer
        for _ in depth {
            let top = i * g.stride - g.padTop, left = j * g.stride - g.padLeft
            let corner = ((b * g.height + top) * g.width + left) * g.inChannels
            let inside = top >= 0 && left >= 0 && top + g.kernelHeight <= g.height && left + g.kernelWidth <= g.width
            if inside && adjacent && corner + o0 + 8 <= imageCount {
                let v = UnsafeRawPointer(image + corner + o0).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(out).storeBytes(of: v.lowHalf, as: SIMD4<Float>.self)
                out[4] = v[4]
                out[5] = v[5]
            } else if inside && allImage {
                let window = image + corner
                (out[0], out[1], out[2]) = (window[o0], window[o1], window[o2])
                (out[3], out[4], out[5]) = (window[o3], window[o4], window[o5])
            } else {
                for r in 0..<width { out[r] = value(taps[r], corner, top, left, inside) }
            }
            out += width
            j += 1
            if j == g.outWidth { j = 0; i += 1 }
            if i == g.outHeight { i = 0; b += 1 }
        }
        return GEMMStrip(base: buffer, rowStride: 1, depthStride: width)
    }

    /// Where tap row t reads, relative to its window's top-left value.
    private struct Tap {
        enum Kind { case image, one, zero }
        let kind: Kind
        let row, column, channel, offset: Int
    }

    private func tap(_ t: Int) -> Tap {
        guard t < g.patchSize else { return Tap(kind: t == g.patchSize ? .one : .zero, row: 0, column: 0, channel: 0, offset: 0) }
        let c = t % g.inChannels, s = t / g.inChannels % g.kernelWidth, r = t / (g.inChannels * g.kernelWidth)
        return Tap(kind: .image, row: r, column: s, channel: c, offset: (r * g.width + s) * g.inChannels + c)
    }

    @inline(__always)
    private func value(_ t: Tap, _ corner: Int, _ top: Int, _ left: Int, _ inside: Bool) -> Float {
        switch t.kind {
        case .one: return 1
        case .zero: return 0
        case .image:
            if inside { return image[corner + t.offset] }
            let ii = top + t.row, jj = left + t.column
            return ii >= 0 && ii < g.height && jj >= 0 && jj < g.width ? image[corner + t.offset] : 0
        }
    }
}
