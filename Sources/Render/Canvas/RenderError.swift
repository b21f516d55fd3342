/// Everything that can stop a figure from being drawn, named by figure and value so the
/// command line can print one clear `error:` line. Plots validate their input when they
/// are built, so a figure that constructs successfully always draws something visible.
public enum RenderError: Error, CustomStringConvertible, Equatable {
    /// Cairo reported an error status (sticky: once set, all drawing is a no-op).
    case cairo(status: String, while: String)
    /// The figure has nothing to draw (no series, no images, no layers...).
    case emptyData(figure: String, what: String)
    /// Every value of an input is NaN or infinite, so there is no scale to draw it on.
    case noFiniteValues(figure: String, what: String)
    /// An input's shape does not fit what the figure needs.
    case badShape(figure: String, what: String, shape: [Int], expected: String)
    /// Inputs that must agree in length do not.
    case countMismatch(figure: String, what: String, expected: Int, got: Int)
    /// A value lies outside what the figure can show (a gate value above 1, a probability
    /// that is negative, a candidate listed twice).
    case badValue(figure: String, what: String, value: String, expected: String)
    /// A size or parameter that must be positive is not.
    case invalidSize(what: String, value: Double)
    /// A PNG file could not be read or written.
    case file(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cairo(status, action):
            return "cairo error '\(status)' while \(action)"
        case let .emptyData(figure, what):
            return "\(figure): nothing to draw, \(what) is empty"
        case let .noFiniteValues(figure, what):
            return "\(figure): every value of \(what) is NaN or infinite"
        case let .badShape(figure, what, shape, expected):
            return "\(figure): \(what) has shape \(shape) but needs \(expected)"
        case let .countMismatch(figure, what, expected, got):
            return "\(figure): \(what) has \(got) entries but needs \(expected)"
        case let .badValue(figure, what, value, expected):
            return "\(figure): \(what) is \(value) but needs \(expected)"
        case let .invalidSize(what, value):
            return "\(what) must be a positive finite number, got \(value)"
        case let .file(path, reason):
            return "\(path): \(reason)"
        }
    }
}
