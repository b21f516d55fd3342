/// The `training.schedule` of a lesson file: how the learning rate changes over the run.
public enum ScheduleName: String, CaseIterable, Sendable {
    /// The same rate at every step.
    case constant
    /// Halved after each third of the run.
    case step
    /// Cosine decay from the rate to 0 over the run.
    case cosine
}
