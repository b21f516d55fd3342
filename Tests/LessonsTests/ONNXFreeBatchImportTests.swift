import Foundation
@testable import Lessons
import NeuralNet
import ONNXProto
import Tensor
import XCTest

/// `learn inspect` on models exported with a free batch size, whose Reshape targets
/// are computed at run time from Shape nodes (`ShapeFolding`): tf2onnx's Flatten in
/// the Keras fixture, and PyTorch's `x.view(x.size(0), -1)` written into the PyTorch
/// fixture as `torch.onnx.export(dynamic_axes=…)` writes it. Each is read, and its
/// probabilities checked against onnxruntime's on a batch of 16 digits.
final class ONNXFreeBatchImportTests: XCTestCase {
    static let kerasFreeBatch = ONNXImportTests.fixtures.appendingPathComponent("keras-free-batch.onnx")

    func testKerasModelWithAFreeBatchLoadsAndMatchesOnnxruntime() throws {
        let imported = try ONNXImport(contentsOf: Self.kerasFreeBatch, classNames: nil)
        XCTAssertEqual(imported.architecture.inputShape, [28, 28, 1])
        XCTAssertEqual(imported.architecture.layers, [
            .conv2D(filters: 4, kernel: 3, stride: 1, padding: .valid, activation: .relu, initializer: .glorotUniform),
            .maxPool2D(size: 2, stride: nil), .flatten,
            .dense(units: 10, activation: .linear, initializer: .glorotUniform), .softmax])
        try assertLearnMatchesOnnxruntime(Self.kerasFreeBatch, onnxInput: [16, 28, 28, 1])
    }

    func testTorchViewOfTheBatchSizeFoldsToTheSameModel() throws {
        let url = try Self.torchWithViewFlatten()
        defer { try? FileManager.default.removeItem(at: url) }
        let original = try ONNXImport(contentsOf: ONNXImportTests.torchCNN, classNames: nil).architecture
        XCTAssertEqual(try ONNXImport(contentsOf: url, classNames: nil).architecture, original)
        try assertLearnMatchesOnnxruntime(url, onnxInput: [16, 1, 28, 28])
    }

    func testShapeArithmeticThatDoesNotFoldNamesItsOperator() throws {
        let view = try Self.torchWithViewFlatten()
        defer { try? FileManager.default.removeItem(at: view) }
        var proto = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: view))
        let index = try XCTUnwrap(proto.graph.node.firstIndex { $0.opType == "Gather" })
        proto.graph.node[index].opType = "NonZero"
        let url = try ONNXImportTests.temporaryFile("nonzero.onnx", try proto.serializedData())
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try ONNXImport(contentsOf: url, classNames: nil)) { error in
            XCTAssertEqual(error as? ONNXError, .unsupportedOperator(url.path, node: "view.batch", op: "NonZero"))
        }
    }

    /// The PyTorch fixture with its Flatten node replaced by what `x.view(x.size(0), -1)`
    /// exports to with a dynamic batch: Shape → Gather(0) → Unsqueeze → Concat(·, [−1]) → Reshape.
    static func torchWithViewFlatten() throws -> URL {
        var proto = try Onnx_ModelProto(serializedBytes: try Data(contentsOf: ONNXImportTests.torchCNN))
        let index = try XCTUnwrap(proto.graph.node.firstIndex { $0.opType == "Flatten" })
        let flatten = proto.graph.node[index]
        let (x, y) = (flatten.input[0], flatten.output[0])
        func integers(_ name: String, _ values: [Int64], scalar: Bool = false) -> Onnx_TensorProto {
            var t = Onnx_TensorProto()
            t.name = name
            t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
            t.dims = scalar ? [] : [Int64(values.count)]
            t.int64Data = values
            return t
        }
        func node(_ op: String, _ name: String, _ inputs: [String], _ output: String) -> Onnx_NodeProto {
            var n = Onnx_NodeProto()
            (n.opType, n.name, n.input, n.output) = (op, name, inputs, [output])
            return n
        }
        proto.graph.initializer += [integers("view.zero", [0], scalar: true), integers("view.axes", [0]),
                                    integers("view.rest", [-1])]
        proto.graph.node.replaceSubrange(index...index, with: [
            node("Shape", "view.shape", [x], "view.shape"), node("Gather", "view.batch", ["view.shape", "view.zero"], "view.batch"),
            node("Unsqueeze", "view.batch1", ["view.batch", "view.axes"], "view.batch1"),
            node("Concat", "view.target", ["view.batch1", "view.rest"], "view.target"),
            node("Reshape", "view", [x, "view.target"], y)])
        proto.graph.node[index + 3].attribute = [ONNXGraphBuilder.attribute("axis", int: 0)]
        return try ONNXImportTests.temporaryFile("torch-view.onnx", try proto.serializedData())
    }

    /// learn's probabilities for 16 test digits against onnxruntime's, the file fed the same
    /// pixels as `onnxInput` (NHWC or NCHW: one channel holds the same numbers in the same order).
    func assertLearnMatchesOnnxruntime(_ url: URL, onnxInput: [Int], file: StaticString = #filePath, line: UInt = #line) throws {
        try ONNXExportTests.requireOnnxruntime()
        let model = try ONNXImport(contentsOf: url, classNames: nil).model()
        let count = onnxInput[0]
        let images = try IDXFile.images(at: CLIRepository.url.appendingPathComponent("lessons/data/t10k-images-idx3-ubyte.gz"))
            .slice(0..<count)
        let inputs = Tensor(shape: [count, 28, 28, 1], scalars: images.scalars)
        let ours = try model.predict(inputs).scalars
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-free-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let theirs = try ONNXExportTests.onnxruntime(url, inputs: inputs.reshaped(onnxInput), in: folder)
        XCTAssertEqual(theirs.count, ours.count, file: file, line: line)
        XCTAssertLessThan(zip(ours, theirs).map { abs($0 - $1) }.max() ?? .infinity, 1e-4, url.lastPathComponent,
                          file: file, line: line)
    }
}
