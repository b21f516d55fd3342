import Foundation
import NeuralNet
import Tensor

/// Class probabilities `[n, classes]` from a classifier's outputs: as they are
/// after a Softmax layer, a softmax of logits, or [1 − σ(z), σ(z)] with
/// σ(z) = 1/(1 + e^(−z)) for a single logit (binary cross-entropy's model).
/// Shared by `learn predict` and the figures that colour the input plane.
func classProbabilities(_ outputs: Tensor, endsInSoftmax: Bool) -> Tensor {
    if endsInSoftmax { return outputs }
    if outputs.count == outputs.shape[0] {
        let p = outputs.scalars.map { 1 / (1 + exp(-$0)) }
        return Tensor(shape: [outputs.shape[0], 2], scalars: p.flatMap { [1 - $0, $0] })
    }
    return softmax(outputs)
}
