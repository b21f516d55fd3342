import Foundation
import XCTest

/// `learn lesson` as a user runs it: the quick run works, and every kind of
/// mistake gives one clear `error:` line, a non-zero exit, and leaves earlier
/// output intact.
final class LessonCommandTests: XCTestCase {
    static let yamlCNN = try! String(contentsOf: CLIRunner.repository.appendingPathComponent("lessons/cnn-mnist/lesson.yaml"),
                                     encoding: .utf8)

    func testQuickRunWritesTraceFiguresAndSummary() throws {
        let out = try CLIRunner.temporaryFolder("out")
        let r = try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = out.appendingPathComponent("cnn-mnist")
        for file in ["summary.json", "trace/manifest.json", "trace/scalars.csv", "trace/evaluation.safetensors",
                     "figures/01-filters.png", "figures/04-curves.png", "figures/05-confusion.png"] {
            XCTAssert(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }
        XCTAssert(r.stdout.contains("test accuracy"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent(".cnn-mnist.partial").path))
    }

    func testFormatFlagWritesSVGAndPDFBesideEachPNGAndTheGalleryLinksThem() throws {
        let out = try CLIRunner.temporaryFolder("formats")
        let r = try CLIRunner.run(["lesson", "fnn-spirals", "--quick", "--format", "png,svg,pdf", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let figures = out.appendingPathComponent("fnn-spirals/figures")
        let pngs = try FileManager.default.contentsOfDirectory(atPath: figures.path).filter { $0.hasSuffix(".png") }
        XCTAssertFalse(pngs.isEmpty)
        for png in pngs {
            let stem = figures.appendingPathComponent(png).deletingPathExtension()
            let svg = try Data(contentsOf: stem.appendingPathExtension("svg"))
            let pdf = try Data(contentsOf: stem.appendingPathExtension("pdf"))
            XCTAssert(String(decoding: svg.prefix(100), as: UTF8.self).contains("<svg"), png)
            XCTAssert(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-", png)
        }
        let page = try String(contentsOf: out.appendingPathComponent("fnn-spirals/index.html"), encoding: .utf8)
        XCTAssert(page.contains("<a href=\"figures/01-") && page.contains(".svg\">SVG</a>"), "no SVG link on the page")
        // Redrawing from the trace takes the same flag.
        let redrawn = try CLIRunner.temporaryFolder("redrawn")
        let r2 = try CLIRunner.run(["render", out.appendingPathComponent("fnn-spirals/trace").path,
                                    "--out", redrawn.path, "--format", "svg"])
        XCTAssertEqual(r2.status, 0, r2.stderr)
        let printed = r2.stdout.split(separator: "\n").filter { $0.hasSuffix(".svg") }
        XCTAssertFalse(printed.isEmpty, r2.stdout)
        for path in printed { XCTAssert(FileManager.default.fileExists(atPath: String(path)), String(path)) }
    }

    func testUnknownFigureFormatIsRefusedBeforeAnythingIsWritten() throws {
        let out = try CLIRunner.temporaryFolder("badformat")
        assertUserError(try CLIRunner.run(["lesson", "fnn-spirals", "--quick", "--format", "png,jpg", "--out", out.path]),
                        "unknown figure format 'jpg'", "formats: png, svg, pdf")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [])
        assertUserError(try CLIRunner.run(["render", "/nonexistent/trace", "--format", "eps", "--out", out.path]),
                        "unknown figure format 'eps'", "formats: png, svg, pdf")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [])
    }

    func testUnknownLessonSuggestsTheNearestName() throws {
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnst"]), "no lesson named 'cnn-mnst'", "did you mean 'cnn-mnist'?")
    }

    func testLessonPathThatIsNoLessonFolderIsNamed() throws {
        assertUserError(try CLIRunner.run(["lesson", "../no-such-lesson"]), "../no-such-lesson: not a lesson folder: no such folder")
        assertUserError(try CLIRunner.run(["lesson", "./Sources"]), "./Sources: not a lesson folder", "no lesson.yaml")
        assertUserError(try CLIRunner.run(["lesson", "cnn mnist"]), "is not a lesson name")
    }

    /// A lesson found through LEARN_LESSONS_DIR is named by its whole path, not as if it
    /// were in this checkout's `lessons/`.
    func testMalformedYAMLNamesTheFileAndLine() throws {
        let lessons = try CLIRunner.lessonsFolder(name: "broken", yaml: "title: T\nsummary: [oops\n")
        assertUserError(try CLIRunner.run(["lesson", "broken"], environment: ["LEARN_LESSONS_DIR": lessons.path]),
                        lessons.appendingPathComponent("broken/lesson.yaml").path + ":", "malformed YAML")
    }

    func testUnknownLayerTypeListsTheChoices() throws {
        let yaml = Self.yamlCNN.replacingOccurrences(of: "{type: MaxPool2D, size: 2}", with: "{type: MaxPooling2D, size: 2}")
        let lessons = try CLIRunner.lessonsFolder(name: "typo", yaml: yaml)
        assertUserError(try CLIRunner.run(["lesson", "typo"], environment: ["LEARN_LESSONS_DIR": lessons.path]),
                        "model.layers[1].type: unknown value 'MaxPooling2D'", "did you mean 'MaxPool2D'?")
    }

    func testInconsistentShapesNameTheLayer() throws {
        let yaml = Self.yamlCNN.replacingOccurrences(of: "    - {type: Flatten}\n", with: "")
        let lessons = try CLIRunner.lessonsFolder(name: "shapes", yaml: yaml)
        assertUserError(try CLIRunner.run(["lesson", "shapes", "--quick"], environment: ["LEARN_LESSONS_DIR": lessons.path]),
                        "layer 'dense1' (Dense)", "[3, 3, 64]", "Flatten")
    }

    /// A --data folder with the four bundled files, raw-gzip copies we can damage.
    private func dataFolder() throws -> URL {
        let folder = try CLIRunner.temporaryFolder("data")
        for name in ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            try FileManager.default.copyItem(at: CLIRunner.repository.appendingPathComponent("lessons/data/\(name).gz"),
                                             to: folder.appendingPathComponent("\(name).gz"))
        }
        return folder
    }

    func testDataFolderLackingAFileNamesIt() throws {
        let data = try dataFolder()
        try FileManager.default.removeItem(at: data.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--data", data.path]), "t10k-labels-idx1-ubyte")
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--data", "/nonexistent/mnist"]), "/nonexistent/mnist")
    }

    func testTruncatedAndCorruptIDXFilesAreNamed() throws {
        let data = try dataFolder()
        let images = data.appendingPathComponent("train-images-idx3-ubyte.gz")
        let bytes = try Data(contentsOf: images)
        try bytes.prefix(bytes.count / 2).write(to: images)
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--data", data.path]), "train-images-idx3-ubyte")
        try Data("not an idx file at all".utf8).write(to: images)
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--data", data.path]), "train-images-idx3-ubyte")
    }

    func testUnwritableOutputFolderIsReportedAndEarlierRunSurvivesAFailure() throws {
        let out = try CLIRunner.temporaryFolder("keep")
        XCTAssertEqual(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--no-render", "--out", out.path]).status, 0)
        let summary = out.appendingPathComponent("cnn-mnist/summary.json")
        let before = try Data(contentsOf: summary)
        // A file where the output folder should be.
        let blocker = out.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--out", blocker.appendingPathComponent("sub").path]),
                        "cannot write to output folder")
        // A failing run into the same folder leaves the earlier run as it was.
        let data = try dataFolder()
        try Data("garbage".utf8).write(to: data.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--out", out.path, "--data", data.path]),
                        "train-labels-idx1-ubyte")
        XCTAssertEqual(try Data(contentsOf: summary), before)
    }

    func testDivergingLossStopsAtAStepKeepsTheTraceAndFails() throws {
        let out = try CLIRunner.temporaryFolder("nan")
        let r = try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--lr", "1e12", "--out", out.path])
        assertUserError(r, "training diverged", "at step")
        let run = out.appendingPathComponent("cnn-mnist")
        XCTAssert(FileManager.default.fileExists(atPath: run.appendingPathComponent("trace/manifest.json").path))
        XCTAssert(FileManager.default.fileExists(atPath: run.appendingPathComponent("figures/04-curves.png").path),
                  "figures that the partial trace supports are drawn")
    }

    func testBadOptionsAreRejected() throws {
        XCTAssertNotEqual(try CLIRunner.run(["lesson", "cnn-mnist", "--epochs", "0"]).status, 0)
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--dataset", "cifar"]), "unknown dataset 'cifar'")
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--record", "sometimes"]), "sometimes")
    }
}
