import Tensor

/// Examples with what each should produce: `inputs` is `[count, ...]` (NHWC
/// images or feature vectors). For classification `labels[i]` is the class of
/// example i and `classNames` what each class is called (`"0"`…`"9"`); for
/// regression `targets` holds the values each example should produce
/// (`[count, outputs]`), `labels` are all 0 and `classNames` is empty.
public struct LabeledData: Sendable {
    public var inputs: Tensor
    public var labels: [Int]
    public var classNames: [String]
    /// Regression targets; nil for a classification task.
    public var targets: Tensor?

    /// A classification set; one label per example, or `TrainingError.countMismatch`
    /// (the data comes from users' files, so a mismatch is an error, not a crash).
    public init(inputs: Tensor, labels: [Int], classNames: [String]) throws {
        let examples = inputs.shape.first ?? 0
        guard examples == labels.count else {
            throw TrainingError.countMismatch(examples: examples, answers: labels.count, kind: "labels")
        }
        self.init(checkedInputs: inputs, labels: labels, classNames: classNames)
    }

    /// A regression set: example i should produce row i of `targets`.
    public init(inputs: Tensor, targets: Tensor) throws {
        let examples = inputs.shape.first ?? 0
        guard examples == targets.shape.first ?? 0 else {
            throw TrainingError.countMismatch(examples: examples, answers: targets.shape.first ?? 0, kind: "targets")
        }
        self.init(checkedInputs: inputs, labels: Array(repeating: 0, count: examples), classNames: [])
        self.targets = targets
    }

    private init(checkedInputs inputs: Tensor, labels: [Int], classNames: [String]) {
        self.inputs = inputs
        self.labels = labels
        self.classNames = classNames
    }

    public var count: Int { labels.count }
    /// Per-example shape, e.g. `[28, 28, 1]`.
    public var exampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    public var isRegression: Bool { targets != nil }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledData {
        var picked = LabeledData(checkedInputs: inputs.gather(rows: indices), labels: indices.map { labels[$0] },
                                 classNames: classNames)
        picked.targets = targets?.gather(rows: indices)
        return picked
    }
}
