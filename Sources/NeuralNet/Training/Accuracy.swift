import Tensor

/// Number of rows whose predicted class (`predictedClasses`) equals the label;
/// nil for regression targets, which have no classes to count.
func countCorrect(_ prediction: Tensor, _ target: LossTarget) -> Int? {
    guard case let .classes(labels) = target else { return nil }
    return zip(predictedClasses(prediction), labels).filter { $0 == $1 }.count
}
