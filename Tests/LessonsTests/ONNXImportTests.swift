import Foundation
@testable import Lessons
import NeuralNet
import ONNXProto
import Tensor
import XCTest

/// `learn inspect`'s reading of ONNX files made by other frameworks: the PyTorch
/// fixture rebuilt as learn layers gives onnxruntime's probabilities, and a file
/// that is truncated, not ONNX, or uses an unsupported operator is refused with
/// an error that names the file (and the node).
final class ONNXImportTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ONNX")
    static let torchCNN = fixtures.appendingPathComponent("torch-cnn.onnx")

    func testTorchModelBecomesTheKerasStyleLayers() throws {
        let imported = try ONNXImport(contentsOf: Self.torchCNN, classNames: nil)
        XCTAssertEqual(imported.architecture.inputShape, [28, 28, 1])
        XCTAssertEqual(imported.architecture.layers, [
            .conv2D(filters: 8, kernel: 3, stride: 1, padding: .valid, activation: .relu, initializer: .glorotUniform),
            .maxPool2D(size: 2, stride: nil),
            .conv2D(filters: 16, kernel: 3, stride: 1, padding: .valid, activation: .relu, initializer: .glorotUniform),
            .maxPool2D(size: 2, stride: nil), .flatten,
            .dense(units: 32, activation: .relu, initializer: .glorotUniform),
            .dense(units: 10, activation: .linear, initializer: .glorotUniform), .softmax])
        XCTAssertEqual(imported.architecture.classNames, (0..<10).map(String.init))
    }

    /// The NCHW → NHWC conversion (kernels and the Dense rows after Flatten) checked
    /// number by number against onnxruntime running the original file.
    func testTorchModelInLearnMatchesOnnxruntime() throws {
        try assertLearnMatchesOnnxruntime(Self.torchCNN, images: 16)
    }

    /// The Keras fixture takes a batch of one (tf2onnx then writes Flatten's shape as a constant).
    func testKerasModelInLearnMatchesOnnxruntime() throws {
        let keras = Self.fixtures.appendingPathComponent("keras-cnn.onnx")
        XCTAssertEqual(try ONNXImport(contentsOf: keras, classNames: nil).architecture.layers.count, 8)
        for start in [0, 300, 700] { try assertLearnMatchesOnnxruntime(keras, images: 1, start: start) }
    }

    /// A 3-channel model (Keras via tf2onnx, NCHW input): learn reads the shape PNGs as
    /// NHWC colour pictures; onnxruntime gets the same pixels transposed here to NCHW.
    func testKerasColourModelInLearnMatchesOnnxruntime() throws {
        let url = Self.fixtures.appendingPathComponent("keras-colour-cnn.onnx")
        let imported = try ONNXImport(contentsOf: url, classNames: ["circle", "cross", "square", "triangle"])
        XCTAssertEqual(imported.architecture.inputShape, [32, 32, 3])
        // tf2onnx transposes the maps back to NHWC before the Flatten: no dense rows to reorder.
        XCTAssertEqual(imported.reorderedDenseRows, [])
        XCTAssertEqual(try ONNXImport(contentsOf: Self.torchCNN, classNames: nil).reorderedDenseRows, [5])
        try ONNXExportTests.requireOnnxruntime()
        let model = try imported.model()
        let inspection = try ONNXInspection(modelFile: url, images: ["shape-0.png", "shape-1.png"].map {
            Self.fixtures.appendingPathComponent($0).path
        }, labelsFile: nil)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-colour-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for i in 0..<2 {
            let nhwc = try inspection.loadImages(shape: [32, 32, 3]).slice(i)
            XCTAssertEqual(nhwc.shape, [32, 32, 3])
            // Two different colour channels at one pixel: the picture was not read as grey.
            XCTAssertNotEqual(nhwc.scalars[0], nhwc.scalars[1])
            // NCHW index j = c · 1024 + p (p the pixel) holds NHWC's p · 3 + c.
            let pixels: [Float] = nhwc.scalars
            var nchw = [Float](repeating: 0, count: pixels.count)
            for p in 0..<1024 { for c in 0..<3 { nchw[c * 1024 + p] = pixels[p * 3 + c] } }
            let ours: [Float] = try model.predict(nhwc.reshaped([1, 32, 32, 3])).scalars
            let theirs: [Float] = try ONNXExportTests.onnxruntime(url, inputs: Tensor(shape: [1, 3, 32, 32], scalars: nchw),
                                                                   in: folder)
            XCTAssertEqual(theirs.count, 4)
            let difference: Float = zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(difference, 1e-4, "shape-\(i).png")
            // The pictures are a circle and a cross (make_keras_colour_cnn.py prints them); the model knows them.
            let answer = ours.indices.max { ours[$0] < ours[$1] }
            XCTAssertEqual(answer, i, "shape-\(i).png")
        }
    }

    func assertLearnMatchesOnnxruntime(_ url: URL, images count: Int, start: Int = 0,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        try ONNXExportTests.requireOnnxruntime()
        let model = try ONNXImport(contentsOf: url, classNames: nil).model()
        let images = try IDXFile.images(at: CLIRepository.url.appendingPathComponent("lessons/data/t10k-images-idx3-ubyte.gz"))
            .slice(start..<(start + count))
        let inputs = Tensor(shape: [count, 28, 28, 1], scalars: images.scalars)
        let ours = try model.predict(inputs).scalars
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // One channel: NHWC and NCHW hold the same numbers in the same order.
        let theirs = try ONNXExportTests.onnxruntime(url, inputs: inputs.reshaped([count, 1, 28, 28]), in: folder)
        XCTAssertEqual(theirs.count, ours.count, file: file, line: line)
        XCTAssertLessThan(zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity, 1e-4, url.lastPathComponent,
                          file: file, line: line)
    }

    func testUnsupportedOperatorIsNamedWithItsNode() throws {
        var proto = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: Self.torchCNN))
        let index = try XCTUnwrap(proto.graph.node.firstIndex { $0.opType == "MaxPool" })
        proto.graph.node[index].opType = "AveragePool"
        let url = try Self.temporaryFile("average.onnx", try proto.serializedData())
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try ONNXImport(contentsOf: url, classNames: nil)) { error in
            XCTAssertEqual(error as? ONNXError, .unsupportedOperator(url.path, node: "/2/MaxPool", op: "AveragePool"))
            XCTAssert("\(error)".contains("node '/2/MaxPool' uses operator AveragePool"), "\(error)")
        }
    }

    func testTruncatedAndForeignFilesAreNotONNX() throws {
        let bytes = try Data(contentsOf: Self.torchCNN)
        let truncated = try Self.temporaryFile("truncated.onnx", bytes.prefix(bytes.count / 2))
        defer { try? FileManager.default.removeItem(at: truncated) }
        XCTAssertThrowsError(try ONNXImport(contentsOf: truncated, classNames: nil)) { error in
            XCTAssert("\(error)".hasPrefix("\(truncated.path): not an ONNX model"), "\(error)")
        }
        let png = Self.fixtures.appendingPathComponent("digit-3.png")
        XCTAssertThrowsError(try ONNXImport(contentsOf: png, classNames: nil)) { error in
            XCTAssert("\(error)".hasPrefix("\(png.path): not an ONNX model"), "\(error)")
        }
        let missing = Self.fixtures.appendingPathComponent("no-such.onnx")
        XCTAssertThrowsError(try ONNXImport(contentsOf: missing, classNames: nil)) { error in
            XCTAssertEqual("\(error)", "\(missing.path): no such file")
        }
    }

    static func temporaryFile(_ name: String, _ data: Data) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)")
        try data.write(to: url)
        return url
    }
}

/// The repository root, for the bundled data.
enum CLIRepository {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
