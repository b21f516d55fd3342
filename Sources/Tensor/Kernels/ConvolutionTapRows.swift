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

    /// Depth-major strips, buffer[p·6 + r]: per pixel the six taps are often adjacent channels.
    func strip(rows: Range<Int>, depth: Range<Int>, buffer: UnsafeMutablePointer<Float>) -> GEMMStrip {
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
