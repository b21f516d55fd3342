import XCTest
@testable import Tensor

/// im2col (`Im2Col.unfold`) against its definition, and col2im (`fold`) as its adjoint.
final class Im2ColTests: XCTestCase {
    let geometries = [
        Conv2DGeometry(inputShape: [2, 5, 6, 3], weightShape: [3, 2, 3, 4], stride: 1, padding: .same),
        Conv2DGeometry(inputShape: [1, 7, 7, 2], weightShape: [3, 3, 2, 1], stride: 2, padding: .valid),
    ]

    func unfold(_ x: Tensor, _ g: Conv2DGeometry) -> [Float] {
        var cols = [Float](repeating: .nan, count: g.outputPixels * g.patchSize)
        x.scalars.withUnsafeBufferPointer { px in cols.withUnsafeMutableBufferPointer { pc in
            Im2Col.unfold(px.baseAddress!, pc.baseAddress!, g)
        }}
        return cols
    }

    /// cols[(b,i,j), (r,s,c)] = x[b, i·stride + r − padTop, j·stride + s − padLeft, c], 0 outside.
    func testUnfoldMatchesDefinition() {
        for g in geometries {
            let x = randomTensor([g.batch, g.height, g.width, g.inChannels], "x")
            let cols = unfold(x, g)
            var q = 0
            for b in 0..<g.batch { for i in 0..<g.outHeight { for j in 0..<g.outWidth {
                var p = 0
                for r in 0..<g.kernelHeight { for s in 0..<g.kernelWidth { for c in 0..<g.inChannels {
                    let ii = i * g.stride + r - g.padTop, jj = j * g.stride + s - g.padLeft
                    let inside = ii >= 0 && ii < g.height && jj >= 0 && jj < g.width
                    XCTAssertEqual(cols[q * g.patchSize + p], inside ? x[b, ii, jj, c] : 0)
                    p += 1
                }}}
                q += 1
            }}}
        }
    }

    /// ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩ for random x and y.
    func testFoldIsTheAdjointOfUnfold() {
        for g in geometries {
            let x = randomTensor([g.batch, g.height, g.width, g.inChannels], "x")
            let y = randomScalars(g.outputPixels * g.patchSize, "y")
            var folded = [Float](repeating: .nan, count: x.count)
            y.withUnsafeBufferPointer { py in folded.withUnsafeMutableBufferPointer { pf in
                Im2Col.fold(py.baseAddress!, pf.baseAddress!, g)
            }}
            let left = zip(unfold(x, g), y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            let right = zip(x.scalars, folded).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            XCTAssertEqual(left, right, accuracy: 1e-4)
        }
    }
}
