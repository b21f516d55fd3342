import Foundation
import Tensor

/// Word2Vec's negative-sampling loss on scores: each row of the prediction `[n, 1 + k]`
/// holds the scores s = u·v of one centre word with its true context word (at the
/// column its label names, 0 in skip-gram) and with k sampled noise words. Each score
/// is a yes/no logit — "did this word appear near the centre?" — yes for the context
/// word, no for the noise:
///
///     L_i = −log σ(s_{i,o}) − Σ_{j ≠ o} log σ(−s_{i,j})      L = (1/n) Σ_i L_i
///     dL/ds_{i,j} = (σ(s_{i,j}) − [j = o]) / n
///
/// (a sum of binary cross-entropies over a row, averaged over rows; `SkipGram` and its
/// kernel compute the same loss one row at a time without forming the scores).
public struct NegativeSampling: Loss {
    public let name = "negative_sampling"
    public let inputName = "logits"

    public init() {}

    public func evaluate(_ prediction: Tensor, _ target: LossTarget) throws -> (value: Float, gradient: Tensor) {
        guard prediction.rank == 2, prediction.shape[0] > 0, prediction.shape[1] >= 2 else {
            throw LossError.unsupportedShape(loss: name, shape: prediction.shape,
                                             reason: "scores are [pairs, 1 + negatives] with at least one negative")
        }
        let y = try target.dense(like: prediction, loss: name).scalars
        let z = prediction.scalars, rows = Float(prediction.shape[0])
        var gradient = [Float](repeating: 0, count: z.count)
        var total: Double = 0
        for i in z.indices {
            // −log σ(z) when y = 1, −log σ(−z) when y = 0: softplus(∓z), without overflow.
            total += Double(max(z[i], 0) - z[i] * y[i] + log1p(exp(-abs(z[i]))))
            gradient[i] = (1 / (1 + exp(-z[i])) - y[i]) / rows
        }
        return (Float(total / Double(rows)), Tensor(shape: prediction.shape, scalars: gradient))
    }
}
