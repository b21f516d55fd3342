import Foundation
import NeuralNet

extension ONNXInspection {
    /// What the gallery page and handout of an inspection say: a title, the imported
    /// model's figures with captions, and `introduction.md` (written beside them) as narrative.
    func lessonSpec(layers: [LayerSpec]) -> LessonSpec {
        let file = modelFile.lastPathComponent
        var figures = [FigureSpec(plot: .filters, caption: """
            The first convolution's filters as \(file) holds them, converted from ONNX's [out, in, height, width] \
            to learn's [height, width, in, out]. Red weights add the pixel under them, blue ones subtract it; \
            one colour scale for all tiles, white at 0.
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

    /// The narrative: where the model came from and its layers as learn rebuilt them.
    func writeIntroduction(_ architecture: ModelArchitecture, model: Sequential, to folder: URL) throws {
        let rows = model.summary.map { layer in
            "| \(layer.name) | \(layer.kind) | \(layer.outputShape.map(String.init).joined(separator: " × ")) | "
                + "\(layer.parameters.map { $0.shape.reduce(1, *) }.reduce(0, +)) |"
        }
        let text = """
            `\(modelFile.lastPathComponent)` was trained outside learn and read from its ONNX file. Its graph was
            rebuilt as learn layers: ONNX keeps images channels-first (NCHW) and kernels as [out, in, h, w], learn
            keeps them channels-last (NHWC) and [h, w, in, out], so every weight was reordered, and the first dense
            layer after a Flatten had its rows reordered to match. An activation right after a convolution or dense
            layer is shown as part of it. Input shape \(architecture.inputShape.map(String.init).joined(separator: " × ")); \
            classes: \(architecture.classNames.joined(separator: ", ")).

            | layer | type | output | parameters |
            |---|---|---|---|
            \(rows.joined(separator: "\n"))

            The images were prepared as `learn predict` prepares them: grey, inverted when dark ink is on light
            paper, resized to the model's input, with pixels in [0, 1]; the model's own file says nothing about
            any further normalisation, so none is applied.
            """
        try text.write(to: folder.appendingPathComponent(Self.introductionFile), atomically: true, encoding: .utf8)
    }
}
