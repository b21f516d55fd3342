import Foundation
import NeuralNet

extension ONNXInspection {
    /// What the gallery page and handout of an inspection say: a title, the imported
    /// model's figures with captions, and `introduction.md` (written beside them) as narrative.
    func lessonSpec(_ architecture: ModelArchitecture) -> LessonSpec {
        let file = modelFile.lastPathComponent, layers = architecture.layers
        let reading = architecture.inputShape.last == 3
            ? "Each filter is drawn as a colour picture of its red, green and blue weights: grey is 0 in all three, a "
                + "coloured pixel adds that colour, its opposite hue subtracts it; one scale for all tiles."
            : "Red weights add the pixel under them, blue ones subtract it; one colour scale for all tiles, white at 0."
        var figures = [FigureSpec(plot: .filters, caption: """
            The first convolution's filters as \(file) holds them, converted from ONNX's [out, in, height, width] \
            to learn's [height, width, in, out]. \(reading)
            """)]
        figures += images.indices.map { i in
            FigureSpec(plot: .featureMaps, caption: """
                \((images[i] as NSString).lastPathComponent) through the imported network: each tile is one channel of \
                a layer's output (the most active first), then the dense layers' units, then the class probabilities.
                """, options: ["example": ["\(i)"]], id: "image-\(i + 1)")
        }
        figures.append(FigureSpec(plot: .saliency, caption: """
            Saliency |∂z/∂x| of the predicted class's score z for each image (up to six): the pixels whose change \
            would move the answer most. Each row has its own colour scale.
            """))
        return LessonSpec(
            name: name, title: "Inside \(file): a model trained elsewhere",
            summary: "The ONNX model \(file), loaded into learn and shown on \(images.count) image"
                + (images.count == 1 ? "" : "s") + " with the figures a lesson draws for a trained network.",
            level: .beginner, minutes: 1,
            goals: ["Read the first-layer filters of a network trained in another framework.",
                    "Follow each image through every layer to the class probabilities.",
                    "See which pixels the answer depends on."],
            data: DataSpec(dataset: .image(.mnist), examples: 0, testExamples: images.count, noise: nil,
                           validationSplit: nil, quickExamples: 0),
            layers: layers,
            training: TrainingSpec(loss: .softmaxCrossEntropy, optimizer: .adam, learningRate: nil, momentum: 0,
                                   schedule: .constant, epochs: 0, batchSize: images.count, seed: 0, l2: nil,
                                   earlyStoppingPatience: nil),
            record: .all, figures: figures, baseline: "imported", variants: [],
            narrative: [Self.introductionFile], exercises: nil)
    }

    static let introductionFile = "introduction.md"

    /// The narrative: where the model came from, its layers as learn rebuilt them, and
    /// exactly which weights were reordered and how the images were prepared.
    func writeIntroduction(_ imported: ONNXImport, model: Sequential, to folder: URL) throws {
        let architecture = imported.architecture
        let rows = model.summary.map { layer in
            "| \(layer.name) | \(layer.kind) | \(layer.outputShape.map(String.init).joined(separator: " × ")) | "
                + "\(layer.parameters.map { $0.shape.reduce(1, *) }.reduce(0, +)) |"
        }
        let colour = architecture.inputShape.last == 3
        let text = """
            `\(modelFile.lastPathComponent)` was trained outside learn and read from its ONNX file. Its graph was
            rebuilt as learn layers. \(Self.layoutNote(imported, model: model)) An activation right after a
            convolution or dense layer is shown as part of it. Input shape \(architecture.inputShape.map(String.init).joined(separator: " × ")); \
            classes: \(architecture.classNames.joined(separator: ", ")).

            | layer | type | output | parameters |
            |---|---|---|---|
            \(rows.joined(separator: "\n"))

            \(colour ? Self.colourImagesNote : Self.greyImagesNote) The model's own file says nothing about any
            further normalisation, so none is applied.
            """
        try text.write(to: folder.appendingPathComponent(Self.introductionFile), atomically: true, encoding: .utf8)
    }

    static let greyImagesNote = """
        The images were prepared as `learn predict` prepares them: grey, inverted when dark ink is on light
        paper, resized to the model's input, with pixels in [0, 1].
        """

    static let colourImagesNote = """
        The model reads colour, so the images were taken as they are: red, green and blue in [0, 1] (transparent
        pixels as white), resized to the model's input, and passed channels-last; the figures draw them in colour.
        """

    /// What was reordered for this file: ONNX keeps kernels as [out, in, h, w], learn as
    /// [h, w, in, out]; a Dense after a Flatten of channels-first maps gets its rows reordered.
    static func layoutNote(_ imported: ONNXImport, model: Sequential) -> String {
        let summary = model.summary
        let convs = summary.filter { $0.kind == "Conv2D" }.map(\.name)
        var text = convs.isEmpty ? ""
            : "ONNX keeps convolution kernels as [out, in, height, width] and learn as [height, width, in, out], so the "
                + "kernels of \(convs.joined(separator: ", ")) were reordered. "
        let reordered = imported.reorderedDenseRows.filter { $0 < summary.count }.map { summary[$0].name }
        if !reordered.isEmpty {
            text += "The Flatten before \(reordered.joined(separator: ", ")) read channels-first maps (channel, row, column), "
                + "learn's read them channels-last (row, column, channel), so that layer's rows were reordered to match."
        } else if summary.contains(where: { $0.kind == "Flatten" }) {
            text += "The graph turns its maps back to channels-last before it flattens them (as tf2onnx writes a Keras model), "
                + "so no dense layer's rows needed reordering."
        }
        return text
    }
}
