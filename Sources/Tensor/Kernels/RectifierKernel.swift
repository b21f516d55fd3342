/// ReLU forward and backward over large tensors: SIMD, and split over the cores
/// in fixed blocks (elementwise, so any split gives the same values).
///
///     forward:   y = max(x, 0)
///     backward:  dL/dx = dL/dy · [y > 0]
///
/// A first convolution's output is 1.4 M values at batch 64; a generic closure map
/// over it ran on one core.
enum RectifierKernel {
    static let blockLength = 32_768
    /// Below this many values one thread does it all: a parallel region (a barrier,
    /// ~7 µs on 2 cores) costs more than the pass (e.g. a last convolution's 36 864 values).
    static let serialLength = 65_536
    private typealias V = SIMD16<Float>

    static func forward(_ x: UnsafeMutablePointer<Float>, count: Int) {
        forEachBlock(count) { range in
            let raw = UnsafeMutableRawPointer(x)
            var i = range.lowerBound
            while i + V.scalarCount <= range.upperBound {
                var v = raw.loadUnaligned(fromByteOffset: i * 4, as: V.self)
                v.replace(with: V(), where: v .< V())
                raw.storeBytes(of: v, toByteOffset: i * 4, as: V.self)
                i += V.scalarCount
            }
            while i < range.upperBound { x[i] = max(x[i], 0); i += 1 }
        }
    }

    static func backward(_ dy: UnsafePointer<Float>, output y: UnsafePointer<Float>,
                         into dx: UnsafeMutablePointer<Float>, count: Int) {
        forEachBlock(count) { range in
            let rdy = UnsafeRawPointer(dy), ry = UnsafeRawPointer(y), rdx = UnsafeMutableRawPointer(dx)
            var i = range.lowerBound
            while i + V.scalarCount <= range.upperBound {
                var d = rdy.loadUnaligned(fromByteOffset: i * 4, as: V.self)
                let out = ry.loadUnaligned(fromByteOffset: i * 4, as: V.self)
                d.replace(with: V(), where: .!(out .> V()))
                rdx.storeBytes(of: d, toByteOffset: i * 4, as: V.self)
                i += V.scalarCount
            }
            while i < range.upperBound { dx[i] = y[i] > 0 ? dy[i] : 0; i += 1 }
        }
    }

    private static func forEachBlock(_ count: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (count + blockLength - 1) / blockLength
        let pool = count < serialLength ? WorkerPool.serial : WorkerPool.shared
        pool.run(blocks: blocks) { b in
            body((b * blockLength)..<min(count, (b + 1) * blockLength))
        }
    }
}

extension Tensor {
    /// x ← max(x, 0) elementwise.
    public mutating func rectifyInPlace() {
        let n = count
        scalars.withUnsafeMutableBufferPointer { RectifierKernel.forward($0.baseAddress!, count: n) }
    }

    /// dL/dx = dL/dy · [y > 0] for `self` = dL/dy and y the ReLU's output.
    public func rectifierGradient(output y: Tensor) -> Tensor {
        precondition(y.count == count, "rectifierGradient: \(shape) vs \(y.shape)")
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { dx, initialized in
            scalars.withUnsafeBufferPointer { dy in
                y.scalars.withUnsafeBufferPointer { y in
                    RectifierKernel.backward(dy.baseAddress!, output: y.baseAddress!, into: dx.baseAddress!, count: n)
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, scalars: out)
    }
}
