/// The `plot:` of a figure in a lesson file; `PlotCatalog.plot(_:)` says which
/// options each takes and how it is drawn from a run's traces.
public enum PlotName: String, CaseIterable, Sendable {
    case filters
    case featureMaps = "feature-maps"
    case saliency
    case curves
    case confusion
    case mistakes
    case histograms
    case gradientNorms = "gradient-norms"
    case compareCurves = "compare-curves"
    case optimizerPaths = "optimizer-paths"
    case activationFunctions = "activation-functions"
    case unitSaturation = "unit-saturation"
    case compareGradientNorms = "compare-gradient-norms"
    case backpropSteps = "backprop-steps"
    case parameterSteps = "parameter-steps"
    case decisionBoundary = "decision-boundary"
    case hiddenUnits = "hidden-units"
    case compareBoundaries = "compare-boundaries"
    case lossGradients = "loss-gradients"
    case regressionFit = "regression-fit"
    case runCurves = "run-curves"
    case validationLosses = "validation-losses"
    case weightHistograms = "weight-histograms"
    case inputStatistics = "input-statistics"
    case sweep
    case textSamples = "text-samples"
    case temperatures
    case nextToken = "next-token"
    case gates
    case cellFeatures = "cell-features"
    case perplexity
    case seriesPredictions = "series-predictions"
    case forecast
    case gradientOverTime = "gradient-over-time"
    case gradientHeatmap = "gradient-heatmap"
    case accuracyByLength = "accuracy-by-length"
    case gradientClipping = "gradient-clipping"
    case embeddingMap = "embedding-map"
    case neighbours
    case similarity
    case compareEmbeddings = "compare-embeddings"
    case ganField = "gan-field"
    case ganLosses = "gan-losses"
    case ganModes = "gan-modes"
    case ganSamples = "gan-samples"
    case ganNearest = "gan-nearest"
    case ganDiversity = "gan-diversity"
    case attentionMaps = "attention-maps"
    case attentionConvergence = "attention-convergence"
    case attentionWalkthrough = "attention-walkthrough"
    case softmaxScaling = "softmax-scaling"
    case bpeMerges = "bpe-merges"
    case tokenizerLengths = "tokenizer-lengths"
    case unknownWords = "unknown-words"
    case tokenSplit = "token-split"
    case bitsPerCharacter = "bits-per-character"
    case attentionHeads = "attention-heads"
    case attentionEntropy = "attention-entropy"
    case positionalEmbeddings = "positional-embeddings"
    case lossOverTime = "loss-over-time"
}
