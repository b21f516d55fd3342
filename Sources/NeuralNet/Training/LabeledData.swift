import Tensor

/// Examples with integer class labels: `inputs` is `[count, ...]` (NHWC images
/// or feature vectors), `labels[i]` the class of example i, `classNames` what
/// each class is called (`"0"`…`"9"`, or `"T-shirt/top"`…).
public struct LabeledData: Sendable {
    public var inputs: Tensor
    public var labels: [Int]
    public var classNames: [String]

    public init(inputs: Tensor, labels: [Int], classNames: [String]) {
        precondition(inputs.shape.first == labels.count,
                     "\(labels.count) labels for \(inputs.shape.first ?? 0) examples")
        self.inputs = inputs
        self.labels = labels
        self.classNames = classNames
    }

    public var count: Int { labels.count }
    /// Per-example shape, e.g. `[28, 28, 1]`.
    public var exampleShape: [Int] { Array(inputs.shape.dropFirst()) }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> LabeledData {
        LabeledData(inputs: inputs.gather(rows: indices), labels: indices.map { labels[$0] },
                    classNames: classNames)
    }
}
