import Foundation
@testable import Lessons
import NeuralNet
import Tensor
import XCTest

/// `learn export --onnx` checked against onnxruntime: a model of each kind of layer
/// the exporter writes is saved as a run would save it, exported, run by
/// onnxruntime (Python) on the same inputs, and compared with `learn predict`'s
/// probabilities to 1e-4. Needs `python3` with `onnxruntime` and `numpy`
/// (.ci/setup installs them); without them the tests skip and say so.
final class ONNXExportTests: XCTestCase {
    func testConvolutionalClassifierMatchesOnnxruntime() throws {
        // Non-square two-channel images, so a swapped height/width or channel order shows.
        let architecture = ModelArchitecture(
            inputShape: [12, 10, 2],
            layers: [.conv2D(filters: 4, kernel: 3, stride: 1, padding: .same, activation: .relu, initializer: .glorotUniform),
                     .conv2D(filters: 3, kernel: 3, stride: 2, padding: .same, activation: .leakyReLU, initializer: .heNormal),
                     .maxPool2D(size: 2, stride: nil), .dropout(rate: 0.5), .flatten,
                     .dense(units: 8, activation: .gelu, initializer: .glorotUniform),
                     .activation(.tanh), .dense(units: 3, activation: .linear, initializer: .glorotUniform)],
            classNames: ["a", "b", "c"],
            normalization: InputNormalization(method: .standardize, offset: [0.2, 0.6], factor: [3, 0.5]))
        try assertOnnxruntimeAgrees(architecture, examples: 5)
    }

    func testDenseModelWithOneLogitAndLayerNormMatchesOnnxruntime() throws {
        let architecture = ModelArchitecture(
            inputShape: [5],
            layers: [.dense(units: 6, activation: .sigmoid, initializer: .glorotUniform), .layerNorm(epsilon: nil),
                     .dense(units: 1, activation: .linear, initializer: .glorotUniform)],
            classNames: ["no", "yes"],
            normalization: InputNormalization(method: .standardize, offset: [0, 1, 2, 3, 4], factor: [1, 2, 0.5, 1, 3]))
        try assertOnnxruntimeAgrees(architecture, examples: 7)
    }

    func testReshapeToAnImageAndASoftmaxLayerMatchOnnxruntime() throws {
        let architecture = ModelArchitecture(
            inputShape: [16],
            layers: [.dense(units: 32, activation: .relu, initializer: .glorotUniform), .reshape(targetShape: [4, 4, 2]),
                     .conv2D(filters: 2, kernel: 2, stride: 1, padding: .valid, activation: .sigmoid, initializer: .glorotUniform),
                     .flatten, .dense(units: 4, activation: .linear, initializer: .glorotUniform), .softmax],
            classNames: ["0", "1", "2", "3"])
        try assertOnnxruntimeAgrees(architecture, examples: 3)
    }

    // MARK: - Helpers

    /// Saves a model of `architecture` (random weights and biases) as a run does,
    /// exports it, and compares onnxruntime's outputs with `Predictor`'s.
    func assertOnnxruntimeAgrees(_ architecture: ModelArchitecture, examples: Int,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        try Self.requireOnnxruntime()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var random = RandomStream(seed: 7, name: "onnx-export-test")
        let onnxFile = try Self.exportRandomModel(architecture, to: folder, random: &random)
        let inputs = Tensor(shape: [examples] + architecture.inputShape,
                            scalars: (0..<(examples * architecture.inputShape.reduce(1, *))).map { _ in random.nextUniform() })
        let expected = try Predictor(runFolder: folder).predict(inputs, names: (0..<examples).map(String.init))
            .flatMap(\.probabilities)
        let found = try Self.onnxruntime(onnxFile, inputs: inputs, in: folder)
        XCTAssertEqual(found.count, expected.count, "number of outputs", file: file, line: line)
        let worst = zip(found, expected).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-4, "largest |onnxruntime − learn predict|", file: file, line: line)
    }

    /// Writes a model of `architecture` with uniform random weights in [−0.5, 0.5) to
    /// `folder` as a run does and exports it as `folder/model.onnx`; `random` goes on to draw
    /// the inputs.
    static func exportRandomModel(_ architecture: ModelArchitecture, to folder: URL,
                                  random: inout RandomStream) throws -> URL {
        let model = try architecture.model()
        for p in model.parameters { p.value = Tensor(shape: p.shape, scalars: (0..<p.value.count).map { _ in random.nextUniform() - 0.5 }) }
        try architecture.write(model: model, to: folder, metadata: [:])
        let onnxFile = folder.appendingPathComponent("model.onnx")
        try ONNXExport.write(runFolder: folder, to: onnxFile)
        return onnxFile
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("python/run_onnx.py")

    static func requireOnnxruntime() throws {
        let check = try python(["-c", "import onnxruntime, numpy"])
        // CI sets this (.ci/run): there a missing onnxruntime is a broken setup, not a reason to skip.
        if check != 0 && ProcessInfo.processInfo.environment["LEARN_REQUIRE_ONNXRUNTIME"] == "1" {
            throw OnnxruntimeFailure(model: "python3 -c 'import onnxruntime, numpy' failed in CI", status: check)
        }
        if check != 0 {
            throw XCTSkip("python3 with onnxruntime and numpy is not installed (pip install onnxruntime numpy; CI installs them)")
        }
    }

    /// onnxruntime's first output for `inputs`.
    static func onnxruntime(_ model: URL, inputs: Tensor, in folder: URL) throws -> [Float] {
        let inURL = folder.appendingPathComponent("input.f32"), outURL = folder.appendingPathComponent("output.f32")
        try inputs.scalars.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: inURL)
        let status = try python([script.path, model.path, inURL.path, inputs.shape.map(String.init).joined(separator: ","),
                                 outURL.path])
        guard status == 0 else { throw OnnxruntimeFailure(model: model.path, status: status) }
        let data = try Data(contentsOf: outURL)
        return data.withUnsafeBytes { raw in (0..<(data.count / 4)).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
    }

    struct OnnxruntimeFailure: Error { let model: String, status: Int32 }

    static func python(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
