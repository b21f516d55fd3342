import Tensor

/// What a loss compares predictions with: one integer class label per example,
/// or a tensor of target values shaped like the prediction.
///
/// A class label stands for a one-hot row over the prediction's last axis
/// (label 2 of 4 classes is `[0, 0, 1, 0]`). When the prediction has a single
/// output per example, as a binary classifier's logit does, the label (0 or 1)
/// is itself the target value.
///
/// For a sequence prediction `[batch, time, classes]` there is one label per step
/// (`batch · time` labels, step-major within each sequence), and a label of
/// `LossTarget.ignored` (−1) marks a step that counts for nothing: a padded step, or
/// one whose answer is not asked for.
public enum LossTarget: Equatable, Sendable {
    case classes([Int])
    case values(Tensor)

    /// The label of a step that contributes nothing to the loss or its gradient.
    public static let ignored = -1

    /// How many of `rows` prediction rows have a target (labels other than `ignored`).
    func countedRows(_ rows: Int) -> Int {
        guard case let .classes(labels) = self else { return rows }
        return labels.reduce(0) { $0 + ($1 == LossTarget.ignored ? 0 : 1) }
    }
}

/// A scalar measure of how wrong a batch of predictions is, with its gradient.
///
/// `evaluate` returns the mean loss over the batch, as Keras reports it, and
/// dL/dprediction for that mean, so the gradient is already divided by the
/// batch size and a model can feed it straight into its backward pass:
///
/// ```swift
/// let (loss, dy) = try SoftmaxCrossEntropy().evaluate(logits, .classes(labels))
/// ```
public protocol Loss {
    /// The name a lesson file and a trace use: `softmax_cross_entropy`, `mse`,
    /// `binary_cross_entropy`.
    var name: String { get }
    /// What the model's output is to this loss, and the name a trace gives the probe's
    /// output: `logits` for the cross-entropies (they apply softmax or σ themselves),
    /// `prediction` for a loss that compares the output with targets as it is.
    var inputName: String { get }
    /// Mean loss over the batch and dL/dprediction (already divided by the batch size).
    func evaluate(_ prediction: Tensor, _ target: LossTarget) throws -> (value: Float, gradient: Tensor)
}

extension LossTarget {
    /// The target as a tensor shaped like `prediction`: values as given, class
    /// labels as one-hot rows (or as 0/1 values for one output per example).
    /// With `ignoring`, a label `ignored` gives a row of zeros (the loss skips it).
    func dense(like prediction: Tensor, loss: String, ignoring: Bool = false) throws -> Tensor {
        _ = try batchSize(of: prediction, loss: loss)
        switch self {
        case let .values(target):
            guard target.shape == prediction.shape else {
                throw LossError.shapeMismatch(loss: loss, prediction: prediction.shape, target: target.shape)
            }
            return target
        case let .classes(labels):
            let width = try checkLabels(labels, like: prediction, loss: loss, ignoring: ignoring)
            var target = Tensor(shape: prediction.shape)
            for (row, label) in labels.enumerated() {
                if label == LossTarget.ignored && ignoring { continue }
                if width == 1 {
                    target.scalars[row] = Float(label)
                } else {
                    target.scalars[row * width + label] = 1
                }
            }
            return target
        }
    }
}

extension LossTarget {
    /// Checks class labels against `prediction`: one per row of its last axis (per
    /// example, or per step of a sequence), each a class of that axis (0 or 1 for a
    /// single output), or `ignored` with `ignoring`. Returns the last axis's width.
    func checkLabels(_ labels: [Int], like prediction: Tensor, loss: String, ignoring: Bool) throws -> Int {
        let batch = try batchSize(of: prediction, loss: loss)
        let width = prediction.rank >= 2 ? prediction.shape[prediction.rank - 1] : 1
        guard width > 0, labels.count == prediction.count / width, labels.count % batch == 0 else {
            throw LossError.shapeMismatch(loss: loss, prediction: prediction.shape, target: [labels.count])
        }
        let classes = max(width, 2)
        for (row, label) in labels.enumerated() where !(label == LossTarget.ignored && ignoring) {
            guard label >= 0 && label < classes else {
                throw LossError.labelOutOfRange(loss: loss, label: label, example: row, classes: classes)
            }
        }
        return width
    }
}

/// The number of examples in a prediction (its first dimension), which must be at least one.
private func batchSize(of prediction: Tensor, loss: String) throws -> Int {
    guard prediction.rank >= 1, prediction.shape[0] > 0 else {
        throw LossError.unsupportedShape(loss: loss, shape: prediction.shape,
                                         reason: "a loss needs a batch of at least one example")
    }
    return prediction.shape[0]
}
