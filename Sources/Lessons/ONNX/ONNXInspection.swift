import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// `learn inspect MODEL.onnx --image FILE...`: a model trained elsewhere, shown
/// with the figures a finished `cnn-mnist` run draws. The imported model's
/// forward pass over the given images is recorded as a one-step trace (the
/// weights as loaded, the images as the probe batch), then the lesson figure code
/// draws from that trace as it does for any run: first-layer filters, each
/// image through every layer to its class probabilities, and saliency. The
/// folder gets a gallery page and handout like a lesson run's, and appears only
/// when complete.
public struct ONNXInspection {
    public let modelFile: URL
    public let images: [String]
    public let classNames: [String]?

    /// `labelsFile`: one class name per line, in output order.
    public init(modelFile: URL, images: [String], labelsFile: URL?) throws {
        self.modelFile = modelFile
        self.images = images
        classNames = try labelsFile.map(Self.classNames)
    }

    static func classNames(_ url: URL) throws -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ONNXError.unreadable(url.path, reason: "cannot read the labels file (one class name per line)")
        }
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ONNXError.unreadable(url.path, reason: "the labels file names no class") }
        return names
    }

    /// The run's name: `inspect-` and the model file's stem.
    public var name: String { "inspect-" + modelFile.deletingPathExtension().lastPathComponent }

    /// Writes the folder `runFolder` (figures, trace, index.html, handout.pdf) and returns its figures.
    public func write(to runFolder: URL, warn: (String) -> Void) throws -> [RenderedFigure] {
        let imported = try ONNXImport(contentsOf: modelFile, classNames: classNames)
        let model = try imported.model()
        let inputs = try loadImages(shape: imported.architecture.inputShape)
        let out = try OutputFolder(root: runFolder.deletingLastPathComponent(), name: runFolder.lastPathComponent)
        do {
            let trace = out.staging.appendingPathComponent("trace", isDirectory: true)
            try record(model, inputs: inputs, into: trace)
            try imported.architecture.write(model: model, to: trace, metadata: ["source": modelFile.lastPathComponent])
            let spec = lessonSpec(imported.architecture)
            try writeIntroduction(imported, model: model, to: out.staging)
            let figures = try FigureRenderer.render(traceFolder: trace, baseline: "imported", figures: spec.figures,
                                                    into: out.staging, warn: warn)
            let summary = LessonRunSummary(
                lesson: name, title: spec.title, dataset: modelFile.lastPathComponent, trainExamples: 0,
                testExamples: images.count, epochs: 0, batchSize: images.count, learningRate: 0, seed: 0,
                threads: WorkerPool.shared.threads, steps: 0, testLoss: nil, testAccuracy: nil, history: [],
                divergence: nil, phaseSeconds: [:], traceBytes: nil, figures: figures, importedFrom: modelFile.lastPathComponent)
            try summary.write(to: out.staging)
            try Handout.write(spec: spec, summary: summary, lessonFolder: out.staging, runFolder: out.staging)
            try GalleryPage.write(spec: spec, summary: summary, lessonFolder: out.staging, runFolder: out.staging)
            try out.commit()
            return figures
        } catch {
            out.discard()
            throw error
        }
    }

    /// The PNGs as the model's inputs `[N, height, width, channels]`: for a grey model
    /// prepared as `learn predict` prepares a digit (grey, inverted when dark on light);
    /// for a colour model (3 channels) as they are, R, G, B in [0, 1], only resized. The
    /// engine takes them channels-last (NHWC); the import turned the model's NCHW input,
    /// kernels and Flatten order to match, so no pixel is reordered here.
    func loadImages(shape: [Int]) throws -> Tensor {
        guard shape.count == 3, shape[2] == 1 || shape[2] == 3 else { throw PredictionError.notAnImageModel(inputShape: shape) }
        let pixels = try images.map { path -> [Float] in
            let image: RasterImage
            do { image = try RasterImage(contentsOfPNG: path) } catch {
                throw PredictionError.unreadableImage(path, reason: FileManager.default.fileExists(atPath: path)
                                                      ? "not a readable PNG" : "no such file")
            }
            if shape[2] == 3 { return ImagePixels.tensor(image, channels: 3, height: shape[0], width: shape[1]).scalars }
            return try ImageInput(image, height: shape[0], width: shape[1], frameDigit: false).pixels.scalars
        }
        return Tensor(shape: [images.count] + shape, scalars: pixels.flatMap { $0 })
    }

    /// Step 0 of a trace: the weights as loaded, the images and every layer's output for them.
    func record(_ model: Sequential, inputs: Tensor, into folder: URL) throws {
        let layers = model.summary.map { l in
            LayerDescription(name: l.name, type: l.kind, outputShape: l.outputShape,
                             parameters: l.parameters.map { ParameterDescription(name: $0.name, shape: $0.shape) })
        }
        let run = TraceRunInfo(lesson: name, model: ModelDescription(layers: layers),
                               hyperparameters: ["source": modelFile.lastPathComponent, "run": "imported"],
                               seed: 0, threads: WorkerPool.shared.threads, toolVersion: learnVersion)
        let writer = try TraceWriter(directory: folder, run: run, policy: .all)
        writer.beginStep(StepInfo(step: 0, epoch: 0, endsEpoch: true))
        writer.record(.input, name: "input", tensor: inputs)
        for p in model.parameters { writer.record(.weight, name: p.name, tensor: p.value) }
        _ = try model.forward(inputs, context: ForwardContext(training: false, step: 0, seed: 0, recorder: writer))
        writer.endStep()
        try writer.finish()
    }
}
