import Foundation
import XCTest

/// `learn inspect` as a user runs it: the PyTorch and Keras
/// fixtures give a gallery page, handout and the cnn-mnist figures; bad ONNX files
/// give one `error:` line naming the file, and no output folder.
final class ONNXCommandTests: XCTestCase {
    static let fixtures = CLIRunner.repository.appendingPathComponent("Tests/LessonsTests/Fixtures/ONNX")
    static let digits = ["digit-3.png", "digit-7.png"].map { fixtures.appendingPathComponent($0).path }

    func inspect(_ model: String, out: URL) throws -> CLIRunner.Result {
        try CLIRunner.run(["inspect", Self.fixtures.appendingPathComponent(model).path, "--image", Self.digits[0],
                           "--image", Self.digits[1], "--out", out.path])
    }

    func testTorchAndKerasModelsGetTheTrainedModelFigures() throws {
        for model in ["torch-cnn.onnx", "keras-cnn.onnx"] {
            let out = try CLIRunner.temporaryFolder("inspect").appendingPathComponent("run")
            let r = try inspect(model, out: out)
            XCTAssertEqual(r.status, 0, "\(model): \(r.stderr)")
            XCTAssertEqual(r.stderr, "", model)
            for file in ["index.html", "handout.pdf", "trace/model.json", "summary.json"] {
                XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(model): \(file)")
            }
            let figures = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("figures").path).sorted()
            XCTAssertEqual(figures, ["01-filters.png", "02-feature-maps.png", "03-feature-maps-2.png", "04-saliency.png"], model)
        }
    }

    func testBadONNXFilesGiveOneErrorLineAndNoFolder() throws {
        let folder = try CLIRunner.temporaryFolder("bad-onnx")
        let bytes = try Data(contentsOf: Self.fixtures.appendingPathComponent("torch-cnn.onnx"))
        let truncated = folder.appendingPathComponent("truncated.onnx")
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        // Same length, so the protobuf stays valid: every "MaxPool" (op type and node name) becomes "AvgPool".
        let unsupported = folder.appendingPathComponent("avgpool.onnx")
        try Self.replacing(bytes, Data("MaxPool".utf8), with: Data("AvgPool".utf8)).write(to: unsupported)
        let cases: [(URL, [String])] = [
            (truncated, [truncated.path, "not an ONNX model"]),
            (URL(fileURLWithPath: Self.digits[0]), [Self.digits[0], "not an ONNX model"]),
            (unsupported, [unsupported.path, "node '/2/AvgPool' uses operator AvgPool"]),
        ]
        for (model, fragments) in cases {
            let out = folder.appendingPathComponent("out-\(model.lastPathComponent)")
            let r = try CLIRunner.run(["inspect", model.path, "--image", Self.digits[0], "--out", out.path])
            assertUserError(r, fragments[0], fragments[1])
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "half-written \(out.path)")
        }
    }

    static func replacing(_ data: Data, _ old: Data, with new: Data) -> Data {
        var out = Data(), i = data.startIndex
        while i < data.endIndex {
            if data[i...].starts(with: old) { out.append(new); i += old.count } else { out.append(data[i]); i += 1 }
        }
        return out
    }
}
