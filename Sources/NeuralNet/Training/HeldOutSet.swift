/// Which examples a run's per-epoch held-out metrics were measured on: a validation part
/// split off the training data, or, in a run that makes no choice from them and holds
/// nothing back, the test set. The metrics take the set's names wherever they are written
/// (`val_loss` or `test_loss` in the trace, `scalars.csv`, `summary.json` and on the
/// console), so that nothing measured on the test set is called validation. A lesson run
/// records it as hyperparameter `epoch_metrics_on`.
public enum HeldOutSet: String, Sendable, Codable {
    case validation
    case test

    /// The trace hyperparameter that records the set (`validation` or `test`).
    public static let hyperparameter = "epoch_metrics_on"

    /// `val_loss` or `test_loss`.
    public var lossName: String { self == .test ? ScalarName.testLoss : ScalarName.validationLoss }
    /// `val_accuracy` or `test_accuracy`.
    public var accuracyName: String { self == .test ? ScalarName.testAccuracy : ScalarName.validationAccuracy }
}
