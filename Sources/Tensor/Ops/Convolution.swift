/// 2-D convolution (Keras's Conv2D without its activation), NHWC input,
/// weight `[kh, kw, cin, cout]`, bias `[cout]`:
///
///     y[b,i,j,o] = bias[o] + Σ_{r,s,c} x[b, i·stride + r − padTop, j·stride + s − padLeft, c] · w[r,s,c,o]
///
/// computed as one GEMM, Y[B·OH·OW × cout] = im2col(x) · W[kh·kw·cin × cout] + bias,
/// whose A strips are packed straight from x (im2col is never stored).
public func conv2D(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int = 1, padding: Padding = .valid) -> Tensor {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(bias.count == g.outChannels, "conv2D: bias \(bias.shape) for \(g.outChannels) output channels")
    let count = g.outputPixels * g.outChannels
    let y = [Float](unsafeUninitializedCapacity: count) { py, initialized in
        x.scalars.withUnsafeBufferPointer { px in
            w.scalars.withUnsafeBufferPointer { pw in
                bias.scalars.withUnsafeBufferPointer { pb in
                    GEMM.multiply(a: ConvolutionWindows(image: px.baseAddress!, g: g),
                                  b: StridedPanelSource(base: pw.baseAddress!, ld: g.outChannels,
                                                        transposed: true, rowCount: g.outChannels),
                                  m: g.outputPixels, n: g.outChannels, k: g.patchSize,
                                  c: py.baseAddress!, ldc: g.outChannels, start: .bias(pb.baseAddress!))
                }
            }
        }
        initialized = count
    }
    return Tensor(shape: g.outputShape, scalars: y)
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
    let cols = [Float](unsafeUninitializedCapacity: g.outputPixels * g.patchSize) { pc, count in
        x.scalars.withUnsafeBufferPointer { px in Im2Col.unfold(px.baseAddress!, pc.baseAddress!, g) }
        count = g.outputPixels * g.patchSize
    }
    return Tensor(shape: [g.outputPixels, g.patchSize], scalars: cols)
}

/// Column sums of a rank-2 tensor: out[j] = Σ_i a[i, j], summed in row order.
public func sumRows(_ a: Tensor) -> Tensor {
    precondition(a.rank == 2)
    let (m, n) = (a.shape[0], a.shape[1])
    var out = Tensor(shape: [n])
    a.scalars.withUnsafeBufferPointer { pa in
        out.scalars.withUnsafeMutableBufferPointer { po in
            for i in 0..<m { VectorAccumulate.add(po.baseAddress!, pa.baseAddress! + i * n, count: n) }
        }
    }
    return out
}
