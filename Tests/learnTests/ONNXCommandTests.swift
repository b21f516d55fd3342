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

    /// A colour model: the shape PNGs are read as RGB, the page says what was reordered for
    /// this file (kernels; no dense rows, tf2onnx flattens channels-last) and names no level.
    func testColourModelReadsColourImagesAndSaysWhatWasReordered() throws {
        let out = try CLIRunner.temporaryFolder("inspect-colour").appendingPathComponent("run")
        let images = ["shape-0.png", "shape-1.png"].flatMap { ["--image", Self.fixtures.appendingPathComponent($0).path] }
        let r = try CLIRunner.run(["inspect", Self.fixtures.appendingPathComponent("keras-colour-cnn.onnx").path] + images
                                  + ["--labels", Self.fixtures.appendingPathComponent("shapes.labels").path, "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let figures = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("figures").path).sorted()
        XCTAssertEqual(figures, ["01-filters.png", "02-feature-maps.png", "03-feature-maps-2.png", "04-saliency.png"])
        let model = try String(contentsOf: out.appendingPathComponent("trace/model.json"), encoding: .utf8)
        XCTAssert(model.contains("\"circle\""), model)
        let introduction = try String(contentsOf: out.appendingPathComponent("introduction.md"), encoding: .utf8)
        XCTAssert(introduction.contains("no dense layer's rows needed reordering"), introduction)
        XCTAssert(introduction.contains("red, green and blue"), introduction)
        let page = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("Level:"), "an inspection is not a lesson")
        XCTAssert(page.contains("inspected on 2 images"))
        // The PyTorch model flattens channels-first maps: its dense1 rows were reordered, and the page says so.
        let torchOut = try CLIRunner.temporaryFolder("inspect-torch").appendingPathComponent("run")
        XCTAssertEqual(try inspect("torch-cnn.onnx", out: torchOut).status, 0)
        let torchIntro = try String(contentsOf: torchOut.appendingPathComponent("introduction.md"), encoding: .utf8)
        XCTAssert(torchIntro.contains("The Flatten before dense1 read channels-first maps"), torchIntro)
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
