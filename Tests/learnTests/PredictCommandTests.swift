import Foundation
import XCTest

/// `learn predict` as a user runs it on the output of `learn lesson workflow`:
/// the answer and every class probability per input, as text or JSON, and one
/// clear `error:` line for each kind of bad input.
final class PredictCommandTests: XCTestCase {
    /// The quick run of the workflow lesson the tests predict with (trained once).
    static let runFolder = Result { () throws -> URL in
        let out = try CLIRunner.temporaryFolder("predict")
        let r = try CLIRunner.run(["lesson", "workflow", "--quick", "--quiet", "--out", out.path])
        guard r.status == 0 else { throw CLIError(description: r.stderr) }
        return out.appendingPathComponent("workflow")
    }
    struct CLIError: Error { let description: String }

    static let images = "lessons/data/t10k-images-idx3-ubyte.gz"
    static let labels = "lessons/data/t10k-labels-idx1-ubyte.gz"

    func testIDXImagesGetTheirAnswerAndEveryProbability() throws {
        let run = try Self.runFolder.get()
        let r = try CLIRunner.run(["predict", run.path, "--idx", Self.images, "--start", "700", "--count", "2",
                                   "--labels", Self.labels])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("inputs standardized with the training set's mean 0.1"), r.stdout)
        XCTAssert(r.stdout.contains("t10k-images-idx3-ubyte.gz #700: "), r.stdout)
        XCTAssert(r.stdout.contains("t10k-images-idx3-ubyte.gz #701: "), r.stdout)
        XCTAssertFalse(r.stdout.contains("#702"), r.stdout)
        // Two answers, each followed by one line per digit.
        let classLines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
        XCTAssertEqual(classLines.count, 20, r.stdout)
    }

    func testJSONIsAnArrayOfPredictionsWhoseProbabilitiesSumToOne() throws {
        let run = try Self.runFolder.get()
        let r = try CLIRunner.run(["predict", run.path, "--idx", Self.images, "--count", "3", "--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let answers = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(answers.count, 3)
        for answer in answers {
            let p = try XCTUnwrap(answer["probabilities"] as? [Double])
            XCTAssertEqual(p.count, 10)
            XCTAssertEqual(p.reduce(0, +), 1, accuracy: 1e-4)
            XCTAssertEqual(answer["className"] as? String, "\(p.indices.max { p[$0] < p[$1] }!)")
        }
    }

    func testBadInputsGiveOneErrorLine() throws {
        let run = try Self.runFolder.get()
        assertUserError(try CLIRunner.run(["predict", "output/no-such-run", "--idx", Self.images]), "no such run folder")
        assertUserError(try CLIRunner.run(["predict", run.appendingPathComponent("figures").path, "--idx", Self.images]),
                        "no trained model")
        let notPNG = run.appendingPathComponent("summary.json").path
        assertUserError(try CLIRunner.run(["predict", run.path, "--image", notPNG]), notPNG, "not a readable PNG")
        assertUserError(try CLIRunner.run(["predict", run.path, "--idx", Self.labels]), "not an IDX file of the expected kind")
        assertUserError(try CLIRunner.run(["predict", run.path, "--idx", Self.images, "--start", "1000"]),
                        "--start 1000 is past the last image")
    }
}
