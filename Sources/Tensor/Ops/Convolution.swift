/// 2-D convolution (Keras's Conv2D without its activation), NHWC input,
/// weight `[kh, kw, cin, cout]`, bias `[cout]`:
///
///     y[b,i,j,o] = bias[o] + Σ_{r,s,c} x[b, i·stride + r − padTop, j·stride + s − padLeft, c] · w[r,s,c,o]
///
/// computed as one GEMM, Y[B·OH·OW × cout] = im2col(x) · W[kh·kw·cin × cout] + bias,
/// whose A strips are packed straight from x (im2col is never stored).
///
/// `rectified: true` returns max(y, 0) (a ReLU fused into the GEMM's write-back: no
/// second pass over the output).
public func conv2D(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int = 1, padding: Padding = .valid,
                   rectified: Bool = false) -> Tensor {
    conv2D(x, weight: w, bias: bias, stride: stride, padding: padding, rectified: rectified, measured: false).output
}

/// `conv2D` that, with `measured: true`, also returns the moments of y's pieces,
/// measured block by block as the GEMM writes them (nil when the GEMM's plan does
/// not cut y into whole rows).
public func conv2D(_ x: Tensor, weight w: Tensor, bias: Tensor, stride: Int = 1, padding: Padding = .valid,
                   rectified: Bool = false, measured: Bool) -> (output: Tensor, moments: TensorMoments?) {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(bias.count == g.outChannels, "conv2D: bias \(bias.shape) for \(g.outChannels) output channels")
    if let winograd = WinogradConvolution.forward(g) {
        return winogradConv2D(x, weight: w, bias: bias, winograd, outputShape: g.outputShape, rectified: rectified,
                              measured: measured)
    }
    let count = g.outputPixels * g.outChannels
    let pieces = measured
        ? GEMM.measuredPieces(m: g.outputPixels, n: g.outChannels, k: g.patchSize, ldc: g.outChannels) : nil
    var moments: TensorMoments?
    let y = [Float](unsafeUninitializedCapacity: count) { py, initialized in
        x.scalars.withUnsafeBufferPointer { px in
            w.scalars.withUnsafeBufferPointer { pw in
                bias.scalars.withUnsafeBufferPointer { pb in
                    moments = TensorMoments.collect(pieces: pieces) { sink in
                        GEMM.multiply(a: ConvolutionWindows(image: px.baseAddress!, g: g),
                                      b: StridedPanelSource(base: pw.baseAddress!, ld: g.outChannels,
                                                            transposed: true, rowCount: g.outChannels),
                                      m: g.outputPixels, n: g.outChannels, k: g.patchSize,
                                      c: py.baseAddress!, ldc: g.outChannels, start: .bias(pb.baseAddress!),
                                      rectify: rectified, measuring: sink)
                    }
                }
            }
        }
        initialized = count
    }
    return (Tensor(shape: g.outputShape, scalars: y), moments)
}

/// Gradients of `conv2D` for upstream gradient dy = dL/dy:
///
///     [dL/dW; dL/db] = [im2col(x)ᵀ; 1ᵀ] · dL/dY      (one GEMM, im2col read from x)
///     dL/dx = col2im(dL/dY · Wᵀ)
///
/// `computeInputGradient: false` skips dL/dx (a first layer needs none).
public func conv2DBackward(_ x: Tensor, weight w: Tensor, outputGradient dy: Tensor,
                           stride: Int = 1, padding: Padding = .valid,
                           computeInputGradient: Bool = true) -> (input: Tensor?, weight: Tensor, bias: Tensor) {
    let g = conv2DBackward(x, weight: w, outputGradient: dy, stride: stride, padding: padding,
                           computeInputGradient: computeInputGradient, measured: false)
    return (g.input, g.weight, g.bias)
}

/// `conv2DBackward` that, with `measured: true`, also returns the moments of dL/dx,
/// measured image block by image block as each is folded.
public func conv2DBackward(_ x: Tensor, weight w: Tensor, outputGradient dy: Tensor,
                           stride: Int = 1, padding: Padding = .valid, computeInputGradient: Bool = true,
                           measured: Bool) -> (input: Tensor?, weight: Tensor, bias: Tensor, inputMoments: TensorMoments?) {
    let g = Conv2DGeometry(inputShape: x.shape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(dy.shape == g.outputShape, "conv2DBackward: dy \(dy.shape) ≠ output \(g.outputShape)")
    let (dw, db) = weightAndBiasGradients(x, dy, g)
    guard computeInputGradient else { return (nil, dw, db, nil) }
    let dx = conv2DInputGradient(dy, weight: w, inputShape: x.shape, stride: stride, padding: padding,
                                 measured: measured)
    return (dx.input, dw, db, dx.moments)
}

/// dL/dx = col2im(dL/dY · Wᵀ) alone, for an input of `inputShape`; with `measured:
/// true` also the moments of dL/dx, measured image block by image block as each is
/// folded.
public func conv2DInputGradient(_ dy: Tensor, weight w: Tensor, inputShape: [Int], stride: Int = 1,
                                padding: Padding = .valid, measured: Bool = false) -> (input: Tensor, moments: TensorMoments?) {
    let g = Conv2DGeometry(inputShape: inputShape, weightShape: w.shape, stride: stride, padding: padding)
    precondition(dy.shape == g.outputShape, "conv2DInputGradient: dy \(dy.shape) ≠ output \(g.outputShape)")
    if let winograd = WinogradConvolution.inputGradient(g) {
        let dx = winogradConv2D(dy, weight: w, bias: nil, winograd, flipped: true, outputShape: inputShape,
                                rectified: false, measured: measured)
        return (dx.output, dx.moments)
    }
    let count = inputShape.reduce(1, *)
    var moments: TensorMoments?
    let dx = [Float](unsafeUninitializedCapacity: count) { pdx, initialized in
        dy.scalars.withUnsafeBufferPointer { pdy in
            w.scalars.withUnsafeBufferPointer { pw in
                moments = TensorMoments.collect(pieces: measured && count > 0 ? ConvolutionInputGradient.blocks(g) : nil) {
                    ConvolutionInputGradient.compute(outputGradient: pdy.baseAddress!, weight: pw.baseAddress!,
                                                     into: pdx.baseAddress!, g, measuring: $0)
                }
            }
        }
        initialized = count
    }
    return (Tensor(shape: inputShape, scalars: dx), moments)
}

/// dW (shaped like the weight) and db: by Winograd's F(3×3, 4×4) where the forward
/// pass takes Winograd (`WinogradWeightGradient`), else `directWeightAndBiasGradients`.
private func weightAndBiasGradients(_ x: Tensor, _ dy: Tensor, _ g: Conv2DGeometry) -> (Tensor, Tensor) {
    guard let winograd = WinogradWeightGradient(g) else { return directWeightAndBiasGradients(x, dy, g) }
    var db = [Float]()
    let dw = [Float](unsafeUninitializedCapacity: g.patchSize * g.outChannels) { pdw, initialized in
        db = [Float](unsafeUninitializedCapacity: g.outChannels) { pdb, biasCount in
            x.scalars.withUnsafeBufferPointer { px in
                dy.scalars.withUnsafeBufferPointer { pdy in
                    winograd.run(input: px.baseAddress!, outputGradient: pdy.baseAddress!,
                                 weightGradient: pdw.baseAddress!, biasGradient: pdb.baseAddress!)
                }
            }
            biasCount = g.outChannels
        }
        initialized = g.patchSize * g.outChannels
    }
    return (Tensor(shape: [g.kernelHeight, g.kernelWidth, g.inChannels, g.outChannels], scalars: dw),
            Tensor(shape: [g.outChannels], scalars: db))
}

/// dW and db from one GEMM, [im2col(x)ᵀ; 1ᵀ]·dY, whose last row of A is ones.
func directWeightAndBiasGradients(_ x: Tensor, _ dy: Tensor, _ g: Conv2DGeometry) -> (Tensor, Tensor) {
    let rows = g.patchSize + 1, cout = g.outChannels
    let both = [Float](unsafeUninitializedCapacity: rows * cout) { pc, count in
        x.scalars.withUnsafeBufferPointer { px in
            dy.scalars.withUnsafeBufferPointer { pdy in
                GEMM.multiply(a: ConvolutionTapRows(image: px.baseAddress!, g: g),
                              b: StridedPanelSource(base: pdy.baseAddress!, ld: cout, transposed: true, rowCount: cout),
                              m: rows, n: cout, k: g.outputPixels, c: pc.baseAddress!, ldc: cout, start: .overwrite)
            }
        }
        count = rows * cout
    }
    return (Tensor(shape: [g.kernelHeight, g.kernelWidth, g.inChannels, cout], scalars: Array(both[..<(g.patchSize * cout)])),
            Tensor(shape: [cout], scalars: Array(both[(g.patchSize * cout)...])))
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
