/// A dense, contiguous, row-major array of `Float` with a shape.
///
/// `Tensor` is a value type backed by a copy-on-write `[Float]`, so handing a
/// tensor to a recorder or caching it for a backward pass costs one retain, not a
/// copy. Images are channels-last (NHWC), as in Keras: a batch of 64 MNIST digits
/// has shape `[64, 28, 28, 1]`.
///
/// ```swift
/// var x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// x[1, 2] = 0
/// let y = x.reshaped([3, 2])
/// ```
public struct Tensor: Equatable, Sendable, CustomStringConvertible {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.product`.
    public var scalars: [Float]

    /// A tensor of `shape` whose every element is `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor of `shape` holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-0 tensor.
    public init(scalar: Float) { self.init(shape: [], scalars: [scalar]) }

    /// Number of elements.
    public var count: Int { scalars.count }
    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Row-major offset of a multi-index.
    @inlinable
    public func offset(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var o = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of range for shape \(shape)")
            o = o * d + i
        }
        return o
    }

    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(index)] }
        set { scalars[offset(index)] = newValue }
    }

    /// The `i`-th slice along the first dimension (e.g. one image of a batch).
    public func slice(_ i: Int) -> Tensor {
        slice(i..<(i + 1)).reshaped(Array(shape.dropFirst()))
    }

    /// Rows `range` along the first dimension, keeping the rank.
    public func slice(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0])
        let inner = shape.dropFirst().reduce(1, *)
        let part = Array(scalars[(range.lowerBound * inner)..<(range.upperBound * inner)])
        return Tensor(shape: [range.count] + shape.dropFirst(), scalars: part)
    }

    /// Gathers rows `indices` along the first dimension (a mini-batch).
    public func gather(rows indices: [Int]) -> Tensor {
        let inner = shape.dropFirst().reduce(1, *)
        var out = [Float](repeating: 0, count: indices.count * inner)
        scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    precondition(i >= 0 && i < shape[0], "row \(i) out of range 0..<\(shape[0])")
                    for j in 0..<inner { dst[r * inner + j] = src[i * inner + j] }
                }
            }
        }
        return Tensor(shape: [indices.count] + shape.dropFirst(), scalars: out)
    }

    public var description: String {
        let body = scalars.count <= 16 ? "\(scalars)" : "\(Array(scalars.prefix(8))) …"
        return "Tensor\(shape) \(body)"
    }
}
