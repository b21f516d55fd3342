import Tensor

/// Anything a trainer can draw mini-batches from: inputs with a target per example.
public protocol TrainingExamples {
    var count: Int { get }
    /// Per-example input shape, e.g. `[28, 28, 1]`.
    var exampleShape: [Int] { get }
    /// The inputs and targets of the examples at `indices`, in that order.
    func batch(_ indices: [Int]) -> (inputs: Tensor, target: LossTarget)
    /// Class labels, when the examples are a classification task (for accuracy).
    var classLabels: [Int]? { get }
}

extension LabeledData: TrainingExamples {
    public func batch(_ indices: [Int]) -> (inputs: Tensor, target: LossTarget) {
        (inputs.gather(rows: indices), targets.map { .values($0.gather(rows: indices)) } ?? .classes(indices.map { labels[$0] }))
    }

    public var classLabels: [Int]? { isRegression ? nil : labels }
}

extension LabeledData {
    /// Splits off a validation set: a seeded shuffle, then the last
    /// `validationFraction` of it. Both halves keep `classNames`.
    public func split(validationFraction: Double, seed: UInt64) -> (train: LabeledData, validation: LabeledData) {
        let order = shuffledIndices(count: count, seed: seed, name: "validation-split", index: 0)
        let cut = count - Int((Double(count) * validationFraction).rounded())
        return (subset(Array(order[..<cut])), subset(Array(order[cut...])))
    }
}

/// 0..<count in a seeded Fisher–Yates order drawn from stream (seed, name, index).
public func shuffledIndices(count: Int, seed: UInt64, name: String, index: UInt64) -> [Int] {
    var rng = RandomStream(seed: seed, name: name, index: index)
    var order = Array(0..<count)
    if count > 1 {
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
    }
    return order
}
