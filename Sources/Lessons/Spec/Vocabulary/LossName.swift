/// The `training.loss` of a lesson file.
public enum LossName: String, CaseIterable, Sendable {
    /// Softmax and cross-entropy on the logits of a classifier (one output per class).
    case softmaxCrossEntropy = "softmax_cross_entropy"
    /// Mean squared error on the raw outputs (regression).
    case mse
    /// Sigmoid and cross-entropy on one logit per example (two classes).
    case binaryCrossEntropy = "binary_cross_entropy"
    /// Word2Vec's loss: −log σ(u_o·v_c) − Σ_k log σ(−u_k·v_c) over a context word and k
    /// sampled noise words (`model: {word2vec: ...}` takes this loss and no other).
    case negativeSampling = "negative_sampling"
}
