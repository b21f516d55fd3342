import ArgumentParser
import Foundation
import Lessons

/// `learn predict RUN`: a trained model's answer and class probabilities for
/// new inputs — PNG images or the images of an IDX file.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Use a trained model on new images: its answer and every class probability.",
        discussion: """
        RUN-FOLDER is a lesson's output folder (OUT/NAME) or a trace folder holding model.json. \
        Inputs are normalised as the model's training data was. A PNG is made grey, \
        inverted if it is dark ink on light paper (MNIST digits are white on black), \
        and resized to the model's input; --frame-digit first crops it to the ink and \
        centres it in a 20×20 box as MNIST digits were prepared. A model of your own \
        pictures (`dataset: images`, grey or colour) takes a PNG as it is, only resized.

        Examples:
          learn predict output/workflow \\
              --idx lessons/data/t10k-images-idx3-ubyte.gz --count 5
          learn predict output/workflow \\
              --idx lessons/data/t10k-images-idx3-ubyte.gz --start 700 --count 3 \\
              --labels lessons/data/t10k-labels-idx1-ubyte.gz
          learn predict output/workflow --image my-digit.png --frame-digit
          learn predict output/workflow --image a.png --image b.png --json
        """)

    @Argument(help: "The run folder (OUT/NAME) or a trace folder.") var runFolder: String
    @Option(name: .customLong("image"), help: "A PNG image (repeat for several).") var images: [String] = []
    @Option(help: "An IDX image file (raw or .gz), e.g. t10k-images-idx3-ubyte.gz.") var idx: String?
    @Option(help: "The first image of the IDX file to use, counted from 0.") var start = 0
    @Option(help: "How many images of the IDX file (default: all from --start).") var count: Int?
    @Option(help: "The IDX labels file, to show each image's true class.") var labels: String?
    @Flag(name: .customLong("frame-digit"), help: "Crop PNGs to the ink and centre it as MNIST digits are.")
    var frameDigit = false
    @Flag(help: "Print a JSON array instead of text.") var json = false

    func validate() throws {
        guard images.isEmpty != (idx == nil) else { throw ValidationError("give either --image FILE ... or --idx FILE") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if start < 0 { throw ValidationError("--start must be at least 0") }
        if idx == nil && (count != nil || labels != nil || start != 0) {
            throw ValidationError("--start, --count and --labels go with --idx")
        }
    }

    func run() throws {
        let predictor = try Predictor(runFolder: URL(fileURLWithPath: runFolder))
        let predictions = try idx.map {
            try predictor.predict(idxImagesAt: URL(fileURLWithPath: $0), start: start, count: count,
                                  labelsURL: labels.map { URL(fileURLWithPath: $0) })
        } ?? images.map { try predictor.predict(pngAt: $0, frameDigit: frameDigit) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(predictions), as: UTF8.self))
            return
        }
        print("model: \(predictor.modelFolder.path) (\(normalizationText(predictor)))")
        for p in predictions { print(text(p)) }
    }

    func normalizationText(_ predictor: Predictor) -> String {
        guard let n = predictor.architecture.normalization else { return "inputs used as loaded" }
        switch n.method {
        case .none: return "inputs as stored: pixels 0–255"
        case .scale: return "inputs scaled: pixels / 255"
        case .symmetric: return "inputs scaled to [−1, 1]: 2 · pixels / 255 − 1"
        case .standardize:
            let pairs = zip(n.offset, n.factor).map { String(format: "mean %.4f, std %.4f", $0, 1 / $1) }
            return "inputs standardized with the training set's " + pairs.joined(separator: "; ")
        }
    }

    /// The answer, then one line per class with its probability as a bar.
    func text(_ p: Prediction) -> String {
        var head = "\(p.input): \(p.className) (p = \(String(format: "%.3f", p.confidence)))"
        if let label = p.label { head += label == p.className ? ", correct" : ", wrong: true class \(label)" }
        if let note = p.note { head += " [\(note)]" }
        let width = p.classNames.map(\.count).max() ?? 1
        let lines = zip(p.classNames, p.probabilities).map { name, q in
            "  " + name.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: " %.3f ", q) + String(repeating: "█", count: Int((q * 30).rounded()))
        }
        return ([head] + lines).joined(separator: "\n")
    }
}
