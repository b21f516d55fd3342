/// The `training.optimizer` of a lesson file (and of the optimizer-paths figure).
public enum OptimizerName: String, CaseIterable, Sendable {
    /// Plain gradient descent: θ ← θ − η·g.
    case sgd
    /// SGD with heavy-ball momentum (μ 0.9 unless the lesson says otherwise).
    case momentum
    /// SGD with Nesterov momentum.
    case nesterov
    case rmsprop
    case adam

    /// Whether the optimizer keeps a velocity with a momentum coefficient.
    public var usesMomentum: Bool {
        switch self {
        case .momentum, .nesterov: return true
        case .sgd, .rmsprop, .adam: return false
        }
    }

    /// The momentum a lesson gets when it names none: 0.9 for the momentum
    /// methods, 0 for plain SGD (and unused by RMSprop and Adam).
    public var defaultMomentum: Double {
        switch self {
        case .sgd: return 0
        case .momentum, .nesterov, .rmsprop, .adam: return 0.9
        }
    }

    /// The name figures show: `SGD`, `momentum`, `Nesterov`, `RMSprop`, `Adam`.
    public var displayName: String {
        switch self {
        case .sgd: return "SGD"
        case .momentum: return "momentum"
        case .nesterov: return "Nesterov"
        case .rmsprop: return "RMSprop"
        case .adam: return "Adam"
        }
    }
}
