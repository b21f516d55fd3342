import TensorAVX512

/// What statistics need from one piece of a tensor: its count, Σx, Σx², its own
/// squared deviations Σ(x − mean of the piece)², min and max.
///
/// Pieces merge exactly (Chan's formula, in `combine`), so a tensor's mean, std,
/// min, max and L2 norm follow from the moments of any cut into consecutive pieces.
/// That lets a kernel measure the piece it has just written while it is still in
/// cache (see `TensorMoments`), instead of a second pass over memory later.
public struct BlockMoments: Sendable, Equatable {
    public var count = 0
    public var sum = 0.0, sumOfSquares = 0.0
    /// Σ(x − mean of this piece)².
    public var squaredDeviations = 0.0
    public var min = Float.infinity, max = -Float.infinity

    public init() {}

    public init(count: Int, sum: Double, sumOfSquares: Double, squaredDeviations: Double, min: Float, max: Float) {
        (self.count, self.sum, self.sumOfSquares) = (count, sum, sumOfSquares)
        (self.squaredDeviations, self.min, self.max) = (squaredDeviations, min, max)
    }

    /// Moments of `count` values at `x` (non-empty).
    public init(of x: UnsafePointer<Float>, count: Int) {
        self = MomentsKernel.measure(x, count: count)
    }

    /// These values together with `zeros` more zeros (Chan's merge with a piece of
    /// mean 0): what a kernel that scatters values into a cleared buffer has written.
    public func addingZeros(_ zeros: Int) -> BlockMoments {
        guard zeros > 0 else { return self }
        let total = count + zeros
        let mean = sum / Double(total), ownMean = count > 0 ? sum / Double(count) : 0
        return BlockMoments(
            count: total, sum: sum, sumOfSquares: sumOfSquares,
            squaredDeviations: squaredDeviations + Double(count) * (ownMean - mean) * (ownMean - mean)
                + Double(zeros) * mean * mean,
            min: Swift.min(min, 0), max: Swift.max(max, 0))
    }
}

/// The moments of a tensor's consecutive pieces, in order, measured by the kernel
/// that wrote them (`conv2D(…, measured: true)`, the max-pool kernels, a
/// convolution's input gradient). The pieces follow the kernel's own blocks,
/// which depend on the shape only, never on the thread count.
public struct TensorMoments: Sendable, Equatable {
    public let pieces: [BlockMoments]

    public init(pieces: [BlockMoments]) { self.pieces = pieces }

    /// Elements covered: the tensor's count when the pieces are complete.
    public var count: Int { pieces.reduce(0) { $0 + $1.count } }

    /// Runs a kernel that measures into a buffer of `count` pieces, each written once
    /// by the block that wrote it; with `count` nil the kernel runs without measuring
    /// (its buffer is nil) and so are the moments.
    static func collect(pieces count: Int?, _ kernel: (UnsafeMutablePointer<BlockMoments>?) -> Void) -> TensorMoments? {
        guard let count else {
            kernel(nil)
            return nil
        }
        return TensorMoments(pieces: [BlockMoments](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: BlockMoments())
            kernel(buffer.baseAddress!)
            initialized = count
        })
    }
}

/// The pass behind `BlockMoments`: one read of the values (16-lane registers,
/// returned in Double) for min, max and, about a shift K (the mean of the piece's
/// first 16 values, close to the piece's mean), Σc and Σc² of c = x − K:
///
///     Σx = Σc + n·K,   Σ(x − mean)² = Σc² − (Σc)² / n,   Σx² = Σ(x − mean)² + (Σx)² / n.
///
/// With K near the mean, c is small and the subtraction loses few digits (values
/// of 1000 ± 0.01 keep their spread); it replaces a second pass over the piece for
/// Σ(x − mean)², which for a kernel's piece larger than L1 (a 26×26×32 image's
/// output is 86 KB) went back to L2; only a piece whose first values lie far from
/// its mean (in units of its spread) still gets that pass. The numbers depend on
/// the piece only, never on which thread measured it.
///
/// Its vector loop (`narrowBlocks`) is what a measured training step spends on its
/// statistics, so it does the least per value: 32 values a turn in two sets of Σc
/// and Σc² (one fused multiply-add), so that no sum waits on the one before, and
/// one min and max of the pair. Where `SIMDLevel.avx512` is on, `WideMoments` runs
/// the same lanes in zmm registers, bit for bit (`WideTileTests`).
///
/// (`pointwiseMin` compiles to generic per-lane code, 10× slower;
/// `replace(with:where:)` becomes `vminps`/`vblendvps`.)
public enum MomentsKernel {
    private typealias Vector = SIMD16<Float>

    public static func measure(_ x: UnsafePointer<Float>, count: Int) -> BlockMoments {
        precondition(count > 0, "MomentsKernel.measure: empty piece")
        let shift = self.shift(x, count: count)
        let blocks = SIMDLevel.avx512 ? WideMoments.blocks(x, count: count, shift: shift)
                                      : narrowBlocks(x, count: count, shift: shift)
        var tailShifted: Float = 0, tailSquares: Float = 0
        var minimum = min(blocks.low), maximum = max(blocks.high)
        for j in blocks.consumed..<count {
            let v = x[j], c = v - shift
            tailShifted += c
            tailSquares.addProduct(c, c)
            minimum = Swift.min(minimum, v)
            maximum = Swift.max(maximum, v)
        }
        let shifted = Double(sum(blocks.shifted) + tailShifted), n = Double(count)
        let squares = Double(sum(blocks.squares) + tailSquares)
        let sum = shifted + n * Double(shift)
        var deviations = squares - shifted * shifted / n
        // A shift far from the mean ((mean − K)² > 15 σ², first values unlike the rest)
        // would cancel most digits: then a second pass about the mean, as exact as before.
        if deviations < squares / 16 { deviations = centeredSquares(x, count: count, mean: Float(sum / n)) }
        deviations = Swift.max(0, deviations)
        return BlockMoments(count: count, sum: sum, sumOfSquares: deviations + sum * sum / n,
                            squaredDeviations: deviations, min: minimum, max: maximum)
    }

    /// `WideMoments.blocks` on the AVX2 path: the same lanes, each SIMD16 in two ymm.
    static func narrowBlocks(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> MomentsBlocks {
        let raw = UnsafeRawPointer(x), k = Vector(repeating: shift)
        var s = Vector(), d = Vector(), s2 = Vector(), d2 = Vector()
        var low = Vector(repeating: x[0]), high = low
        var i = 0
        while i + 2 * Vector.scalarCount <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self)
            let w = raw.loadUnaligned(fromByteOffset: i * 4 + 64, as: Vector.self)
            let c = v - k, e = w - k
            s += c
            d.addProduct(c, c)
            s2 += e
            d2.addProduct(e, e)
            // The smaller (larger) of v and w, then of it and low (high): exact for finite
            // values; a piece with NaN or ∞ has a non-finite Σ, and the statistics count
            // such a tensor again element by element.
            var smaller = v, larger = v
            smaller.replace(with: w, where: w .< v)
            larger.replace(with: w, where: w .> v)
            low.replace(with: smaller, where: smaller .< low)
            high.replace(with: larger, where: larger .> high)
            i += 2 * Vector.scalarCount
        }
        if i + Vector.scalarCount <= count {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self), c = v - k
            s += c
            d.addProduct(c, c)
            low.replace(with: v, where: v .< low)
            high.replace(with: v, where: v .> high)
            i += Vector.scalarCount
        }
        return MomentsBlocks(consumed: i, shifted: s + s2, squares: d + d2, low: low, high: high)
    }

    /// Σ(x − mean)², a second pass for the rare piece whose shift was poor.
    private static func centeredSquares(_ x: UnsafePointer<Float>, count: Int, mean: Float) -> Double {
        let raw = UnsafeRawPointer(x)
        var d = Vector()
        var i = 0
        while i + Vector.scalarCount <= count {
            let centered = raw.loadUnaligned(fromByteOffset: i * 4, as: Vector.self) - mean
            d += centered * centered
            i += Vector.scalarCount
        }
        var tail: Float = 0
        for j in i..<count { tail += (x[j] - mean) * (x[j] - mean) }
        return Double(d.sum() + tail)
    }

    /// K: the mean of the first (up to) 16 values, in Float.
    private static func shift(_ x: UnsafePointer<Float>, count: Int) -> Float {
        guard count >= Vector.scalarCount else {
            var total: Float = 0
            for j in 0..<count { total += x[j] }
            return total / Float(count)
        }
        return sum(UnsafeRawPointer(x).loadUnaligned(as: Vector.self)) / Float(Vector.scalarCount)
    }

    // A piece's lanes meet in a tree of halves, a few vector operations where the
    // standard library's `sum()`, `min()` and `max()` go lane by lane (a max-pool row
    // of 416 values is one piece, so this is paid per 26 groups of 16).

    /// Σ of the lanes: ((l[0..7] + l[8..15]) halved again, twice) then the last pair.
    private static func sum(_ v: Vector) -> Float {
        let eight = v.lowHalf + v.highHalf, four = eight.lowHalf + eight.highHalf, two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    private static func min(_ v: Vector) -> Float {
        var eight = v.lowHalf
        eight.replace(with: v.highHalf, where: v.highHalf .< eight)
        var four = eight.lowHalf
        four.replace(with: eight.highHalf, where: eight.highHalf .< four)
        var two = four.lowHalf
        two.replace(with: four.highHalf, where: four.highHalf .< two)
        return Swift.min(two[0], two[1])
    }

    private static func max(_ v: Vector) -> Float {
        var eight = v.lowHalf
        eight.replace(with: v.highHalf, where: v.highHalf .> eight)
        var four = eight.lowHalf
        four.replace(with: eight.highHalf, where: eight.highHalf .> four)
        var two = four.lowHalf
        two.replace(with: four.highHalf, where: four.highHalf .> two)
        return Swift.max(two[0], two[1])
    }
}
