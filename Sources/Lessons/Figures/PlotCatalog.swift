import Render

/// A plot a lesson can name in `figures:`: its name, the options it takes, and
/// how it is drawn from a run's traces. Several figures may come out of one plot
/// (filters at each recorded step); the first is the lesson's figure, the rest
/// are details shown after it in the gallery and left out of the handout.
public struct LessonPlot: Sendable {
    /// The type of an option's value, checked when the lesson file is read.
    public enum OptionKind: Sendable, Equatable {
        /// Whole numbers ≥ 0 (a scalar or a list).
        case integers
        /// Numbers (a scalar or a list).
        case numbers
        /// Free text (a scalar or a list).
        case text
        /// Words from a fixed set.
        case choice([String])
    }

    public let name: String
    public let options: [String: OptionKind]
    let make: @Sendable (FigureContext) throws -> [NamedFigure]

    public init(_ name: String, options: [String: OptionKind] = [:],
                make: @escaping @Sendable (FigureContext) throws -> [NamedFigure]) {
        self.name = name
        self.options = options
        self.make = make
    }
}

/// A drawn figure before it is written: `name` becomes part of its file name.
public struct NamedFigure {
    public var name: String
    public var figure: Figure

    public init(_ name: String, _ figure: Figure) {
        self.name = name
        self.figure = figure
    }
}

/// Every plot lessons can use, by name. A plot that needs something the trace
/// lacks throws `FigureUnavailable`, which skips that figure with a warning.
public enum PlotCatalog {
    public static let plots: [LessonPlot] = [
        LessonPlot("filters") { c in [NamedFigure("filters", try c.main.filters())] + (try c.main.filtersPerStep()) },
        LessonPlot("feature-maps") { c in [NamedFigure("feature-maps", try c.main.featureMaps())] },
        LessonPlot("saliency") { c in [NamedFigure("saliency", try c.main.saliency())] },
        LessonPlot("curves") { c in [NamedFigure("curves", try c.main.curves())] },
        LessonPlot("confusion") { c in [NamedFigure("confusion", try c.main.confusion())] },
        LessonPlot("mistakes") { c in [NamedFigure("mistakes", try c.main.mistakes())] },
        LessonPlot("histograms") { c in try c.main.histograms() },
        LessonPlot("gradient-norms") { c in [NamedFigure("gradient-norms", try c.main.gradientNorms())] },
        LessonPlot("compare-curves", options: ["metric": .choice(["loss", "accuracy", "val_loss", "val_accuracy"]), "log": .choice(["true", "false"]), "runs": .text]) { c in
            [NamedFigure("compare-\(c.text("metric") ?? "loss")", try ComparisonFigures.curves(c))]
        },
        LessonPlot("input-statistics", options: ["runs": .text]) { c in [NamedFigure("input-statistics", try NormalizationFigures.inputStatistics(c))] },
        LessonPlot("sweep", options: ["metric": .choice(["val_accuracy", "val_loss"])]) { c in [NamedFigure("sweep", try SweepFigures.sweep(c))] },
    ]

    public static func plot(named name: String) -> LessonPlot? { plots.first { $0.name == name } }
}
