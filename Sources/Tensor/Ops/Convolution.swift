/// 2-D convolution (Keras's Conv2D without its activation), NHWC input,
/// weight `[kh, kw, cin, cout]`, bias `[cout]`:
///
///     y[b,i,j,o] = bias[o] + Σ_{r,s,c} x[b, i·stride + r − padTop, j·stride + s − padLeft, c] · w[r,s,c,o]
///
/// computed as one GEMM, Y[B·OH·OW × cout] = im2col(x) · W[kh·kw·cin × cout].
public func conv2D(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int = 1, padding: Padding = .valid) -> Tensor {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    let cols = unfoldWindows(x, g)
    var y = Tensor(shape: [g.outputPixels, g.outChannels])
    // Start every row from the bias, then accumulate the product onto it.
    y.scalars.withUnsafeMutableBufferPointer { py in
        for p in 0..<g.outputPixels {
            for o in 0..<g.outChannels { py[p * g.outChannels + o] = bias.scalars[o] }
        }
    }
    matmul(cols, w.reshaped([g.patchSize, g.outChannels]), into: &y, accumulate: true)
    return y.reshaped(g.outputShape)
}

/// Gradients of `conv2D` for upstream gradient dy = dL/dy:
///
///     dL/dW = im2col(x)ᵀ · dL/dY        dL/db[o] = Σ_{b,i,j} dL/dy[b,i,j,o]
///     dL/dx = col2im(dL/dY · Wᵀ)
///
/// `computeInputGradient: false` skips dL/dx (a first layer needs none).
public func conv2DBackward(_ x: Tensor, weight w: Tensor, outputGradient dy: Tensor,
                           stride: Int = 1, padding: Padding = .valid,
                           computeInputGradient: Bool = true) -> (input: Tensor?, weight: Tensor, bias: Tensor) {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(dy.shape == g.outputShape, "conv2DBackward: dy \(dy.shape) ≠ output \(g.outputShape)")
    let cols = unfoldWindows(x, g)
    let dY = dy.reshaped([g.outputPixels, g.outChannels])
    let dw = matmul(cols, dY, transposeA: true).reshaped(w.shape)
    let db = sumRows(dY)
    guard computeInputGradient else { return (nil, dw, db) }
    let dcols = matmul(dY, w.reshaped([g.patchSize, g.outChannels]), transposeB: true)
    var dx = Tensor(shape: x.shape)
    dcols.scalars.withUnsafeBufferPointer { pc in
        dx.scalars.withUnsafeMutableBufferPointer { pdx in
            Im2Col.fold(pc.baseAddress!, pdx.baseAddress!, g)
        }
    }
    return (dx, dw, db)
}

/// im2col(x) as a tensor [B·OH·OW, kh·kw·cin].
func unfoldWindows(_ x: Tensor, _ g: Conv2DGeometry) -> Tensor {
    var cols = Tensor(shape: [g.outputPixels, g.patchSize])
    x.scalars.withUnsafeBufferPointer { px in
        cols.scalars.withUnsafeMutableBufferPointer { pc in
            Im2Col.unfold(px.baseAddress!, pc.baseAddress!, g)
        }
    }
    return cols
}

/// Column sums of a rank-2 tensor: out[j] = Σ_i a[i, j], summed in row order.
public func sumRows(_ a: Tensor) -> Tensor {
    precondition(a.rank == 2)
    let (m, n) = (a.shape[0], a.shape[1])
    var out = [Float](repeating: 0, count: n)
    a.scalars.withUnsafeBufferPointer { pa in
        for i in 0..<m { for j in 0..<n { out[j] += pa[i * n + j] } }
    }
    return Tensor(shape: [n], scalars: out)
}
