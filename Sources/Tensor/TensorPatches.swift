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
        switch source {
        case .listed(let values): values[i]
        case .pooled(let pooled): pooled.value(at: i)
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
    var outHeight: Int { (height - size) / stride + 1 }
    var outWidth: Int { (width - size) / stride + 1 }

    init(dy: [Float], argmax: [Int32], pooled: [Float], inputShape: [Int], size: Int, stride: Int) {
        precondition(stride >= size && inputShape.count == 4, "MaxPoolPatches: overlapping windows or shape \(inputShape)")
        (self.dy, self.argmax, self.pooled) = (dy, argmax, pooled)
        (height, width, channels) = (inputShape[1], inputShape[2], inputShape[3])
        (self.size, self.stride) = (size, stride)
    }

    func value(at p: Int) -> Float? {
        let (pixel, c) = p.quotientAndRemainder(dividingBy: channels)
        let (row, x) = pixel.quotientAndRemainder(dividingBy: width)
        let (b, y) = row.quotientAndRemainder(dividingBy: height)
        let (i, r) = y.quotientAndRemainder(dividingBy: stride)
        let (j, s) = x.quotientAndRemainder(dividingBy: stride)
        guard r < size, s < size, i < outHeight, j < outWidth else { return nil }
        let k = ((b * outHeight + i) * outWidth + j) * channels + c
        guard Int(argmax[k]) == p, !(pooled[k] > 0) else { return nil }
        return 0 + dy[k]
    }

    func apply(to scalars: inout [Float]) {
        for k in argmax.indices where !(pooled[k] > 0) { scalars[Int(argmax[k])] = 0 + dy[k] }
    }
}
