/// Max pooling over `size`×`size` windows moved by `stride` (Keras's MaxPooling2D,
/// valid padding), NHWC. Returns the output and, per output element, the flat
/// index into x of the winning input (the first maximum in row-major window
/// order), which the backward pass routes the gradient to:
///
///     y[b,i,j,c] = max_{r,s} x[b, i·stride + r, j·stride + s, c]
///     dL/dx[argmax] += dL/dy   (zero elsewhere)
public func maxPool2D(_ x: Tensor, size: Int, stride: Int) -> (output: Tensor, argmax: [Int32]) {
    let pooled = maxPool2D(x, size: size, stride: stride, measured: false)
    return (pooled.output, pooled.argmax)
}

/// `maxPool2D` that, with `measured: true`, also returns the moments of the output's
/// rows (one piece per image row), measured as each row is written; with `argmax: false`
/// the same output and an empty argmax (for a forward pass no backward pass follows).
public func maxPool2D(_ x: Tensor, size: Int, stride: Int, measured: Bool,
                      argmax findsArgmax: Bool = true) -> (output: Tensor, argmax: [Int32], moments: TensorMoments?) {
    precondition(x.rank == 4 && size >= 1 && stride >= 1, "maxPool2D: input \(x.shape), size \(size), stride \(stride)")
    let s = MaxPoolKernel.Shape(batch: x.shape[0], height: x.shape[1], width: x.shape[2], channels: x.shape[3],
                                size: size, stride: stride)
    precondition(s.height >= size && s.width >= size, "maxPool2D: window \(size) larger than input \(x.shape)")
    let outShape = [s.batch, s.outHeight, s.outWidth, s.channels]
    let count = outShape.reduce(1, *)
    var moments: TensorMoments?
    // Every output and index is written by the kernel, so both start uninitialised.
    var y = [Float]()
    let argmax = [Int32](unsafeUninitializedCapacity: findsArgmax ? count : 0) { pa, written in
        y = [Float](unsafeUninitializedCapacity: count) { py, initialized in
            x.scalars.withUnsafeBufferPointer { px in
                guard count > 0 else { return }
                moments = TensorMoments.collect(pieces: measured ? s.batch * s.outHeight : nil) {
                    MaxPoolKernel.forward(px.baseAddress!, py.baseAddress!, findsArgmax ? pa.baseAddress! : nil, s,
                                          measuring: $0)
                }
            }
            initialized = count
        }
        written = findsArgmax ? count : 0
    }
    return (Tensor(shape: outShape, scalars: y), argmax, moments)
}

/// Backward of `maxPool2D`: scatters dy to the positions recorded in `argmax`.
public func maxPool2DBackward(_ dy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
    scatterGradient(dy, argmax: argmax, inputShape: inputShape, window: nil, measured: false).input
}

/// `maxPool2DBackward` for the pooling of `size` and `stride` that produced
/// `argmax`; with `measured: true` it also returns the moments of dx (one piece per
/// image), measured as each image's gradient is finished. When windows do not
/// overlap (stride ≥ size) each dy value lands alone, and the moments are taken
/// from dy and the count of zeros.
public func maxPool2DBackward(_ dy: Tensor, argmax: [Int32], inputShape: [Int], size: Int, stride: Int,
                              measured: Bool) -> (input: Tensor, moments: TensorMoments?) {
    let g = scatterGradient(dy, argmax: argmax, inputShape: inputShape, window: (size, stride), measured: measured)
    return (g.input, g.moments)
}

/// The gradient a `maxPool2D` of a ReLU's output sends on through that ReLU: for pooled
/// = maxPool2D(x) with x = max(z, 0), dL/dz = maxPool2DBackward(dy)·[x > 0], computed in
/// one pass as scatter(dy·[pooled > 0]) and bit for bit the same (at each window's winner
/// x equals the pooled value; every other position gets 0 either way).
public func maxPool2DRectifierBackward(_ dy: Tensor, argmax: [Int32], pooled: Tensor, inputShape: [Int],
                                       size: Int, stride: Int) -> Tensor {
    precondition(pooled.shape == dy.shape, "maxPool2DRectifierBackward: pooled \(pooled.shape) ≠ dy \(dy.shape)")
    return scatterGradient(dy, argmax: argmax, inputShape: inputShape, window: (size, stride),
                           measured: false, keptWhere: pooled).input
}

/// `maxPool2DRectifierBackward` for a recorder that keeps dL/dx too, when windows do not
/// overlap: dL/dz, and dL/dx as dL/dz patched where a window's winner was a zeroed unit
/// (its dy, which dL/dz drops; `MaxPoolPatches` finds them from dy, argmax and the pooled
/// output when asked), with the moments of dL/dx (`measured: true`) as
/// `maxPool2DBackward` measures them. `patches.applied(to: rectified)` is bit for bit
/// `maxPool2DBackward(dy)`; no second full tensor is written.
public func maxPool2DRectifierBackwardPatched(_ dy: Tensor, argmax: [Int32], pooled: Tensor, inputShape: [Int],
                                             size: Int, stride: Int, measured: Bool)
    -> (rectified: Tensor, patches: TensorPatches, moments: TensorMoments?) {
    precondition(pooled.shape == dy.shape, "maxPool2DRectifierBackwardPatched: pooled \(pooled.shape) ≠ dy \(dy.shape)")
    precondition(stride >= size, "maxPool2DRectifierBackwardPatched: overlapping windows (size \(size), stride \(stride))")
    let g = scatterGradient(dy, argmax: argmax, inputShape: inputShape, window: (size, stride),
                            measured: measured, keptWhere: pooled)
    return (g.input, maxPool2DPatches(dy, argmax: argmax, pooled: pooled, inputShape: inputShape, size: size,
                                      stride: stride), g.moments)
}

/// dL/dx as patches of dL/dz for windows that do not overlap (`maxPool2DRectifierBackwardPatched`'s
/// patches, where dL/dz itself comes from elsewhere): the dy of windows whose winner was a
/// zeroed unit, found from dy, argmax and the pooled output when asked.
public func maxPool2DPatches(_ dy: Tensor, argmax: [Int32], pooled: Tensor, inputShape: [Int],
                             size: Int, stride: Int) -> TensorPatches {
    TensorPatches(MaxPoolPatches(dy: dy.scalars, argmax: argmax, pooled: pooled.scalars, inputShape: inputShape,
                                 size: size, stride: stride))
}

/// dx = scatter(dy) (only the dy whose pooled value is positive with `keptWhere`; its
/// moments, with `measured`, are then those of the unmasked scatter). `window`, the pooling's
/// size and stride where known, tells whether windows overlap and whether they are the
/// 2×2, stride-2 pairs written window by window (`MaxPoolPairBackward`).
private func scatterGradient(_ dy: Tensor, argmax: [Int32], inputShape: [Int], window: (size: Int, stride: Int)?,
                             measured: Bool, keptWhere pooled: Tensor? = nil)
    -> (input: Tensor, moments: TensorMoments?) {
    precondition(dy.count == argmax.count && dy.rank == 4 && inputShape.count == 4 && dy.shape[0] == inputShape[0],
                 "maxPool2DBackward: dy \(dy.shape), \(argmax.count) indices, input \(inputShape)")
    let batch = inputShape[0], inputsPerImage = inputShape.dropFirst().reduce(1, *)
    let count = inputShape.reduce(1, *)
    guard dy.count > 0 else {
        return (Tensor(shape: inputShape), nil)
    }
    let outputsPerImage = dy.count / batch
    let disjointWindows = window.map { $0.stride >= $0.size } ?? false
    let pairs = window.flatMap { MaxPoolPairBackward(inputShape: inputShape, size: $0.size, stride: $0.stride) }
    var moments: TensorMoments?
    // The kernel writes every value of each image's gradient.
    let dx = [Float](unsafeUninitializedCapacity: count) { pdx, initialized in
        dy.scalars.withUnsafeBufferPointer { pdy in
            argmax.withUnsafeBufferPointer { pa in
                (pooled?.scalars ?? []).withUnsafeBufferPointer { pk in
                    moments = TensorMoments.collect(pieces: measured ? batch : nil) {
                        MaxPoolKernel.backward(pdy.baseAddress!, pa.baseAddress!, pdx.baseAddress!, batch: batch,
                                               inputsPerImage: inputsPerImage, outputsPerImage: outputsPerImage,
                                               disjoint: disjointWindows, keptWhere: pooled == nil ? nil : pk.baseAddress!,
                                               measuring: $0, pairs: pairs)
                    }
                }
            }
        }
        initialized = count
    }
    return (Tensor(shape: inputShape, scalars: dx), moments)
}
