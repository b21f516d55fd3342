import ArgumentParser
import Foundation
import Lessons

/// `learn inspect MODEL.onnx --image FILE...`: a model trained elsewhere, drawn
/// as a lesson draws a trained network (filters, feature maps, saliency, probabilities).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Look inside an ONNX model trained elsewhere: filters, feature maps, saliency, probabilities.",
        discussion: """
        MODEL.onnx is a sequential image classifier exported from PyTorch (torch.onnx.export) or \
        Keras (tf2onnx) built of Conv, MaxPool, Relu/LeakyRelu/Sigmoid/Tanh/Gelu, Gemm or MatMul+Add, \
        Flatten/Reshape, Softmax, Dropout and Identity; NCHW models are converted to learn's NHWC. \
        Images are PNGs, made grey and resized to the model's input as `learn predict` does. \
        Writes OUT (default output/inspect-NAME) with figures/, trace/, index.html and handout.pdf.

        Examples:
          learn inspect Tests/LessonsTests/Fixtures/ONNX/torch-cnn.onnx \\
              --image digit.png
          learn inspect model.onnx --image a.png --image b.png \\
              --labels classes.txt --out /tmp/inspect
        """)

    @Argument(help: "The ONNX model file.") var model: String
    @Option(name: .customLong("image"), help: "A PNG image (repeat for several).") var images: [String] = []
    @Option(help: "A text file with one class name per line, in output order.") var labels: String?
    @Option(help: "The folder to write (default: output/inspect-NAME).") var out: String?

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("give at least one --image FILE") }
    }

    func run() throws {
        let inspection = try ONNXInspection(modelFile: URL(fileURLWithPath: model), images: images,
                                            labelsFile: labels.map { URL(fileURLWithPath: $0) })
        let folder = URL(fileURLWithPath: out ?? "output/\(inspection.name)")
        _ = try inspection.write(to: folder) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        print("wrote \(folder.path)/index.html and handout.pdf")
    }
}
