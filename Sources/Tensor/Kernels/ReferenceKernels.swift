import Foundation

/// Naive, obviously-correct twins of the fast kernels. Used only by tests, to
/// check the fast kernels element by element; never on a training path.
public enum ReferenceKernels {
    /// C[m×n] = op(A)·op(B) (+ C when `accumulate`), op = transpose when asked.
    /// A is m×k (or k×m when transposed), B is k×n (or n×k when transposed).
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                            a: [Float], lda: Int, b: [Float], ldb: Int,
                            c: inout [Float], ldc: Int, accumulate: Bool) {
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = 0
                for p in 0..<k {
                    let av = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    s += Double(av) * Double(bv)
                }
                c[i * ldc + j] = Float(s) + (accumulate ? c[i * ldc + j] : 0)
            }
        }
    }

    /// Direct convolution, NHWC input, weight [kh, kw, cin, cout]:
    /// y[b,i,j,o] = bias[o] + Σ_{r,s,c} x[b, i·stride + r − padTop, j·stride + s − padLeft, c] · w[r,s,c,o]
    public static func conv2D(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int, padding: Padding) -> Tensor {
        let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
        var y = Tensor(shape: g.outputShape)
        for b in 0..<g.batch { for i in 0..<g.outHeight { for j in 0..<g.outWidth { for o in 0..<g.outChannels {
            var s = Double(bias.scalars[o])
            for r in 0..<g.kernelHeight { for t in 0..<g.kernelWidth {
                let ii = i * stride + r - g.padTop, jj = j * stride + t - g.padLeft
                guard ii >= 0, ii < g.height, jj >= 0, jj < g.width else { continue }
                for c in 0..<g.inChannels {
                    s += Double(x[b, ii, jj, c]) * Double(w[r, t, c, o])
                }
            }}
            y[b, i, j, o] = Float(s)
        }}}}
        return y
    }

    /// Gradients of `conv2D`: dx, dw, db for upstream gradient dy, by the definition.
    public static func conv2DBackward(_ x: Tensor, weight w: Tensor, outputGradient dy: Tensor,
                                      stride: Int, padding: Padding) -> (input: Tensor, weight: Tensor, bias: Tensor) {
        let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
        var dx = Tensor(shape: x.shape), dw = Tensor(shape: w.shape), db = Tensor(shape: [g.outChannels])
        for b in 0..<g.batch { for i in 0..<g.outHeight { for j in 0..<g.outWidth { for o in 0..<g.outChannels {
            let d = dy[b, i, j, o]
            db.scalars[o] += d
            for r in 0..<g.kernelHeight { for t in 0..<g.kernelWidth {
                let ii = i * stride + r - g.padTop, jj = j * stride + t - g.padLeft
                guard ii >= 0, ii < g.height, jj >= 0, jj < g.width else { continue }
                for c in 0..<g.inChannels {
                    dw[r, t, c, o] += x[b, ii, jj, c] * d
                    dx[b, ii, jj, c] += w[r, t, c, o] * d
                }
            }}
        }}}}
        return (dx, dw, db)
    }

    /// Max pooling, NHWC, valid windows; ties go to the first maximum in row-major window order.
    public static func maxPool2D(_ x: Tensor, size: Int, stride: Int) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h - size) / stride + 1, ow = (w - size) / stride + 1
        var y = Tensor(shape: [n, oh, ow, c])
        for b in 0..<n { for i in 0..<oh { for j in 0..<ow { for ch in 0..<c {
            var m = -Float.infinity
            for r in 0..<size { for t in 0..<size { m = max(m, x[b, i * stride + r, j * stride + t, ch]) } }
            y[b, i, j, ch] = m
        }}}}
        return y
    }

    /// `SkipGramKernel.step` written plainly over arrays, in Double: the context word's
    /// and each negative's score s = u·v, g = σ(s) − y, u ← u − η·g·v as it goes, then
    /// v ← v − η·Σ g·u (the u before their updates). Returns the loss before the step.
    @discardableResult
    public static func skipGramStep(input: inout [Float], output: inout [Float], dimension d: Int,
                                    centre: Int, targets: [Int], rate: Float) -> Float {
        let v = Array(input[(centre * d)..<((centre + 1) * d)])
        var accumulated = [Double](repeating: 0, count: d)
        var loss: Double = 0
        for (position, target) in targets.enumerated() {
            let row = target * d
            var s: Double = 0
            for i in 0..<d { s += Double(output[row + i]) * Double(v[i]) }
            let y: Double = position == 0 ? 1 : 0
            let sigma = 1 / (1 + exp(-s))
            loss -= position == 0 ? log(sigma) : log(1 - sigma)
            let g = sigma - y
            for i in 0..<d {
                accumulated[i] += g * Double(output[row + i])
                output[row + i] -= Float(Double(rate) * g * Double(v[i]))
            }
        }
        for i in 0..<d { input[centre * d + i] -= Float(Double(rate) * accumulated[i]) }
        return Float(loss)
    }
}

extension ReferenceKernels {
    /// `[outer, inner, width]` → `[inner, outer, width]`, element by element.
    public static func axisSwap(_ x: [Float], outer: Int, inner: Int, width: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: x.count)
        for o in 0..<outer { for i in 0..<inner { for j in 0..<width {
            out[(i * outer + o) * width + j] = x[(o * inner + i) * width + j]
        }}}
        return out
    }
}
