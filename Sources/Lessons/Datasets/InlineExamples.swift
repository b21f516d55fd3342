import NeuralNet
import Tensor

/// A handful of examples written out in the lesson file, so that a lesson can
/// follow one example through every number of a step (backpropagation by hand).
/// They are both the training and the test set. Each example is a row of
/// `inputs` with either a row of regression `targets` or a class in `labels`.
///
/// ```yaml
/// data: {dataset: inline, inputs: [[1.0, 0.5]], targets: [[0.9]]}
/// ```
public struct InlineExamples: Equatable, Sendable {
    /// The dataset name a lesson file gives for examples written out in it.
    public static let datasetName = "inline"

    public var inputs: [[Double]]
    /// Regression targets, one row per example; nil for a classification set.
    public var targets: [[Double]]?
    /// Class of each example (0, 1, ...); nil for a regression set.
    public var labels: [Int]?

    public init(inputs: [[Double]], targets: [[Double]]? = nil, labels: [Int]? = nil) {
        self.inputs = inputs
        self.targets = targets
        self.labels = labels
    }

    public var isRegression: Bool { targets != nil }

    /// Classes are named by their number, at least "0" and "1".
    public var classNames: [String] {
        guard let labels else { return [] }
        return (0...max(1, labels.max() ?? 0)).map(String.init)
    }

    /// The examples as engine data: inputs `[count, features]`, targets `[count, outputs]`.
    public var labeledData: LabeledData {
        get throws {
        let x = Tensor(shape: [inputs.count, inputs[0].count], scalars: inputs.flatMap { $0.map(Float.init) })
        if let targets {
            return try LabeledData(inputs: x, targets: Tensor(shape: [targets.count, targets[0].count],
                                                          scalars: targets.flatMap { $0.map(Float.init) }))
        }
        return try LabeledData(inputs: x, labels: labels ?? [], classNames: classNames)
        }
    }
}
