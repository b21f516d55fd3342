/// Values that differ from a tensor's at some positions: a second tensor described by
/// the first and a rule for its differences, without a copy of the whole.
///
/// A max pooling over a ReLU's output sends its gradient on as dL/dz (the ReLU's mask
/// applied); the dL/dx a recorder keeps beside it differs only where a window's maximum
/// was a zeroed unit, where dL/dx holds the window's dL/dy and dL/dz a zero. A
/// statistics pass needs those values only at the few thousand positions its histogram
/// samples, so the pooled form (`MaxPoolPatches`) answers `value(at:)` from the pooling's
/// dy, argmax and output instead of the backward kernel listing every dropped value
/// (tens of thousands a step, one branch per lane). `applied(to:)` builds the whole
/// tensor where one is kept.
public struct TensorPatches: Sendable {
    private enum Source: Sendable {
        case listed([Int: Float])
        case pooled(MaxPoolPatches)
    }

    private let source: Source

    /// The patches at flat `indices` (distinct) with the patched tensor's `values` there.
    public init(indices: [Int32], values: [Float]) {
        precondition(indices.count == values.count, "TensorPatches: \(indices.count) indices, \(values.count) values")
        source = .listed(Dictionary(zip(indices.lazy.map(Int.init), values), uniquingKeysWith: { _, last in last }))
    }

    /// dL/dx of a max pooling over a ReLU, as patches of its dL/dz.
    init(_ pooled: MaxPoolPatches) { source = .pooled(pooled) }

    /// The patched tensor's value at flat index i where it differs from the base (or may:
    /// a dropped dy of 0 is a patch too), nil where the base's value holds.
    public func value(at i: Int) -> Float? {
        var value: Float?
        forEachValue(in: i..<(i + 1)) { value = $1 }
        return value
    }

    /// `body(i, value)` for each patched position i in `range`, in order: `value(at:)` over a
    /// run of positions, the pooled form walking them without a division per position.
    public func forEachValue(in range: Range<Int>, _ body: (Int, Float) -> Void) {
        switch source {
        case .listed(let values):
            for i in range { if let v = values[i] { body(i, v) } }
        case .pooled(let pooled):
            pooled.forEachValue(in: range, body)
        }
    }

    /// `base` with every patched position set to its value.
    public func applied(to base: Tensor) -> Tensor {
        var scalars = base.scalars
        switch source {
        case .listed(let values): for (i, v) in values { scalars[i] = v }
        case .pooled(let pooled): pooled.apply(to: &scalars)
        }
        return Tensor(shape: base.shape, scalars: scalars)
    }
}

/// The dy a max pooling's backward pass through a ReLU dropped (its window's winner was a
/// zeroed unit, pooled value ≤ 0 or NaN), found from the position: windows do not overlap
/// (stride ≥ size), so input position p lies in at most one window k, and dL/dx[p] differs
/// from dL/dz[p] = 0 exactly when argmax[k] = p and the pooled y[k] is not positive. There
/// dL/dx[p] = 0 + dy[k] (the scatter's += onto a cleared value: −0 becomes +0).
struct MaxPoolPatches: Sendable {
    let dy: [Float]
    let argmax: [Int32]
    let pooled: [Float]
    let height, width, channels, size, stride: Int
    let outHeight, outWidth: Int

    init(dy: [Float], argmax: [Int32], pooled: [Float], inputShape: [Int], size: Int, stride: Int) {
        precondition(stride >= size && inputShape.count == 4, "MaxPoolPatches: overlapping windows or shape \(inputShape)")
        (self.dy, self.argmax, self.pooled) = (dy, argmax, pooled)
        (height, width, channels) = (inputShape[1], inputShape[2], inputShape[3])
        (self.size, self.stride) = (size, stride)
        (outHeight, outWidth) = ((height - size) / stride + 1, (width - size) / stride + 1)
    }

    /// The patches in `range`: its first position is taken apart once (image b, row y =
    /// i·stride + r, column x = j·stride + s, channel c), then every counter steps along.
    func forEachValue(in range: Range<Int>, _ body: (Int, Float) -> Void) {
        guard !range.isEmpty else { return }
        let (pixel, c0) = range.lowerBound.quotientAndRemainder(dividingBy: channels)
        let (row, x) = pixel.quotientAndRemainder(dividingBy: width)
        let (b0, y) = row.quotientAndRemainder(dividingBy: height)
        var (b, c) = (b0, c0)
        var (i, r) = y.quotientAndRemainder(dividingBy: stride)
        var (j, s) = x.quotientAndRemainder(dividingBy: stride)
        for p in range {
            if r < size, s < size, i < outHeight, j < outWidth {
                let k = ((b * outHeight + i) * outWidth + j) * channels + c
                if Int(argmax[k]) == p, !(pooled[k] > 0) { body(p, 0 + dy[k]) }
            }
            c += 1
            guard c == channels else { continue }
            c = 0
            s += 1
            if s == stride { (j, s) = (j + 1, 0) }
            guard j * stride + s == width else { continue }
            (j, s) = (0, 0)
            r += 1
            if r == stride { (i, r) = (i + 1, 0) }
            guard i * stride + r == height else { continue }
            (i, r, b) = (0, 0, b + 1)
        }
    }

    /// Every window's winner set to its dL/dx: kept where the winner passed the ReLU, dy[k]
    /// where it was zeroed. A select, not a branch: a trained ReLU layer zeroes the winners of
    /// a good share of windows, at random, so a branch on it mispredicts.
    func apply(to scalars: inout [Float]) {
        scalars.withUnsafeMutableBufferPointer { x in
            for k in argmax.indices {
                let p = Int(argmax[k]), kept = x[p], dropped = 0 + dy[k]
                x[p] = pooled[k] > 0 ? kept : dropped
            }
        }
    }
}
