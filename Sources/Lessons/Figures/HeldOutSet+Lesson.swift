import NeuralNet
import Trace

/// Which examples a lesson run's per-epoch metrics were measured on (`HeldOutSet`): a
/// validation part split off the training data (`validation_split`, or the held-out
/// text and sequences of a sequence lesson), or — in a lesson that makes no choice from
/// them and holds no validation part back — the test set. The trainer names the metrics
/// after it (`test_loss` on the console, in `scalars.csv` and `summary.json`), and
/// figures and tables name the curve after it, so that nothing measured on the test set
/// is called validation.
extension HeldOutSet {
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
}
