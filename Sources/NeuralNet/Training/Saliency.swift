import Tensor

/// A classifier's saliency (Simonyan et al., 2014): for each example, how its predicted
/// class's score, the logit z_ŷ before any softmax, changes with each input value,
/// ∂z_ŷ/∂x.
///
/// Not dL/dx: with cross-entropy, dL/dz = p − onehot(y), which vanishes as the model
/// grows confident (p_y → 1), so the loss's input gradient of a well-classified example
/// is ≈ 0 everywhere. The score's gradient does not saturate.
public struct ClassScoreGradient {
    /// The class scores (logits), `[batch, classes]`, or `[batch, 1]` for one logit.
    public let logits: Tensor
    /// The predicted class of each example: the argmax of its logits (one logit: z > 0).
    public let predicted: [Int]
    /// ∂z_ŷ/∂x for each example, the inputs' shape. For a single logit z the score of
    /// class 1 is z and that of class 0 is −z.
    public let gradient: Tensor
}

extension Sequential {
    /// The gradient of each example's predicted class score with respect to its input,
    /// in inference mode. A trailing `SoftmaxLayer` is left out: the score is its input.
    public func classScoreGradient(_ inputs: Tensor) throws -> ClassScoreGradient {
        let scorer = layers.last is SoftmaxLayer ? Sequential(Array(layers.dropLast())) : self
        let logits = try scorer.forward(inputs, context: .inference)
        let predicted = predictedClasses(logits)
        let classes = max(logits.shape.last ?? 1, 1)
        // Seed dz: 1 on each example's predicted score. In inference mode an example's
        // scores depend on its own input only, so one backward pass of Σᵢ z_ŷᵢ gives
        // every ∂z_ŷᵢ/∂xᵢ at once.
        var seed = [Float](repeating: 0, count: logits.count)
        for (i, k) in predicted.enumerated() {
            if classes == 1 { seed[i] = k == 1 ? 1 : -1 } else { seed[i * classes + k] = 1 }
        }
        let gradient = scorer.backward(Tensor(shape: logits.shape, scalars: seed), inputGradient: true,
                                       parameterGradients: false)!
        return ClassScoreGradient(logits: logits, predicted: predicted, gradient: gradient)
    }
}
