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
        LessonPlot("optimizer-paths", options: OptimizerPathFigures.options) { c in try OptimizerPathFigures.figures(c) },
        LessonPlot("activation-functions") { c in [NamedFigure("activation-functions", try ActivationFigures.functions(c))] },
        LessonPlot("unit-saturation", options: ["threshold": .numbers, "runs": .text]) { c in try ActivationFigures.unitSaturation(c) },
        LessonPlot("compare-gradient-norms", options: ["runs": .text]) { c in
            [NamedFigure("compare-gradient-norms", try ActivationFigures.gradientNormsPerRun(c))]
        },
        LessonPlot("backprop-steps", options: ["step": .integers, "stage": .integers]) { c in try BackpropFigures.stages(c) },
        LessonPlot("parameter-steps") { c in [NamedFigure("parameter-steps", try BackpropFigures.parameterSteps(c))] },
        LessonPlot("decision-boundary", options: ["steps": .integers, "frames": .integers]) { c in try DecisionBoundaryFigures.overTraining(c) },
        LessonPlot("hidden-units", options: ["run": .text, "layer": .text]) { c in try HiddenUnitFigures.maps(c) },
        LessonPlot("compare-boundaries", options: ["runs": .text, "title": .text]) { c in [NamedFigure("compare-boundaries", try DecisionBoundaryFigures.comparison(c))] },
        LessonPlot("loss-gradients", options: ["logits": .numbers]) { c in [NamedFigure("loss-gradients", try LossFigures.lossGradients(c))] },
        LessonPlot("regression-fit", options: ["steps": .integers]) { c in [NamedFigure("regression-fit", try RegressionFigures.regressionFit(c))] },
        LessonPlot("run-curves", options: ["runs": .text, "columns": .integers]) { c in [NamedFigure("run-curves", try RegularizationFigures.runCurves(c))] },
        LessonPlot("weight-histograms", options: ["runs": .text, "layer": .text, "bins": .integers]) { c in [NamedFigure("weight-histograms", try RegularizationFigures.weightHistograms(c))] },
        LessonPlot("input-statistics", options: ["runs": .text]) { c in [NamedFigure("input-statistics", try NormalizationFigures.inputStatistics(c))] },
        LessonPlot("sweep", options: ["metric": .choice(["val_accuracy", "val_loss"])]) { c in [NamedFigure("sweep", try SweepFigures.sweep(c))] },
    ]

    public static func plot(named name: String) -> LessonPlot? { plots.first { $0.name == name } }
}
