/// The `training.loss` of a lesson file.
public enum LossName: String, CaseIterable, Sendable {
    /// Softmax and cross-entropy on the logits of a classifier (one output per class).
    case softmaxCrossEntropy = "softmax_cross_entropy"
    /// Mean squared error on the raw outputs (regression).
    case mse
    /// Sigmoid and cross-entropy on one logit per example (two classes).
    case binaryCrossEntropy = "binary_cross_entropy"
}
