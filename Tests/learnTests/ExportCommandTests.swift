import Foundation
import XCTest

/// `learn export RUN --onnx FILE` as a user runs it on a quick cnn-mnist run: the file
/// onnxruntime runs gives `learn predict --json`'s probabilities, and bad input gives one
/// `error:` line and no file.
final class ExportCommandTests: XCTestCase {
    /// A one-epoch quick run of cnn-mnist (convolutions, pooling, dense layers), trained once.
    static let runFolder = Result { () throws -> URL in
        let out = try CLIRunner.temporaryFolder("export")
        let r = try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--epochs", "1", "--no-render", "--quiet",
                                   "--out", out.path])
        guard r.status == 0 else { throw RunFailed(description: r.stderr) }
        return out.appendingPathComponent("cnn-mnist")
    }
    struct RunFailed: Error { let description: String }

    static let images = "lessons/data/t10k-images-idx3-ubyte.gz"

    /// Reads the first `count` test images as the loaders do (bytes / 255, NHWC) and prints
    /// onnxruntime's probabilities as JSON.
    static let onnxruntimeScript = """
    import gzip, json, sys
    import numpy as np, onnxruntime as ort
    model, images, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    x = np.frombuffer(gzip.open(images).read(), np.uint8, offset=16)[:count * 784]
    x = (x.reshape(count, 28, 28, 1) / 255.0).astype(np.float32)
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    print(json.dumps(session.run(["probabilities"], {"input": x})[0].tolist()))
    """

    func testOnnxruntimeGivesThePredictCommandsProbabilities() throws {
        let check = python(["-c", "import onnxruntime, numpy"])
        // CI sets this (.ci/run): there a missing onnxruntime is a broken setup, not a reason to skip.
        if check.status != 0 && ProcessInfo.processInfo.environment["LEARN_REQUIRE_ONNXRUNTIME"] == "1" {
            XCTFail("CI: python3 -c 'import onnxruntime, numpy' failed: \(check.stderr)")
            return
        }
        guard check.status == 0 else {
            throw XCTSkip("python3 with onnxruntime and numpy is not installed (pip install onnxruntime numpy; CI installs them)")
        }
        let run = try Self.runFolder.get()
        let file = run.appendingPathComponent("model.onnx")
        let r = try CLIRunner.run(["export", run.path, "--onnx", file.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains(file.path), r.stdout)

        let predict = try CLIRunner.run(["predict", run.path, "--idx", Self.images, "--count", "4", "--json"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let answers = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(predict.stdout.utf8)) as? [[String: Any]])
        let expected = try answers.map { try XCTUnwrap($0["probabilities"] as? [Double]) }

        let ort = python(["-c", Self.onnxruntimeScript, file.path, CLIRunner.repository.appendingPathComponent(Self.images).path, "4"])
        XCTAssertEqual(ort.status, 0, ort.stderr)
        let found = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ort.stdout.utf8)) as? [[Double]])
        XCTAssertEqual(found.count, expected.count)
        for (a, b) in zip(found, expected) {
            XCTAssertEqual(a.count, 10)
            XCTAssertLessThan(zip(a, b).map { abs($0 - $1) }.max() ?? .infinity, 1e-4, "\(a) vs \(b)")
        }
    }

    func testBadInputsGiveOneErrorLineAndNoFile() throws {
        let out = try CLIRunner.temporaryFolder("export-bad")
        let file = out.appendingPathComponent("model.onnx")
        assertUserError(try CLIRunner.run(["export", "output/no-such-run", "--onnx", file.path]), "no such run folder")
        assertUserError(try CLIRunner.run(["export", out.path, "--onnx", file.path]), "no trained model")
        XCTAssertFalse(FileManager.default.fileExists(atPath: file.path))
        let run = try Self.runFolder.get()
        let nowhere = out.appendingPathComponent("missing-folder/model.onnx")
        assertUserError(try CLIRunner.run(["export", run.path, "--onnx", nowhere.path]), nowhere.path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: nowhere.path))
    }

    func python(_ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        guard (try? process.run()) != nil else { return (127, "", "python3 not found") }
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
