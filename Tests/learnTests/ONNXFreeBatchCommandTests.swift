import Foundation
import XCTest

/// `learn inspect` on a model exported with a free batch size (the tf2onnx fixture,
/// whose Flatten target is computed from Shape nodes): it loads and gives the page,
/// the handout and the trained-model figures, as a fixed-batch model does.
final class ONNXFreeBatchCommandTests: XCTestCase {
    func testKerasModelWithAFreeBatchIsInspected() throws {
        let out = try CLIRunner.temporaryFolder("inspect-free-batch").appendingPathComponent("run")
        let r = try CLIRunner.run(["inspect", ONNXCommandTests.fixtures.appendingPathComponent("keras-free-batch.onnx").path,
                                   "--image", ONNXCommandTests.digits[0], "--image", ONNXCommandTests.digits[1],
                                   "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        for file in ["index.html", "handout.pdf", "trace/model.json", "summary.json", "figures/01-filters.png"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
    }
}
