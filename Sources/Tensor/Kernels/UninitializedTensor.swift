extension Tensor {
    /// A tensor of `shape` whose storage is not zeroed, for a kernel that writes every
    /// element before anything reads it (a zero fill of a 2 MB activation costs as much
    /// as a cheap elementwise pass over it).
    static func uninitialized(_ shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: [Float](unsafeUninitializedCapacity: count) { _, n in n = count })
    }
}
