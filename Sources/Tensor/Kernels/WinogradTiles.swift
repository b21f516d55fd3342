/// The per-tile halves of `WinogradConvolution`: gathering and transforming the
/// input tiles of one image, and folding the GEMMs' products back into its outputs.
/// Both walk the channels eight at a time, one SIMD8 per tile value. Tiles inside
/// the image with eight whole channels are read and written in place; a tile over
/// the border (zeros outside) or a short last group of channels goes through a
/// small zero-filled patch, so the transforms themselves never branch.
extension WinogradConvolution {
    /// V[ξ][t][c] = (Bᵀ d_t B)[ξ] for every tile t of the image at `x`, where d_t is the
    /// 4×4 window at (2·ty − padTop, 2·tx − padLeft), zero outside the image. `v` points
    /// at the image's first tile in a block of `tiles` tiles (ξ planes tiles·cin apart).
    func transformInput(_ x: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, tiles: Int) {
        let cin = inChannels, plane = tiles &* cin, rowStride = width &* cin
        // The patch: 4×4 values of 8 lanes, d[i][j] at patch + (4·i + j)·8.
        let patch = UnsafeMutablePointer<Float>.allocate(capacity: 16 * 8)
        defer { patch.deallocate() }
        for ty in 0..<tileRows {
            let top = 2 &* ty &- padTop
            for tx in 0..<tileColumns {
                let left = 2 &* tx &- padLeft
                let inside = top >= 0 && left >= 0 && top + 4 <= height && left + 4 <= width
                let out = v + (ty &* tileColumns &+ tx) &* cin
                let corner = x + (top &* width &+ left) &* cin
                for c in stride(from: 0, to: cin, by: 8) {
                    if inside && c + 8 <= cin {
                        WinogradTransforms.input(corner + c, rowStride: rowStride, columnStride: cin,
                                                 into: out + c, plane: plane)
                        continue
                    }
                    let lanes = min(8, cin - c)
                    // Register loads and stores: the 32-byte copies through memcpy and a
                    // memset of the patch took 4 % of a training step.
                    for i in 0..<4 {
                        let rowInside = top + i >= 0 && top + i < height
                        for j in 0..<4 {
                            let value = rowInside && left + j >= 0 && left + j < width
                                ? Self.load(corner + ((i &* width &+ j) &* cin &+ c), lanes) : .zero
                            Self.store(value, patch + ((4 &* i &+ j) &* 8), 8)
                        }
                    }
                    if lanes == 8 {
                        WinogradTransforms.input(patch, rowStride: 32, columnStride: 8, into: out + c, plane: plane)
                        continue
                    }
                    // A short group: transform all eight lanes into the patch's room, keep `lanes`.
                    let transformed = UnsafeMutablePointer<Float>.allocate(capacity: 16 * 8)
                    defer { transformed.deallocate() }
                    WinogradTransforms.input(patch, rowStride: 32, columnStride: 8, into: transformed, plane: 8)
                    for xi in 0..<16 { (out + xi * plane + c).update(from: transformed + xi * 8, count: lanes) }
                }
            }
        }
    }

    /// y[2·ty + i, 2·tx + j, o] = f(bias[o] + (Aᵀ M_t A)[i, j]) for every tile t of one
    /// image, M_t[ξ] read at m[ξ·tiles·cout + t·cout + o]; outputs past the image's last
    /// row or column (an odd size) are dropped. f is max(·, 0) when `rectify`.
    func transformOutput(_ m: UnsafePointer<Float>, tiles: Int, bias: UnsafePointer<Float>?, rectify: Bool,
                         into y: UnsafeMutablePointer<Float>) {
        let cout = outChannels, plane = tiles &* cout
        // A short last group of channels: its 16 products, padded to eight lanes.
        let products = UnsafeMutablePointer<Float>.allocate(capacity: 16 * 8)
        defer { products.deallocate() }
        products.initialize(repeating: 0, count: 16 * 8)
        for ty in 0..<tileRows {
            let rows = min(2, outHeight - 2 * ty)
            for tx in 0..<tileColumns {
                let columns = min(2, outWidth - 2 * tx)
                let source = m + (ty &* tileColumns &+ tx) &* cout
                let corner = y + ((2 &* ty) &* outWidth &+ 2 &* tx) &* cout
                for o in stride(from: 0, to: cout, by: 8) {
                    let lanes = min(8, cout - o)
                    let tile: (Vector, Vector, Vector, Vector)
                    if lanes == 8 {
                        tile = WinogradTransforms.output(source + o, plane: plane)
                    } else {
                        for xi in 0..<16 { (products + xi * 8).update(from: source + xi * plane + o, count: lanes) }
                        tile = WinogradTransforms.output(products, plane: 8)
                    }
                    let b = bias.map { Self.load($0 + o, lanes) } ?? .zero
                    @inline(__always) func write(_ value: Vector, _ i: Int, _ j: Int) {
                        guard i < rows && j < columns else { return }
                        var out = value + b
                        if rectify { out.replace(with: 0, where: out .< 0) }
                        Self.store(out, corner + ((i &* outWidth &+ j) &* cout &+ o), lanes)
                    }
                    write(tile.0, 0, 0)
                    write(tile.1, 0, 1)
                    write(tile.2, 1, 0)
                    write(tile.3, 1, 1)
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
