import Render

/// A plot a lesson can name in `figures:`: its name, the options it takes, and
/// how it is drawn from a run's traces. One plot gives one figure, which may be a
/// series of frames (filters at each recorded step: see `NamedFigure`).
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

    public let name: PlotName
    public let options: [String: OptionKind]
    let make: @Sendable (FigureContext) throws -> NamedFigure

    public init(_ name: PlotName, options: [String: OptionKind] = [:],
                make: @escaping @Sendable (FigureContext) throws -> NamedFigure) {
        self.name = name
        self.options = options
        self.make = make
    }
}

/// Every plot lessons can use, by name. A plot that needs something the trace
/// lacks throws `FigureUnavailable`, which skips that figure with a warning.
public enum PlotCatalog {
    /// Every plot, in the order of `PlotName.allCases`.
    public static var plots: [LessonPlot] { PlotName.allCases.map(plot) }

    public static func plot(_ name: PlotName) -> LessonPlot {
        switch name {
        case .filters:
            return LessonPlot(name) { c in try c.main.filters() }
        case .featureMaps:
            return LessonPlot(name, options: ["example": .integers]) { c in
                let example = c.integers("example")?.first ?? 0
                return NamedFigure(example == 0 ? "feature-maps" : "feature-maps-\(example + 1)",
                                   try c.main.featureMaps(example: example))
            }
        case .saliency: return LessonPlot(name) { c in NamedFigure("saliency", try c.main.saliency()) }
        case .curves:
            return LessonPlot(name, options: FigureContext.referenceOptions.merging(["log": .choice(["true", "false"])]) { $1 }) { c in
                NamedFigure("curves", try c.main.curves(logLoss: c.text("log") == "true", referenceLines: c.referenceLines(),
                                                        categories: (c.category(ofRun: c.baseline), c.heldOutCategory)))
            }
        case .confusion: return LessonPlot(name) { c in NamedFigure("confusion", try c.main.confusion()) }
        case .mistakes: return LessonPlot(name) { c in NamedFigure("mistakes", try c.main.mistakes()) }
        case .histograms:
            return LessonPlot(name, options: ["tensors": .choice(["both", "weights", "gradients"])]) { c in
                switch c.text("tensors") {
                case "weights": return try c.main.histograms(of: .weight)
                case "gradients": return try c.main.histograms(of: .gradient)
                default: return try c.main.histograms()
                }
            }
        case .gradientNorms: return LessonPlot(name) { c in NamedFigure("gradient-norms", try c.main.gradientRMS()) }
        case .compareCurves:
            return LessonPlot(name, options: FigureContext.referenceOptions.merging(
                ["metric": MetricName.option(), "log": .choice(["true", "false"]), "runs": .text]) { $1 }) { c in
                NamedFigure("compare-\(try ComparisonFigures.metric(c).rawValue)", try ComparisonFigures.curves(c))
            }
        case .optimizerPaths:
            return LessonPlot(name, options: OptimizerPathFigures.options) { c in try OptimizerPathFigures.figures(c) }
        case .activationFunctions:
            return LessonPlot(name) { c in NamedFigure("activation-functions", try ActivationFigures.functions(c)) }
        case .unitSaturation:
            return LessonPlot(name, options: ["threshold": .numbers, "runs": .text]) { c in try ActivationFigures.unitSaturation(c) }
        case .compareGradientNorms:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("compare-gradient-norms", try ActivationFigures.gradientNormsPerRun(c))
            }
        case .backpropSteps:
            return LessonPlot(name, options: ["step": .integers, "stage": .integers]) { c in try BackpropFigures.stages(c) }
        case .parameterSteps:
            return LessonPlot(name) { c in NamedFigure("parameter-steps", try BackpropFigures.parameterSteps(c)) }
        case .decisionBoundary:
            return LessonPlot(name, options: ["steps": .integers, "frames": .integers]) { c in
                try DecisionBoundaryFigures.overTraining(c)
            }
        case .hiddenUnits:
            return LessonPlot(name, options: ["run": .text, "layer": .text]) { c in try HiddenUnitFigures.maps(c) }
        case .compareBoundaries:
            return LessonPlot(name, options: ["runs": .text, "title": .text]) { c in
                NamedFigure("compare-boundaries", try DecisionBoundaryFigures.comparison(c))
            }
        case .lossGradients:
            return LessonPlot(name, options: ["logits": .numbers, "runs": .text]) { c in
                NamedFigure("loss-gradients", try LossFigures.lossGradients(c))
            }
        case .regressionFit:
            return LessonPlot(name, options: ["steps": .integers]) { c in
                NamedFigure("regression-fit", try RegressionFigures.regressionFit(c))
            }
        case .runCurves:
            return LessonPlot(name, options: ["runs": .text, "columns": .integers]) { c in
                NamedFigure("run-curves", try RegularizationFigures.runCurves(c))
            }
        case .validationLosses:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("validation-losses", try RegularizationFigures.validationLosses(c))
            }
        case .weightHistograms:
            return LessonPlot(name, options: ["runs": .text, "layer": .text, "bins": .integers]) { c in
                NamedFigure("weight-histograms", try RegularizationFigures.weightHistograms(c))
            }
        case .inputStatistics:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("input-statistics", try NormalizationFigures.inputStatistics(c))
            }
        case .sweep:
            return LessonPlot(name, options: ["metric": MetricName.option([.validationAccuracy, .validationLoss])]) { c in
                NamedFigure("sweep", try SweepFigures.sweep(c))
            }
        case .textSamples:
            return LessonPlot(name, options: ["prompt": .text, "length": .integers, "steps": .integers, "temperature": .numbers]) { c in
                NamedFigure("text-samples", try TextFigures.samplesOverTraining(c))
            }
        case .temperatures:
            return LessonPlot(name, options: ["prompt": .text, "length": .integers, "temperatures": .numbers]) { c in
                NamedFigure("temperatures", try TextFigures.temperatures(c))
            }
        case .nextToken:
            return LessonPlot(name, options: ["characters": .integers]) { c in NamedFigure("next-token", try TextFigures.nextTokens(c)) }
        case .gates:
            return LessonPlot(name, options: ["characters": .integers, "units": .integers]) { c in
                try RecurrentStateFigures.gates(c)
            }
        case .cellFeatures:
            return LessonPlot(name) { c in NamedFigure("cell-features", try CellFeatures.figure(c)) }
        case .seriesPredictions:
            return LessonPlot(name) { c in NamedFigure("series-predictions", try SeriesFigures.predictions(c)) }
        case .forecast:
            return LessonPlot(name) { c in NamedFigure("forecast", try SeriesFigures.forecast(c)) }
        case .perplexity:
            return LessonPlot(name, options: ["runs": .text]) { c in NamedFigure("perplexity", try TextFigures.perplexity(c)) }
        case .gradientOverTime:
            return LessonPlot(name, options: ["runs": .text, "at": .choice(["start", "end"])]) { c in
                NamedFigure("gradient-over-time-\(c.text("at") ?? "start")", try GradientOverTimeFigures.overTime(c))
            }
        case .gradientHeatmap:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("gradient-heatmap", try GradientOverTimeFigures.heatmaps(c))
            }
        case .accuracyByLength:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("accuracy-by-length", try GradientOverTimeFigures.accuracyByLength(c))
            }
        case .gradientClipping:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("gradient-clipping", try GradientOverTimeFigures.clipping(c))
            }
        case .embeddingMap:
            return LessonPlot(name, options: ["words": .text, "paths": .text, "run": .text]) { c in
                NamedFigure("embedding-map", try EmbeddingFigures.map(c))
            }
        case .neighbours:
            return LessonPlot(name, options: ["words": .text, "analogies": .text, "count": .integers, "run": .text]) { c in
                NamedFigure("neighbours", try EmbeddingFigures.neighbours(c))
            }
        case .similarity:
            return LessonPlot(name, options: ["words": .text, "run": .text]) { c in
                NamedFigure("similarity", try EmbeddingFigures.similarity(c))
            }
        case .compareEmbeddings:
            return LessonPlot(name, options: ["words": .text, "runs": .text, "count": .integers]) { c in
                NamedFigure("compare-embeddings", try EmbeddingFigures.comparison(c))
            }
        case .ganField:
            return LessonPlot(name, options: GANFigures.fieldOptions) { c in try GANFigures.field(c) }
        case .ganLosses:
            return LessonPlot(name, options: ["run": .text]) { c in
                NamedFigure("gan-losses" + (c.text("run").map { "-\($0)" } ?? ""), try GANFigures.losses(c))
            }
        case .ganModes:
            return LessonPlot(name, options: ["runs": .text]) { c in NamedFigure("gan-modes", try GANFigures.modes(c)) }
        case .ganSamples:
            return LessonPlot(name, options: GANImageFigures.options) { c in try GANImageFigures.samples(c) }
        case .ganNearest:
            return LessonPlot(name, options: GANImageFigures.options) { c in
                NamedFigure("gan-nearest" + (c.text("run").map { "-\($0)" } ?? ""), try GANImageFigures.nearest(c))
            }
        case .ganDiversity:
            return LessonPlot(name, options: GANImageFigures.options) { c in
                NamedFigure("gan-diversity" + (c.text("run").map { "-\($0)" } ?? ""), try GANImageFigures.diversity(c))
            }
        case .attentionMaps:
            return LessonPlot(name, options: AttentionFigures.options) { c in
                try AttentionFigures.maps(c)
            }
        case .attentionConvergence:
            return LessonPlot(name, options: AttentionFigures.options) { c in
                NamedFigure("attention-convergence", try AttentionFigures.convergence(c))
            }
        case .attentionWalkthrough:
            return LessonPlot(name, options: AttentionFigures.options) { c in
                NamedFigure("attention-walkthrough" + (c.text("run").map { "-\($0)" } ?? ""), try AttentionWalkthrough.figure(c))
            }
        case .softmaxScaling:
            return LessonPlot(name, options: ["keys": .integers]) { c in
                NamedFigure("softmax-scaling", try AttentionWalkthrough.scaling(c))
            }
        case .bpeMerges:
            return LessonPlot(name, options: TokenizerFigures.options) { c in NamedFigure("bpe-merges", try TokenizerFigures.merges(c)) }
        case .tokenizerLengths:
            return LessonPlot(name, options: TokenizerFigures.options) { c in
                NamedFigure("tokenizer-lengths", try TokenizerFigures.lengths(c))
            }
        case .unknownWords:
            return LessonPlot(name, options: TokenizerFigures.options) { c in
                NamedFigure("unknown-words", try TokenizerFigures.unknownWords(c))
            }
        case .tokenSplit:
            return LessonPlot(name, options: TokenizerFigures.options) { c in NamedFigure("token-split", try TokenizerFigures.split(c)) }
        case .bitsPerCharacter:
            return LessonPlot(name, options: TokenizerFigures.options) { c in
                NamedFigure("bits-per-character", try TokenizerFigures.bitsPerCharacter(c))
            }
        case .attentionHeads:
            return LessonPlot(name, options: TransformerFigures.headOptions) { c in try TransformerFigures.heads(c) }
        case .attentionEntropy:
            return LessonPlot(name, options: ["run": .text]) { c in
                NamedFigure("attention-entropy", try TransformerFigures.entropy(c))
            }
        case .positionalEmbeddings:
            return LessonPlot(name, options: ["run": .text]) { c in
                NamedFigure("positional-embeddings", try TransformerFigures.positions(c))
            }
        case .lossOverTime:
            return LessonPlot(name, options: ["runs": .text]) { c in
                NamedFigure("loss-over-time", try ComparisonFigures.lossOverTime(c))
            }
        }
    }
}
