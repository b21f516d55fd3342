import TensorAVX512

/// The per-tile halves of `WinogradConvolution`: gathering and transforming the
/// input tiles of one image, and folding the GEMMs' products back into its outputs.
/// Both walk the channels eight at a time, one SIMD8 per tile value, or sixteen at a
/// time on AVX-512 CPUs where the channels allow (`WideWinogradInput`, `WideWinogradOutput`).
/// An image whose tiles reach past its border (zeros outside), or whose channels leave a
/// short last group of eight, is first copied into a zero-padded buffer, so every tile is
/// read in place and the transforms themselves never branch; a short group's products
/// go through a small patch. Sixteen wide, tiles that reach only past the last row or
/// column read the image itself, with zeros for what lies past it.
extension WinogradConvolution {
    /// The floats of the zero-padded copy `transformInput` makes of an image whose tiles
    /// reach past its border or whose channels leave a short group; 0 where the tiles
    /// read the image in place: every tile lies inside it, or, sixteen channels wide, they
    /// reach only past its last row or column (`WideWinogradInput` puts zeros there).
    var paddedImageCount: Int {
        let (spanHeight, spanWidth) = span
        guard padTop > 0 || padLeft > 0
                || !(Self.runsWide(inChannels) || (spanHeight <= height && spanWidth <= width && inChannels % 8 == 0)) else { return 0 }
        return spanHeight * spanWidth * paddedLanes
    }

    /// The rows and columns the tiles span, from (−padTop, −padLeft).
    private var span: (height: Int, width: Int) {
        let step = WinogradTransforms.outputs
        return (step &* tileRows &+ 2, step &* tileColumns &+ 2)
    }

    /// Floats per pixel of the padded copy: the channels, rounded up to whole groups of eight.
    private var paddedLanes: Int { (inChannels + 7) / 8 * 8 }

    /// A zero-padded image buffer per worker for `transformInput`, zeroed by its worker's
    /// first call of `buffer(for:)` (in the parallel block, so the fill is spread too).
    struct PaddedImages {
        let count: Int
        private let storage: UnsafeMutablePointer<Float>
        private let zeroed: UnsafeMutablePointer<Bool>

        init(_ winograd: WinogradConvolution, workers: Int) {
            count = winograd.paddedImageCount
            storage = .allocate(capacity: max(1, workers * count))
            zeroed = .allocate(capacity: workers)
            zeroed.initialize(repeating: false, count: workers)
        }

        /// Worker `worker`'s buffer; only that worker may call this with its index.
        func buffer(for worker: Int) -> UnsafeMutablePointer<Float> {
            let buffer = storage + worker * count
            if !zeroed[worker] {
                buffer.initialize(repeating: 0, count: count)
                zeroed[worker] = true
            }
            return buffer
        }

        func deallocate() {
            storage.deallocate()
            zeroed.deallocate()
        }
    }

    /// V[ξ][t][c] = (Bᵀ d_t B)[ξ] for every tile t of the image at `x`, where d_t is the
    /// 6×6 window at (4·ty − padTop, 4·tx − padLeft), zero outside the image. `v` points
    /// at the image's first tile in a block of `tiles` tiles (ξ planes tiles·cin apart).
    /// `padded` (`paddedImageCount` floats) must be zero wherever an image's values are
    /// not copied: zeroed once, it serves every image after (only the same places are
    /// written), so each image costs a copy and no longer a fill as well.
    func transformInput(_ x: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, tiles: Int,
                        padded: UnsafeMutablePointer<Float>) {
        let cin = inChannels
        // Sixteen channels wide, tiles that reach only past the last row or column read the
        // image in place (`paddedImageCount` is 0): the copy had been most of a one-thread
        // inference profile's 4 % in memmove.
        guard paddedImageCount > 0 else {
            return transformTiles(x, rowStride: width &* cin, pixelStride: cin, into: v, tiles: tiles,
                                  height: height, width: width)
        }
        // Per-value border tests cost more than this copy: they took the transform of the
        // seed CNN's conv2 input gradient (24 of its 49 2×2 tiles crossed the border) to
        // 11 % of a training step.
        let (spanHeight, spanWidth) = span
        let lanes = paddedLanes, rowStride = spanWidth &* lanes
        let columns = max(0, min(width, spanWidth - padLeft))
        for r in 0..<min(height, spanHeight - padTop) {
            let source = x + r &* width &* cin, row = padded + ((r &+ padTop) &* rowStride &+ padLeft &* lanes)
            if lanes == cin {
                row.update(from: source, count: columns &* cin)
            } else {
                for j in 0..<columns { (row + j &* lanes).update(from: source + j &* cin, count: cin) }
            }
        }
        transformTiles(padded, rowStride: rowStride, pixelStride: lanes, into: v, tiles: tiles,
                       height: spanHeight, width: spanWidth)
    }

    /// Whether a transform over `channels` channels runs sixteen wide (`WideWinogradInput`,
    /// `WideWinogradOutput`, `WideWinogradGradient`): on AVX-512 CPUs, in whole groups of sixteen.
    static func runsWide(_ channels: Int) -> Bool { SIMDLevel.avx512 && channels % 16 == 0 }

    /// `transformInput` over an image of `height` × `width` pixels from (0, 0), tile t's
    /// corner at (4·ty, 4·tx), pixels `pixelStride` floats apart (≥ cin, a multiple of 8
    /// past a short last group of channels). Every tile lies inside it, except on the wide
    /// route, where the last ones may reach past it.
    private func transformTiles(_ x: UnsafePointer<Float>, rowStride: Int, pixelStride: Int,
                                into v: UnsafeMutablePointer<Float>, tiles: Int, height: Int, width: Int) {
        let cin = inChannels, plane = tiles &* cin, positions = WinogradTransforms.positions
        let step = WinogradTransforms.outputs, wide = Self.runsWide(cin)
        // A short group's 36 transformed values, of which `cin − c` lanes are kept.
        let transformed = UnsafeMutablePointer<Float>.allocate(capacity: positions * 8)
        defer { transformed.deallocate() }
        for ty in 0..<tileRows {
            for tx in 0..<tileColumns {
                let corner = x + ((step &* ty) &* rowStride &+ (step &* tx) &* pixelStride)
                let out = v + (ty &* tileColumns &+ tx) &* cin
                if wide {
                    WideWinogradInput.tile(corner, rowStride: rowStride, columnStride: pixelStride, channels: cin,
                                           rows: height - step * ty, columns: width - step * tx, into: out,
                                           plane: plane)
                    continue
                }
                for c in stride(from: 0, to: cin, by: 8) {
                    if c + 8 <= cin {
                        WinogradTransforms.input(corner + c, rowStride: rowStride, columnStride: pixelStride,
                                                 into: out + c, plane: plane)
                        continue
                    }
                    WinogradTransforms.input(corner + c, rowStride: rowStride, columnStride: pixelStride,
                                             into: transformed, plane: 8)
                    for xi in 0..<positions { (out + (xi &* plane &+ c)).update(from: transformed + xi &* 8, count: cin - c) }
                }
            }
        }
    }

    /// y[4·ty + i, 4·tx + j, o] = f(bias[o] + (Aᵀ M_t A)[i, j]) for every tile t of one
    /// image, M_t[ξ] read at m[ξ·tiles·cout + t·cout + o]; outputs past the image's last
    /// row or column (an odd size) are dropped. f is max(·, 0) when `rectify`.
    func transformOutput(_ m: UnsafePointer<Float>, tiles: Int, bias: UnsafePointer<Float>?, rectify: Bool,
                         into y: UnsafeMutablePointer<Float>) {
        let cout = outChannels, plane = tiles &* cout, positions = WinogradTransforms.positions
        let step = WinogradTransforms.outputs, wide = Self.runsWide(cout)
        // A short last group of channels: its 36 products, padded to eight lanes.
        let products = UnsafeMutablePointer<Float>.allocate(capacity: positions * 8)
        defer { products.deallocate() }
        products.initialize(repeating: 0, count: positions * 8)
        for ty in 0..<tileRows {
            let rows = min(step, outHeight - step * ty)
            for tx in 0..<tileColumns {
                let columns = min(step, outWidth - step * tx)
                let source = m + (ty &* tileColumns &+ tx) &* cout
                let corner = y + ((step &* ty) &* outWidth &+ step &* tx) &* cout
                if wide {
                    WideWinogradOutput.tile(source, plane: plane, channels: cout, bias: bias, rectify: rectify, rows: rows,
                                            columns: columns, into: corner, rowStride: outWidth &* cout)
                    continue
                }
                for o in stride(from: 0, to: cout, by: 8) {
                    let lanes = min(8, cout - o)
                    let b = bias.map { Self.load($0 + o, lanes) } ?? .zero
                    @inline(__always) func write(_ i: Int, _ j: Int, _ value: Vector) {
                        guard i < rows && j < columns else { return }
                        var out = value + b
                        if rectify { out.replace(with: 0, where: out .< 0) }
                        Self.store(out, corner + ((i &* outWidth &+ j) &* cout &+ o), lanes)
                    }
                    // One inlined transform for both routes (two had made the function too large
                    // for the compiler to inline its 16 vector stores).
                    if lanes < 8 {
                        for xi in 0..<positions { (products + xi * 8).update(from: source + xi * plane + o, count: lanes) }
                    }
                    WinogradTransforms.output(lanes == 8 ? source + o : UnsafePointer(products),
                                              plane: lanes == 8 ? plane : 8, write)
                }
            }
        }
    }

    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ lanes: Int) -> Vector {
        if lanes == 8 { return UnsafeRawPointer(p).loadUnaligned(as: Vector.self) }
        var v = Vector.zero
        for l in 0..<lanes { v[l] = p[l] }
        return v
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
        if lanes == 8 { return UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self) }
        for l in 0..<lanes { p[l] = v[l] }
    }
}
