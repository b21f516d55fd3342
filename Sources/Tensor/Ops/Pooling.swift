/// Max pooling over `size`×`size` windows moved by `stride` (Keras's MaxPooling2D,
/// valid padding), NHWC. Returns the output and, per output element, the flat
/// index into x of the winning input, which the backward pass routes the gradient to:
///
///     y[b,i,j,c] = max_{r,s} x[b, i·stride + r, j·stride + s, c]
///     dL/dx[argmax] += dL/dy   (zero elsewhere)
public func maxPool2D(_ x: Tensor, size: Int, stride: Int) -> (output: Tensor, argmax: [Int32]) {
    precondition(x.rank == 4)
    let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h - size) / stride + 1, ow = (w - size) / stride + 1
    var y = Tensor(shape: [n, oh, ow, c])
    var argmax = [Int32](repeating: 0, count: y.count)
    x.scalars.withUnsafeBufferPointer { px in
        y.scalars.withUnsafeMutableBufferPointer { py in
            argmax.withUnsafeMutableBufferPointer { pa in
                let (px, py, pa) = (px.baseAddress!, py.baseAddress!, pa.baseAddress!)
                WorkerPool.shared.run(blocks: n) { b in
                    for i in 0..<oh { for j in 0..<ow {
                        let out = ((b * oh + i) * ow + j) * c
                        for ch in 0..<c {
                            var at = ((b * h + i * stride) * w + j * stride) * c + ch
                            var best = px[at]
                            for r in 0..<size { for s in 0..<size {
                                let idx = ((b * h + i * stride + r) * w + j * stride + s) * c + ch
                                if px[idx] > best { best = px[idx]; at = idx }
                            }}
                            py[out + ch] = best
                            pa[out + ch] = Int32(at)
                        }
                    }}
                }
            }
        }
    }
    return (y, argmax)
}

/// Backward of `maxPool2D`: scatters dy to the positions recorded in `argmax`.
public func maxPool2DBackward(_ dy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
    precondition(dy.count == argmax.count)
    var dx = Tensor(shape: inputShape)
    dx.scalars.withUnsafeMutableBufferPointer { pdx in
        dy.scalars.withUnsafeBufferPointer { pdy in
            for k in 0..<pdy.count { pdx[Int(argmax[k])] += pdy[k] }
        }
    }
    return dx
}
