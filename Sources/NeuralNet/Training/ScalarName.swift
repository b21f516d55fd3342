/// The names of the scalars training reports: the columns of a trace's
/// `scalars.csv` and the keys of its epoch records. The trainer, the trace writer
/// and the figures use these constants, never the words themselves.
public enum ScalarName {
    public static let step = "step"
    public static let epoch = "epoch"
    /// Mean loss of the step's batch (plus the L2 penalty), or of the epoch.
    public static let loss = "loss"
    public static let accuracy = "accuracy"
    /// Per-epoch loss and accuracy on validation examples split off the training data.
    public static let validationLoss = "val_loss"
    public static let validationAccuracy = "val_accuracy"
    /// The same per-epoch metrics in a run that measures them on the test set (`HeldOutSet`).
    public static let testLoss = "test_loss"
    public static let testAccuracy = "test_accuracy"
    /// The learning rate the step's update used.
    public static let learningRate = "lr"
    /// ‖∂L/∂θ‖₂ over every parameter at once, before any gradient clipping.
    public static let globalGradientNorm = "global_grad_norm"

    /// The name of the same per-epoch metric on the other held-out set (`val_loss` ↔
    /// `test_loss`), nil for any other scalar: traces written before test metrics took
    /// their own names called them `val_*`, and a reader asking for either finds them.
    public static func heldOutTwin(of name: String) -> String? {
        [validationLoss: testLoss, testLoss: validationLoss,
         validationAccuracy: testAccuracy, testAccuracy: validationAccuracy][name]
    }

    /// ‖∂L/∂θ‖₂ of one parameter at a step.
    public static func gradientNorm(of parameter: String) -> String { "grad_norm/" + parameter }
    /// ‖θ_new − θ_old‖₂ of one parameter at a step.
    public static func updateNorm(of parameter: String) -> String { "update_norm/" + parameter }
}
