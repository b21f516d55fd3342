import NeuralNet

/// A training metric that a figure's `metric:` option names. The raw values are the
/// words of the lesson file; `scalar` is the name the trace records it under. The
/// per-epoch held-out metrics are named by their set: `val_loss`, `val_accuracy` in a
/// lesson with a validation split, `test_loss`, `test_accuracy` in one that measures
/// them on the test set (`HeldOutSet`), and a lesson file must use its own set's words.
enum MetricName: String, CaseIterable, Sendable {
    case loss
    case accuracy
    case validationLoss = "val_loss"
    case validationAccuracy = "val_accuracy"
    case testLoss = "test_loss"
    case testAccuracy = "test_accuracy"

    /// The column of `scalars.csv` (training metrics) or key of the epoch records (held-out ones).
    var scalar: String {
        switch self {
        case .loss: return ScalarName.loss
        case .accuracy: return ScalarName.accuracy
        case .validationLoss: return ScalarName.validationLoss
        case .validationAccuracy: return ScalarName.validationAccuracy
        case .testLoss: return ScalarName.testLoss
        case .testAccuracy: return ScalarName.testAccuracy
        }
    }

    /// The held-out set the metric names; nil for the training metrics.
    var heldOutSet: HeldOutSet? {
        switch self {
        case .loss, .accuracy: return nil
        case .validationLoss, .validationAccuracy: return .validation
        case .testLoss, .testAccuracy: return .test
        }
    }

    /// Measured once per epoch on held-out examples, rather than at every step on the batch.
    var isHeldOut: Bool { heldOutSet != nil }

    var higherIsBetter: Bool {
        switch self {
        case .loss, .validationLoss, .testLoss: return false
        case .accuracy, .validationAccuracy, .testAccuracy: return true
        }
    }

    /// The same metric on `set` (`val_accuracy` → `test_accuracy`); a training metric itself.
    func on(_ set: HeldOutSet) -> MetricName {
        switch self {
        case .loss, .accuracy: return self
        case .validationLoss, .testLoss: return set == .test ? .testLoss : .validationLoss
        case .validationAccuracy, .testAccuracy: return set == .test ? .testAccuracy : .validationAccuracy
        }
    }

    /// Throws when the metric names the other held-out set than the one the lesson
    /// measured its per-epoch metrics on: `val_accuracy` in a lesson without a validation
    /// split would call test accuracy validation accuracy. A trace that does not record
    /// its set (`set` nil: written before `epoch_metrics_on` was) is not checked.
    func check(against set: HeldOutSet?) throws {
        guard let set, let named = heldOutSet, named != set else { return }
        throw FigureUnavailable("metric '\(rawValue)' names the \(named.rawValue) set, but this lesson measures its "
                                + "per-epoch metrics on the \(set.rawValue) set: write 'metric: \(on(set).rawValue)'")
    }

    /// The axis label: `training loss`, `validation accuracy`, or `test accuracy` for a run
    /// whose per-epoch metrics were measured on the test set.
    func label(on set: HeldOutSet = .validation) -> String {
        switch self {
        case .loss: return "training loss"
        case .accuracy: return "training accuracy"
        case .validationLoss, .testLoss: return "\(set.rawValue) loss"
        case .validationAccuracy, .testAccuracy: return "\(set.rawValue) accuracy"
        }
    }

    /// The option kind of a `metric:` that takes any of `metrics`.
    static func option(_ metrics: [MetricName] = allCases) -> LessonPlot.OptionKind {
        .choice(metrics.map(\.rawValue))
    }
}
