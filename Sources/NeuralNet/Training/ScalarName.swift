/// The names of the scalars training reports: the columns of a trace's
/// `scalars.csv` and the keys of its epoch records. The trainer, the trace writer
/// and the figures use these constants, never the words themselves.
public enum ScalarName {
    public static let step = "step"
    public static let epoch = "epoch"
    /// Mean loss of the step's batch (plus the L2 penalty), or of the epoch.
    public static let loss = "loss"
    public static let accuracy = "accuracy"
    public static let validationLoss = "val_loss"
    public static let validationAccuracy = "val_accuracy"
    /// The learning rate the step's update used.
    public static let learningRate = "lr"
    /// ‖∂L/∂θ‖₂ over every parameter at once, before any gradient clipping.
    public static let globalGradientNorm = "global_grad_norm"

    /// ‖∂L/∂θ‖₂ of one parameter at a step.
    public static func gradientNorm(of parameter: String) -> String { "grad_norm/" + parameter }
    /// ‖θ_new − θ_old‖₂ of one parameter at a step.
    public static func updateNorm(of parameter: String) -> String { "update_norm/" + parameter }
}
