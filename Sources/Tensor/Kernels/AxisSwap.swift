/// Swaps the two outer axes of a row-major `[outer, inner, width]` buffer:
///
///     dst[(i·outer + o)·width + j] = src[(o·inner + i)·width + j]
///
/// one contiguous copy of `width` floats per (o, i). It is the layout change between
/// Keras's batch-major sequences `[batch, time, f]` and the recurrent layers'
/// time-major rows `[time · batch, f]` (`SequenceLayout`); with width 1, a matrix
/// transpose. Pure copies: no value changes.
public enum AxisSwap {
    public static func swap(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                            outer: Int, inner: Int, width: Int) {
        if width == 1 {
            for o in 0..<outer { for i in 0..<inner { dst[i * outer + o] = src[o * inner + i] } }
            return
        }
        for o in 0..<outer {
            for i in 0..<inner {
                (dst + (i * outer + o) * width).update(from: src + (o * inner + i) * width, count: width)
            }
        }
    }

    /// The swap of a whole tensor's storage into new storage.
    static func swapped(_ scalars: [Float], outer: Int, inner: Int, width: Int) -> [Float] {
        precondition(scalars.count == outer * inner * width)
        return [Float](unsafeUninitializedCapacity: scalars.count) { out, count in
            scalars.withUnsafeBufferPointer { src in
                if let from = src.baseAddress, let to = out.baseAddress {
                    swap(from, into: to, outer: outer, inner: inner, width: width)
                }
            }
            count = scalars.count
        }
    }
}
