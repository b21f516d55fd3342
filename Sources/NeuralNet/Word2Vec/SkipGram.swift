import Foundation
import Tensor

/// Word2Vec's skip-gram model (Mikolov et al. 2013): every word w of a vocabulary has
/// an input vector v_w (a row of `input`, `word2vec.input`, the embedding a lesson
/// shows) and an output vector u_w (a row of `output`, `word2vec.output`). The model
/// says how likely a word o is to appear near a centre word c through σ(u_o · v_c).
///
/// Trained with negative sampling: for a pair (c, o) seen in the text and k words
/// n₁…n_k drawn from the unigram distribution raised to ¾ (`NegativeSampler`),
///
///     L(c, o) = −log σ(u_o · v_c) − Σ_k log σ(−u_{n_k} · v_c)
///
/// pulls u_o towards v_c and pushes the sampled u_{n_k} away from it. Words that occur
/// in the same contexts get input vectors that point the same way.
///
/// ```swift
/// let model = SkipGram(vocabulary: 1000, dimension: 50, seed: 42)
/// model.step(centre: 7, targets: [12, 301, 55, 8, 990, 14], rate: 0.025)
/// ```
public final class SkipGram {
    public static let inputName = "word2vec.input"
    public static let outputName = "word2vec.output"

    public let vocabulary: Int
    public let dimension: Int
    /// [vocabulary, dimension]: v_w, initialised U(−½/d, ½/d) as in word2vec.c.
    public let input: Parameter
    /// [vocabulary, dimension]: u_w, initialised to zero as in word2vec.c (the first
    /// steps then move only the output vectors, which the input vectors follow).
    public let output: Parameter
    private var scratch: [Float]

    public init(vocabulary: Int, dimension: Int, seed: UInt64) {
        self.vocabulary = vocabulary
        self.dimension = dimension
        var rng = RandomStream(seed: seed, name: Self.inputName)
        let half = 0.5 / Float(dimension)
        let values = (0..<(vocabulary * dimension)).map { _ in rng.nextUniform(-half, half) }
        input = Parameter(name: Self.inputName, value: Tensor(shape: [vocabulary, dimension], scalars: values), decays: false)
        output = Parameter(name: Self.outputName, value: Tensor(shape: [vocabulary, dimension]), decays: false)
        scratch = [Float](repeating: 0, count: dimension)
    }

    /// The model with given starting vectors (tests).
    public init(input: Tensor, output: Tensor) {
        precondition(input.rank == 2 && input.shape == output.shape, "input and output are [vocabulary, dimension]")
        vocabulary = input.shape[0]
        dimension = input.shape[1]
        self.input = Parameter(name: Self.inputName, value: input, decays: false)
        self.output = Parameter(name: Self.outputName, value: output, decays: false)
        scratch = [Float](repeating: 0, count: dimension)
    }

    /// One SGD step on one centre word: `targets[0]` is the context word seen near it,
    /// the rest are negatives. Returns L(c, o) before the step (`SkipGramKernel.step`).
    @discardableResult
    public func step(centre: Int, targets: [Int32], rate: Float) -> Float {
        let d = dimension
        return input.value.scalars.withUnsafeMutableBufferPointer { v in
            output.value.scalars.withUnsafeMutableBufferPointer { u in
                scratch.withUnsafeMutableBufferPointer { e in
                    targets.withUnsafeBufferPointer { t in
                        SkipGramKernel.step(input: v.baseAddress!, output: u.baseAddress!, dimension: d, centre: centre,
                                            targets: t, rate: rate, scratch: e.baseAddress!)
                    }
                }
            }
        }
    }

    /// L(c, o) with `targets[0]` = o and the rest negatives, nothing updated.
    public func loss(centre: Int, targets: [Int32]) -> Float {
        let d = dimension
        return input.value.scalars.withUnsafeBufferPointer { v in
            output.value.scalars.withUnsafeBufferPointer { u in
                targets.withUnsafeBufferPointer { t in
                    SkipGramKernel.loss(input: v.baseAddress!, output: u.baseAddress!, dimension: d, centre: centre, targets: t)
                }
            }
        }
    }

    /// ∂L/∂v_c and ∂L/∂u_j of one centre word and its targets, written as the math reads
    /// (for gradient checks; training uses `step`):
    ///
    ///     g_j = σ(u_j · v_c) − y_j      ∂L/∂u_j = g_j · v_c      ∂L/∂v_c = Σ_j g_j · u_j
    ///
    /// A target listed twice gets the sum of both contributions.
    public func gradients(centre: Int, targets: [Int32]) -> (input: [Float], output: [Int: [Float]]) {
        let d = dimension, v = row(input.value, centre)
        var dv = [Float](repeating: 0, count: d)
        var du: [Int: [Float]] = [:]
        for (position, target) in targets.map(Int.init).enumerated() {
            let u = row(output.value, target)
            let s = zip(u, v).map { $0 * $1 }.reduce(0, +)
            let g = 1 / (1 + exp(-s)) - (position == 0 ? 1 : 0)
            for i in 0..<d { dv[i] += g * u[i] }
            du[target, default: [Float](repeating: 0, count: d)] = zip(du[target] ?? [Float](repeating: 0, count: d), v)
                .map { $0 + g * $1 }
        }
        return (dv, du)
    }

    private func row(_ t: Tensor, _ i: Int) -> [Float] { Array(t.scalars[(i * dimension)..<((i + 1) * dimension)]) }
}
