import Tensor

/// How a weight tensor starts, with Keras's definitions of fan-in and fan-out
/// (Dense `[in, out]`: fan_in = in, fan_out = out; Conv2D `[kh, kw, cin, cout]`:
/// fan_in = kh·kw·cin, fan_out = kh·kw·cout):
///
///     glorotUniform  U(−l, l),  l = √(6 / (fan_in + fan_out))     (Keras's default)
///     heNormal       N(0, √(2 / fan_in)) truncated at 2σ, as Keras draws it
///     zeros          0
///     orthogonal     Q of the QR decomposition of a unit-normal matrix (rows or
///                    columns orthonormal), as Keras's recurrent kernels start
///
/// Values come from a counter-based stream keyed by the seed and the parameter's
/// name, so `conv1.weight` starts the same whatever else the model contains.
public enum Initializer: String, Sendable, CaseIterable, Codable {
    case glorotUniform = "glorot_uniform"
    case heNormal = "he_normal"
    case zeros
    case orthogonal
    /// Keras's `"uniform"`: U(−0.05, 0.05), its default for embeddings.
    case uniform

    public func make(shape: [Int], seed: UInt64, name: String) -> Tensor {
        let (fanIn, fanOut) = Initializer.fans(shape)
        var rng = RandomStream(seed: seed, name: name)
        var t = Tensor(shape: shape)
        switch self {
        case .zeros:
            break
        case .glorotUniform:
            let limit = (6 / Float(fanIn + fanOut)).squareRoot()
            for i in t.scalars.indices { t.scalars[i] = rng.nextUniform(-limit, limit) }
        case .orthogonal:
            t.scalars = Initializer.orthogonal(shape: shape, rng: &rng)
        case .uniform:
            for i in t.scalars.indices { t.scalars[i] = rng.nextUniform(-0.05, 0.05) }
        case .heNormal:
            // Keras divides by 0.8796…, the std of a unit normal truncated at ±2,
            // so that the truncated draw still has std √(2 / fan_in).
            let std = (2 / Float(fanIn)).squareRoot() / 0.879_625_661_034_239_78
            for i in t.scalars.indices { t.scalars[i] = rng.nextTruncatedNormal(stddev: std) }
        }
        return t
    }

    /// Keras's `Orthogonal`: for a `[rows, cols]` matrix (leading dimensions folded into
    /// rows), draw the taller of the two shapes from N(0, 1), take Q of its QR
    /// decomposition with diag(R) > 0 (modified Gram–Schmidt, in Double) and transpose
    /// when the matrix is wide: columns orthonormal when rows ≥ cols, rows otherwise.
    static func orthogonal(shape: [Int], rng: inout RandomStream) -> [Float] {
        let cols = shape.last ?? 1, rows = shape.dropLast().reduce(1, *)
        let (m, n) = (max(rows, cols), min(rows, cols))
        // Column j of the m × n work matrix is q[j·m ..< (j+1)·m], one flat array so the
        // loops below run over contiguous memory (nested arrays cost a uniqueness check
        // per write). The sums run in index order, as the nested version did.
        var q = (0..<(n * m)).map { _ in Double(rng.nextNormal()) }
        for j in 0..<n {
            let cj = j * m
            for k in 0..<j {
                let ck = k * m
                var projection = 0.0
                for i in 0..<m { projection += q[ck + i] * q[cj + i] }
                for i in 0..<m { q[cj + i] -= projection * q[ck + i] }
            }
            var squares = 0.0
            for i in 0..<m { squares += q[cj + i] * q[cj + i] }
            let norm = squares.squareRoot()
            for i in 0..<m { q[cj + i] /= norm }
        }
        // Q is m × n with columns q[j]; a wide matrix takes Qᵀ.
        var out = [Float](repeating: 0, count: rows * cols)
        for r in 0..<rows {
            for c in 0..<cols { out[r * cols + c] = Float(rows >= cols ? q[c * m + r] : q[r * m + c]) }
        }
        return out
    }

    /// Keras's `compute_fans`: the receptive field multiplies both fans.
    static func fans(_ shape: [Int]) -> (Int, Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        case 2: return (shape[0], shape[1])
        default:
            let receptive = shape.dropLast(2).reduce(1, *)
            return (shape[shape.count - 2] * receptive, shape[shape.count - 1] * receptive)
        }
    }
}
