import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Builds a lesson's figures from a trace folder — never from live objects — so
/// `learn render TRACE` redraws any run. Each kind either yields figures or
/// throws `FigureUnavailable` saying what the trace lacks.
public struct TraceFigures {
    public let reader: TraceReader
    public let evaluation: EvaluationRecord?
    public let folder: URL

    public init(traceFolder: URL) throws {
        folder = traceFolder
        reader = try TraceReader(directory: traceFolder)
        evaluation = try EvaluationRecord.read(fromTrace: traceFolder)
    }

    public var layers: [LayerDescription] { reader.manifest.run.model.layers }

    /// The examples this run's per-epoch metrics were measured on (validation or test).
    var epochMetricsSet: HeldOutSet { HeldOutSet(reader.manifest.run) }
    /// The same as the trace records it; nil for a trace written before it was recorded.
    var recordedHeldOutSet: HeldOutSet? {
        reader.manifest.run.hyperparameters[HeldOutSet.hyperparameter].flatMap(HeldOutSet.init(rawValue:))
    }

    /// Full-tensor steps holding `kind/name`, in order.
    public func steps(holding name: String, kind: TensorKind) -> [Int] {
        reader.tensors().filter { $0.name == name && $0.kind == kind }.map(\.step).sorted()
    }

    /// The first convolution's filters at every step that stores them, as a frame series
    /// on one symmetric scale over all those steps (a tile that brightens really grew).
    func filters() throws -> NamedFigure {
        guard let conv = layers.first(where: { $0.type == "Conv2D" }) else {
            throw FigureUnavailable("the model has no convolution layer, so it has no filters to show")
        }
        let name = "\(conv.name).weight"
        let held = steps(holding: name, kind: .weight)
        // A first layer reading three channels reads a colour picture: each filter drawn as one RGB tile.
        let colour = conv.name == layers.first?.name && conv.parameters.first(where: { $0.shape.count == 4 })?.shape[2] == 3
        // One step: a model that was not trained here (`learn inspect`), shown as it is.
        if held.count == 1 {
            let w = try floats(try reader.tensor(name, kind: .weight, step: held[0]))
            return NamedFigure("filters", try FilterGrid(title: "\(conv.name): the first-layer filters",
                                                         weights: w, scale: ColorScale.symmetric(w.values, theme: .standard),
                                                         colourInput: colour))
        }
        guard held.count >= 2 else {
            throw FigureUnavailable("the trace keeps \(name) at fewer than two steps (record policy)")
        }
        let weights = try held.map { try floats(try reader.tensor(name, kind: .weight, step: $0)) }
        let scale = ColorScale.symmetric(weights.flatMap(\.values), theme: .standard)
        let frames = try zip(held, weights).map { step, w in
            FigureFrame.step(step, try FilterGrid(title: "\(conv.name) filters at step \(step)", weights: w, scale: scale,
                                                  colourInput: colour))
        }
        return try FrameSeries.named("filters", title: "\(conv.name): the first filters as training goes on",
                                     subtitle: colour ? "one scale for every step: grey 0; each channel's weight adds its colour "
                                         + "above 0, its opposite below"
                                         : "one colour scale for every step: white 0, red positive, blue negative",
                                     frames: frames)
    }

    /// The last step with probe activations, and the probe's input there.
    func probeStep() throws -> (step: Int, input: Tensor) {
        guard let step = steps(holding: "input", kind: .input).last else {
            throw FigureUnavailable("the trace holds no probe inputs (record policy 'none'?)")
        }
        return (step, try reader.tensor("input", kind: .input, step: step))
    }

    /// Probe image `example` (the first by default) followed through every layer to the class probabilities: the
    /// `channels` most active channels (by mean activation for this image) of each
    /// image-shaped layer, every unit of each vector layer (Flatten left out: it only
    /// rearranges the last maps), and the softmax of the output.
    func featureMaps(channels: Int = 12, example: Int = 0) throws -> Figure {
        let (step, input) = try probeStep()
        guard example < input.shape[0] else {
            throw FigureUnavailable("the probe holds \(input.shape[0]) images, so it has no image \(example + 1)")
        }
        guard layers.contains(where: { $0.outputShape.count == 3 }) else { throw FigureUnavailable("the model has no image-shaped layers") }
        var stages: [NetworkPath.Stage] = []
        var output: Tensor?
        for layer in layers where !["Flatten", "Dropout"].contains(layer.type) {
            let values = try reader.tensor(layer.name, kind: .activation, step: step).slice(example)
            output = values
            // A Softmax layer's output is the probabilities row drawn below; no second copy of it.
            if layer.type == "Softmax" { continue }
            if layer.outputShape.count == 3 {
                let maps = try floats(values)
                stages.append(.maps(name: layer.name, values: maps, shown: Self.mostActive(maps, count: channels)))
            } else if layer.outputShape.count == 1 {
                stages.append(.units(name: layer.name, values: try floats(values)))
            }
        }
        guard let output, output.shape.count == 1 else { throw FigureUnavailable("the model does not end in a vector of class scores") }
        let endsInSoftmax = try architecture().layers.last == .softmax
        let probabilities = classProbabilities(output.reshaped([1, output.count]), endsInSoftmax: endsInSoftmax)
        let names = try architecture().classNames
        let classes = probabilities.scalars.indices.map { $0 < names.count ? names[$0] : "\($0)" }
        return try NetworkPath(
            title: example == 0 && evaluation != nil
                ? "One test \(names == (0...9).map(String.init) ? "digit" : "image") through the network, "
                    + "from pixels to probabilities (step \(step))"
                : "Image \(example + 1) through the network, from pixels to probabilities",
            subtitle: "convolution and pooling: the \(channels) most active channels, strongest first; "
                + "dense: one cell per unit; each row on its own scale",
            input: try floats(input.slice(example)), stages: stages,
            probabilities: .init(values: probabilities.scalars.map(Double.init), labels: classes,
                                 truth: example == 0 ? firstProbeTruth : nil))
    }

    /// The true class of the first probe image: the test label at the probe's first index
    /// in the evaluation record (the probe is drawn from the same test set); nil without one.
    var firstProbeTruth: Int? {
        guard let e = evaluation else { return nil }
        return LessonRunner.imageProbeIndices(labels: e.labels, classCount: e.classNames.count).first.map { e.labels[$0] }
    }

    /// Indices of the `count` channels of `[h, w, channels]` maps with the largest mean, largest first.
    static func mostActive(_ maps: FloatArray, count: Int) -> [Int] {
        let channels = maps.shape[2], plane = maps.shape[0] * maps.shape[1]
        var means = [Double](repeating: 0, count: channels)
        for (i, v) in maps.values.enumerated() where v.isFinite { means[i % channels] += Double(v) / Double(plane) }
        return Array(means.indices.sorted { means[$0] > means[$1] || (means[$0] == means[$1] && $0 < $1) }.prefix(max(1, count)))
    }

    /// Saliency of the trained model on the first six probe images: ∂z_ŷ/∂x, the gradient
    /// of the predicted class's logit, computed here from `model.safetensors`. Not the
    /// trace's dL/dx, which is ≈ 0 for every probe the model classifies confidently.
    func saliency() throws -> Figure {
        let input = try probeStep().input
        let count = min(6, input.shape[0])
        let probe = input.slice(0..<count)
        let scores = try model().classScoreGradient(probe)
        let probabilities = classProbabilities(scores.logits, endsInSoftmax: false)
        let classes = probabilities.shape.last ?? 1
        let names = try architecture().classNames
        func name(_ k: Int) -> String { k < names.count ? names[k] : "\(k)" }
        let truth = probeTrueClasses(probabilities)
        let examples = try (0..<count).map { i in
            let k = scores.predicted[i]
            // Three decimals for every probe, as `learn predict` prints it (0.997, 1.000).
            let confidence = String(format: "%.3f", Double(probabilities.scalars[i * classes + k]))
            let caption = (truth.map { "true \(name($0[i])) · " } ?? "") + "predicted \(name(k)) (p = \(confidence))"
            return SaliencyMap.Example(image: try floats(input.slice(i)), gradient: try floats(scores.gradient.slice(i)),
                                       caption: caption, isMistake: truth.map { $0[i] != k } ?? false)
        }
        return try SaliencyMap(title: "Where the trained network looks: the gradient of the predicted class's score",
                               examples: examples, quantity: "|∂z/∂x|")
    }

    /// The true classes of the probe examples whose class `probabilities` (from the final
    /// model) are given: the test labels at the probe's indices in the evaluation record,
    /// when the record's probabilities there agree with them; nil otherwise.
    func probeTrueClasses(_ probabilities: Tensor) -> [Int]? {
        guard let e = evaluation else { return nil }
        let indices = LessonRunner.imageProbeIndices(labels: e.labels, classCount: e.classNames.count)
        let count = probabilities.shape[0], classes = probabilities.count / max(count, 1)
        guard indices.count >= count, e.probabilities.count == e.labels.count * classes else { return nil }
        for (row, i) in indices.prefix(count).enumerated() {
            for k in 0..<classes where abs(e.probabilities.scalars[i * classes + k] - probabilities.scalars[row * classes + k]) > 1e-3 {
                return nil
            }
        }
        return indices.prefix(count).map { e.labels[$0] }
    }

    /// The run's training curves; `categories` are the colours of its training and
    /// held-out curves (the run's own and the lesson's held-out colour).
    func curves(logLoss: Bool = false, referenceLines: [ReferenceLine] = [],
                categories: (train: Int, heldOut: Int) = (0, 1)) throws -> Figure {
        var record = try trainingRecord()
        if logLoss { record.loss.yScale = .log }
        record.loss.referenceLines = referenceLines
        // The title names what is drawn: "Training losses" (the lesson's name) read as if
        // only training values were plotted, beside the held-out dots.
        let heldOut = record.loss.validationPerEpoch.isEmpty ? "" : " and \(epochMetricsSet.rawValue)"
        return try TrainingCurves(title: "\(reader.manifest.run.lesson): training\(heldOut) curves", stepsPerEpoch: record.stepsPerEpoch,
                                  loss: record.loss, accuracy: record.accuracy, earlyStopEpoch: earlyStopEpoch,
                                  heldOutName: epochMetricsSet.rawValue, marksBestEpoch: epochMetricsSet == .validation,
                                  trainCategory: categories.train, heldOutCategory: categories.heldOut)
    }

    /// The run's loss and accuracy as recorded: per step in training, per epoch in validation.
    func trainingRecord() throws -> TrainingCurvesRecord {
        let table = try reader.scalars()
        let loss = table.column(ScalarName.loss).map(\.value)
        guard !loss.isEmpty else { throw FigureUnavailable("the trace has no loss values") }
        let epochs = reader.manifest.epochs
        let stepsPerEpoch = max(1, loss.count / max(1, epochs.count))
        func validation(_ key: String) -> [Double] { epochs.compactMap { $0.value(key) } }
        let accuracy = table.column(ScalarName.accuracy).map(\.value)
        return (stepsPerEpoch,
                .init(name: "loss", trainPerStep: loss, validationPerEpoch: validation(ScalarName.validationLoss),
                      lowerIsBetter: true),
                accuracy.isEmpty ? nil
                    : .init(name: "accuracy", trainPerStep: accuracy,
                            validationPerEpoch: validation(ScalarName.validationAccuracy), lowerIsBetter: false))
    }

    /// The epoch (1-based) after which early stopping ended the run: a run with a
    /// patience whose trace holds fewer epochs than it was given.
    var earlyStopEpoch: Int? {
        let hyper = reader.manifest.run.hyperparameters
        guard hyper["early_stopping_patience"] != nil, let planned = hyper["epochs"].flatMap(Int.init) else { return nil }
        let ran = reader.manifest.epochs.count
        return ran < planned ? ran : nil
    }

    func requireEvaluation() throws -> EvaluationRecord {
        guard let evaluation else { throw FigureUnavailable("the run stored no test-set evaluation") }
        return evaluation
    }

    func confusion() throws -> Figure {
        let e = try requireEvaluation()
        return try ConfusionMatrix(title: "Confusion matrix on \(e.labels.count) test examples",
                                   counts: e.confusionCounts, classNames: e.classNames)
    }

    func mistakes() throws -> Figure {
        let e = try requireEvaluation()
        guard !e.mistakeIndices.isEmpty else { throw FigureUnavailable("the model made no mistakes on the test set") }
        let c = e.classNames.count
        let samples = try e.mistakeIndices.enumerated().map { k, i in
            let row = Array(e.probabilities.scalars[(i * c)..<((i + 1) * c)])
            let predicted = row.indices.max { row[$0] < row[$1] }!
            return SampleGrid.Sample(image: try floats(e.mistakeImages.slice(k)), trueClass: e.labels[i],
                                     predictedClass: predicted, confidence: Double(row[predicted]))
        }
        return try SampleGrid(title: "The most confident mistakes", samples: samples, classNames: e.classNames)
    }

    /// Weight and gradient distributions over training for every layer with a weight
    /// matrix or kernel: one frame per layer (weights beside gradients) under the
    /// gallery's slider, and in the handout all layers as rows of one grid. Each panel has
    /// its own value range: layers differ in size by orders of magnitude, and the point is
    /// the shape of each distribution over time, not a comparison of scales.
    func histograms() throws -> NamedFigure {
        let weights = layers.compactMap { layer in layer.parameters.first(where: { $0.shape.count >= 2 }).map { (layer.name, $0.name) } }
        guard !weights.isEmpty else { throw FigureUnavailable("the model has no weight matrices or kernels") }
        let rows = try weights.map { layer, name in
            try [(TensorKind.weight, "weights"), (.gradient, "gradients")].map { kind, label in
                try distribution(of: name, kind: kind, label: label, title: "\(layer) \(label)", compact: true)
            }
        }
        let title = "Weights and gradients of each layer over training"
        // No subtitle: at the scale the handout prints this grid it would be under 7 pt;
        // the caption says what x, y and the colours are (the colour scales included).
        let subtitle: String? = nil
        // Panels laid out at 300 points (not 420) so that their text is 1.4 times as large
        // in the cell: the five-row grid is shrunk to fit a handout page, and its tick
        // labels must still print at 7 pt or more.
        let frames = try zip(weights, rows).map { weight, panels in
            FigureFrame(key: weight.0, label: weight.0, figure: try SmallMultiples(
                title: title, subtitle: subtitle, panels: panels, columns: 2, panelDesignWidth: Self.histogramPanelWidth))
        }
        let still = try SmallMultiples(title: title, subtitle: subtitle, panels: rows.flatMap { $0 }, columns: 2,
                                       panelDesignWidth: Self.histogramPanelWidth)
        return NamedFigure("histograms", still, frames: frames)
    }

    static let histogramPanelWidth = 300.0

    /// The weights, or the gradients, of every layer with a weight matrix or kernel over
    /// training: one panel per layer, three to a row, each on its own value range (as in
    /// `histograms()`). Half of that grid, with a subtitle that says what x, y and the
    /// colours are, prints at a third of a page, so its text stays at 7 pt or more where
    /// the ten-panel grid had to shrink to fit a page.
    func histograms(of kind: TensorKind) throws -> NamedFigure {
        let weights = layers.compactMap { layer in layer.parameters.first(where: { $0.shape.count >= 2 }).map { (layer.name, $0.name) } }
        guard !weights.isEmpty else { throw FigureUnavailable("the model has no weight matrices or kernels") }
        let label = kind == .gradient ? "gradients" : "weights"
        let panels = try weights.map { layer, name in
            // Three to a row, a 300-pt panel is drawn at 251 pt with its text 1.2 times as
            // large: at 0.5 of its width the plot itself would be a 50-pt strip.
            try distribution(of: name, kind: kind, label: label, title: layer, compact: true, aspect: 0.7)
        }
        let subtitle = kind == .gradient
            ? "x: step; y: the gradient ∂L/∂W; colour: log₁₀ of the share of values, over three decades"
            : "x: step; y: the weight's value; colour: the share of the layer's weights (dark: none, yellow: the most)"
        let still = try SmallMultiples(title: "The \(label) of each layer over training", subtitle: subtitle, panels: panels,
                                       columns: 3, panelDesignWidth: Self.histogramPanelWidth)
        return NamedFigure("\(label)-over-training", still)
    }

    /// Each layer's gradient size per step as an RMS, ‖∂L/∂W‖ / √n for a weight of n
    /// values, so layers of different sizes compare (a raw L2 norm grows with √n: the
    /// 1600-weight dense2 would look small beside conv3's 36 864 weights for that alone).
    /// Per-step values jump by a factor of a few from batch to batch, so each line is an
    /// exponential moving average (β = 0.9, about ten steps) of the logarithm, the trend
    /// a log axis shows; a zero step stays a gap.
    func gradientRMS(title: String = "RMS gradient per layer, ‖∂L/∂W‖ / √n (moving average)") throws -> Figure {
        let table = try reader.scalars()
        let series: [Series] = layers.compactMap { layer in
            guard let weight = layer.parameters.first(where: { $0.shape.count >= 2 }) else { return nil }
            let n = Double(weight.shape.reduce(1, *))
            let points = table.column(ScalarName.gradientNorm(of: weight.name))
            guard points.contains(where: { $0.value > 0 }) else { return nil }
            let logRMS = points.map { $0.value > 0 ? Foundation.log($0.value / n.squareRoot()) : .nan }
            return Series(name: layer.name, x: points.map { Double($0.step) },
                          y: TrainingCurves.smoothed(logRMS, beta: 0.9).map { Foundation.exp($0) })
        }
        guard !series.isEmpty else { throw FigureUnavailable("the trace has no gradient norms") }
        // Head room above the highest line (a factor of 8 on the log axis) for the legend,
        // which would otherwise sit on the early steps' rise.
        let values = series.flatMap(\.y).filter { $0.isFinite && $0 > 0 }
        guard let low = values.min(), let high = values.max() else { throw FigureUnavailable("the trace has no gradient norms") }
        var chart = try LineChart(title: title, xLabel: "step", yLabel: "RMS of ∂L/∂W (log scale)", series: series, yScale: .log,
                                  yRange: (low / 1.5)...(high * 8))
        chart.colors = series.map { layerColor(of: $0.name) }
        return chart
    }

    func gradientNorms(title: String = "Gradient norm ‖∂L/∂W‖ per layer") throws -> LineChart {
        let table = try reader.scalars()
        // One line per layer with a weight matrix or kernel (rank ≥ 2): biases are left out.
        let series: [Series] = layers.compactMap { layer in
            guard let weight = layer.parameters.first(where: { $0.shape.count >= 2 }) else { return nil }
            // Zero norms stay in the series: the log axis breaks the line there (a dead layer's gap).
            let points = table.column(ScalarName.gradientNorm(of: weight.name))
            guard points.contains(where: { $0.value > 0 }) else { return nil }
            return Series(name: layer.name, x: points.map { Double($0.step) }, y: points.map(\.value))
        }
        guard !series.isEmpty else { throw FigureUnavailable("the trace has no gradient norms") }
        var chart = try LineChart(title: title, xLabel: "step", yLabel: "L2 norm", series: series, yScale: .log)
        chart.colors = series.map { layerColor(of: $0.name) }
        return chart
    }
}

/// A run's loss and accuracy as `TrainingCurves` takes them.
typealias TrainingCurvesRecord = (stepsPerEpoch: Int, loss: TrainingCurves.Metric, accuracy: TrainingCurves.Metric?)

/// A figure a trace cannot support, with the reason shown as a warning.
public struct FigureUnavailable: Error, CustomStringConvertible {
    public let description: String
    public init(_ reason: String) { description = reason }
}

/// A trace tensor as the renderer's plain array.
func floats(_ t: Tensor) throws -> FloatArray {
    try FloatArray(shape: t.shape, values: t.scalars)
}
