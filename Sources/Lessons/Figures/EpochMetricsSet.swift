import Trace

/// Which examples a run's per-epoch metrics (`val_loss`, `val_accuracy`) were measured
/// on: a validation part split off the training data (`validation_split`, or the
/// held-out text and sequences of a sequence lesson), or — in a lesson that makes no
/// choice from them and holds no validation part back — the test set. Figures and
/// tables name the curve after it, so that nothing measured on the test set is called
/// validation. The trace records it as hyperparameter `epoch_metrics_on`.
enum EpochMetricsSet: String, Sendable {
    case validation
    case test

    static let hyperparameter = "epoch_metrics_on"
    /// How many examples that set holds (hyperparameter `epoch_metrics_examples`).
    static let examplesHyperparameter = "epoch_metrics_examples"

    /// The size of the set as the trace records it; nil for traces written before.
    static func examples(_ run: TraceRunInfo) -> Int? {
        run.hyperparameters[examplesHyperparameter].flatMap(Int.init)
    }

    init(_ plan: RunPlan, dataset: LessonDataset) {
        if case .sequence = dataset { self = .validation; return }
        self = plan.data.validationSplit == nil ? .test : .validation
    }

    /// As the trace records it; traces written before it was recorded validated on a split.
    init(_ run: TraceRunInfo) {
        self = run.hyperparameters[Self.hyperparameter].flatMap(Self.init(rawValue:)) ?? .validation
    }
}
