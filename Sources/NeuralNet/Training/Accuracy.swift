import Tensor

/// How many rows (examples, or steps of sequences) the predicted class
/// (`predictedClasses`) gets right, out of how many have a label: rows labelled
/// `LossTarget.ignored` are not counted. Nil for regression targets, which have no
/// classes to count.
func countCorrect(_ prediction: Tensor, _ target: LossTarget) -> (correct: Int, counted: Int)? {
    guard case let .classes(labels) = target else { return nil }
    var correct = 0, counted = 0
    for (predicted, label) in zip(predictedClasses(prediction), labels) where label != LossTarget.ignored {
        counted += 1
        if predicted == label { correct += 1 }
    }
    return (correct, counted)
}
