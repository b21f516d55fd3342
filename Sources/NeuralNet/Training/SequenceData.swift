import Tensor

/// Sequences with an answer at every step: `inputs` `[count, time]` token ids (or
/// `[count, time, features]` values) and either one class label per step (`labels`,
/// `count · time` of them, sequence by sequence; `LossTarget.ignored` where a step
/// has no answer, such as padding) or target values per step (`targets`
/// `[count, time, outputs]`, a sequence regression). A next-token text model is the
/// first kind: the labels are the inputs shifted by one step.
public struct SequenceData: Sendable {
    public var inputs: Tensor
    /// Per-step class labels; empty for a regression.
    public var labels: [Int]
    public var targets: Tensor?

    /// Sequences labelled at every step, or `TrainingError.countMismatch`.
    public init(inputs: Tensor, labels: [Int]) throws {
        let steps = inputs.shape.prefix(2).reduce(1, *)
        guard inputs.rank >= 2, labels.count == steps else {
            throw TrainingError.countMismatch(examples: steps, answers: labels.count, kind: "step labels")
        }
        self.inputs = inputs
        self.labels = labels
    }

    /// Sequences with target values at every step, or `TrainingError.countMismatch`.
    public init(inputs: Tensor, targets: Tensor) throws {
        guard inputs.rank >= 2, targets.rank == 3, Array(targets.shape.prefix(2)) == Array(inputs.shape.prefix(2)) else {
            throw TrainingError.countMismatch(examples: inputs.shape.prefix(2).reduce(1, *),
                                              answers: targets.shape.prefix(2).reduce(1, *), kind: "step targets")
        }
        self.inputs = inputs
        self.labels = []
        self.targets = targets
    }

    public var time: Int { inputs.shape[1] }
}

extension SequenceData: TrainingExamples {
    public var count: Int { inputs.shape[0] }
    public var exampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    public var classLabels: [Int]? { targets == nil ? labels : nil }

    public func batch(_ indices: [Int]) -> (inputs: Tensor, target: LossTarget) {
        if let targets { return (inputs.gather(rows: indices), .values(targets.gather(rows: indices))) }
        let steps = time
        return (inputs.gather(rows: indices), .classes(indices.flatMap { labels[($0 * steps)..<(($0 + 1) * steps)] }))
    }

    /// The sequences at `indices`, in that order.
    public func subset(_ indices: [Int]) -> SequenceData {
        let (x, target) = batch(indices)
        var picked = self
        picked.inputs = x
        switch target {
        case let .classes(labels): picked.labels = labels
        case let .values(values): picked.targets = values
        }
        return picked
    }
}
