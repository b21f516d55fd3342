import Render

/// A drawn figure before it is written: `name` becomes part of its file name.
///
/// A plot gives one `NamedFigure`. It is either a single image, or a **frame series**:
/// the same picture at several moments (filters at each recorded step, the decision
/// boundary or a GAN's field over training, attention maps at chosen steps, one graph
/// per chain-rule stage). A series is one figure with one caption and one number:
/// - `frames` are what the gallery shows, one at a time under a slider, each labelled
///   (`"step 300"`); every frame is written to `figures/NN-name-KEY.png`;
/// - `figure` is the still the handout prints: small multiples of a few frames
///   (`FrameSeries.multiples` picks up to six, first and last included, unless the
///   plot chose its own panels).
///
/// Frames of one series are compared with each other, so a producer draws them all on
/// one colour scale, computed over every frame before any is drawn (FIGURES.md habit 3).
///
/// ```swift
/// let frames = try steps.map { FigureFrame(key: String(format: "step-%06d", $0), label: "step \($0)",
///                                          figure: try grid(at: $0, scale: shared)) }
/// return try FrameSeries.named("filters", title: "conv1 filters over training", frames: frames)
/// ```
public struct NamedFigure {
    public var name: String
    /// The single image, or for a series the still printed in the handout.
    public var figure: Figure
    /// The frames of a series, in order; empty for a single image.
    public var frames: [FigureFrame]

    public init(_ name: String, _ figure: Figure, frames: [FigureFrame] = []) {
        self.name = name
        self.figure = figure
        self.frames = frames
    }
}

/// One frame of a series: `key` names its file (`step-000300`: letters, digits and `-`),
/// `label` is what the gallery's slider and the handout's panel say (`step 300`).
public struct FigureFrame {
    public var key: String
    public var label: String
    public var figure: Figure

    public init(key: String, label: String, figure: Figure) {
        self.key = key
        self.label = label
        self.figure = figure
    }

    /// A frame of training step `step`, keyed `step-000300` and labelled `step 300`.
    public static func step(_ step: Int, _ figure: Figure, label: String? = nil) -> FigureFrame {
        FigureFrame(key: String(format: "step-%06d", step), label: label ?? "step \(step)", figure: figure)
    }
}

/// Helpers that turn frames into a series figure.
public enum FrameSeries {
    /// How many frames the handout prints at most.
    public static let handoutFrames = 6

    /// Up to `count` indices of `total`, evenly spaced, first and last included.
    public static func evenlySpacedIndices(_ total: Int, count: Int = handoutFrames) -> [Int] {
        guard total > count else { return Array(0..<total) }
        guard count > 1 else { return [0] }
        return (0..<count).map { k in (k * (total - 1) + (count - 1) / 2) / (count - 1) }
    }

    /// The series `name` whose handout still is small multiples of up to six evenly spaced
    /// frames (first and last included) under `title` and `subtitle`.
    public static func named(_ name: String, title: String, subtitle: String? = nil, frames: [FigureFrame],
                             columns: Int? = nil, panelDesignWidth: Double = 420) throws -> NamedFigure {
        let chosen = evenlySpacedIndices(frames.count).map { frames[$0].figure }
        let still = chosen.count == 1 ? chosen[0]
            : try SmallMultiples(title: title, subtitle: subtitle, panels: chosen, columns: columns,
                                 panelDesignWidth: panelDesignWidth)
        return NamedFigure(name, still, frames: frames)
    }
}
