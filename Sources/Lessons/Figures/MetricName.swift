import NeuralNet

/// A training metric that a figure's `metric:` option names. The raw values are the
/// words of the lesson file; `scalar` is the name the trace records it under.
enum MetricName: String, CaseIterable, Sendable {
    case loss
    case accuracy
    case validationLoss = "val_loss"
    case validationAccuracy = "val_accuracy"

    /// The column of `scalars.csv` (training metrics) or key of the epoch records (validation ones).
    var scalar: String {
        switch self {
        case .loss: return ScalarName.loss
        case .accuracy: return ScalarName.accuracy
        case .validationLoss: return ScalarName.validationLoss
        case .validationAccuracy: return ScalarName.validationAccuracy
        }
    }

    /// Measured once per epoch on the validation set, rather than at every step on the batch.
    var isValidation: Bool {
        switch self {
        case .loss, .accuracy: return false
        case .validationLoss, .validationAccuracy: return true
        }
    }

    var higherIsBetter: Bool {
        switch self {
        case .loss, .validationLoss: return false
        case .accuracy, .validationAccuracy: return true
        }
    }

    /// The axis label: `loss`, `validation accuracy`, or `test accuracy` for a run whose
    /// per-epoch metrics were measured on the test set (`EpochMetricsSet`).
    func label(on set: EpochMetricsSet = .validation) -> String {
        switch self {
        case .loss: return "training loss"
        case .accuracy: return "training accuracy"
        case .validationLoss: return "\(set.rawValue) loss"
        case .validationAccuracy: return "\(set.rawValue) accuracy"
        }
    }

    /// The option kind of a `metric:` that takes any of `metrics`.
    static func option(_ metrics: [MetricName] = allCases) -> LessonPlot.OptionKind {
        .choice(metrics.map(\.rawValue))
    }
}
