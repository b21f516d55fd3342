import ArgumentParser
import Foundation
import Lessons

/// `learn export RUN --onnx FILE`: a trained model as an ONNX file that
/// onnxruntime, Netron or another framework opens.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a trained model as ONNX, to run it outside learn.",
        discussion: """
        RUN-FOLDER is a lesson's output folder (OUT/NAME) or a trace folder holding model.json. \
        The ONNX graph takes inputs as the dataset loaders give them, [N, height, width, channels] \
        with pixels in [0, 1], normalises them as training did, and gives the class \
        probabilities that `learn predict` prints (output `probabilities`; `output` for a \
        regression model). Layers: Conv2D, MaxPool2D, Dense, Flatten, Reshape, Dropout, \
        activations, Softmax, LayerNorm.

        Examples:
          learn export output/cnn-mnist --onnx cnn-mnist.onnx
        """)

    @Argument(help: "The run folder (OUT/NAME) or a trace folder.") var runFolder: String
    @Option(help: "The ONNX file to write.") var onnx: String

    func run() throws {
        try ONNXExport.write(runFolder: URL(fileURLWithPath: runFolder), to: URL(fileURLWithPath: onnx))
        print("wrote \(onnx)")
    }
}
