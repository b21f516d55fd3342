import Foundation
import XCTest

/// A teacher's own lesson and data: `learn new`, `learn lesson PATH` from anywhere on
/// disk, a CSV table and a folder of PNGs (in the lesson or given with --data), and
/// the one `error:` line each bad input gets, with nothing written.
final class OwnLessonCommandTests: XCTestCase {
    static let fixtures = CLIRunner.repository.appendingPathComponent("Tests/LessonsTests/Fixtures/own-data")

    /// A lesson folder `name` in a fresh temporary folder, holding `yaml` and an introduction.
    func lessonFolder(_ name: String, yaml: String) throws -> URL {
        let folder = try CLIRunner.temporaryFolder("own").appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try yaml.write(to: folder.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
        try "## Text\n".write(to: folder.appendingPathComponent("introduction.md"), atomically: true, encoding: .utf8)
        return folder
    }

    func tableLesson(path: String, extra: String = "") -> String {
        """
        title: A table
        summary: Iris rows.
        data: {dataset: csv, path: \(path), label: species, test_split: 0.25\(extra)}
        model: {layers: [{type: Dense, units: 8, activation: relu}, {type: Dense, units: 3}]}
        training: {loss: softmax_cross_entropy, optimizer: adam, learning_rate: 0.05, epochs: 3, batch_size: 4, seed: 1}
        figures: [{plot: curves, caption: Curves.}, {plot: confusion, caption: Confusion.}]
        narrative: [introduction.md]
        """
    }

    func testNewWritesAStarterThatRunsAsItIs() throws {
        let root = try CLIRunner.temporaryFolder("new")
        let made = try CLIRunner.run(["new", "my-lesson"], in: root)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssert(made.stdout.contains("learn lesson ./my-lesson"), made.stdout)
        let yaml = try String(contentsOf: root.appendingPathComponent("my-lesson/lesson.yaml"), encoding: .utf8)
        XCTAssert(yaml.hasPrefix("# my-lesson: a starter lesson"), yaml)
        let out = root.appendingPathComponent("out")
        let run = try CLIRunner.run(["lesson", "./my-lesson", "--quick", "--out", out.path], in: root)
        XCTAssertEqual(run.status, 0, run.stderr)
        for file in ["summary.json", "index.html", "handout.pdf", "figures"] {
            XCTAssert(FileManager.default.fileExists(atPath: out.appendingPathComponent("my-lesson/\(file)").path), file)
        }
        assertUserError(try CLIRunner.run(["new", "my-lesson"], in: root), "exists already")
        assertUserError(try CLIRunner.run(["new", "my lesson"], in: root), "'my lesson' is not a lesson name")
        assertUserError(try CLIRunner.run(["new", "no-such-folder/x"], in: root), "no-such-folder: no such folder")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted(), ["my-lesson", "out"])
    }

    func testNewFromCopiesALesson() throws {
        let root = try CLIRunner.temporaryFolder("new-from")
        let made = try CLIRunner.run(["new", root.appendingPathComponent("flowers").path, "--from", "iris-csv"])
        XCTAssertEqual(made.status, 0, made.stderr)
        for file in ["lesson.yaml", "iris.csv", "introduction.md", "exercises.md"] {
            XCTAssert(FileManager.default.fileExists(atPath: root.appendingPathComponent("flowers/\(file)").path), file)
        }
        assertUserError(try CLIRunner.run(["new", root.appendingPathComponent("x").path, "--from", "iris-cvs"]),
                        "no lesson named 'iris-cvs'")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("x").path))
    }

    func testLessonFolderAnywhereReadsItsCSVBesideIt() throws {
        let folder = try lessonFolder("table", yaml: tableLesson(path: "iris.csv"))
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("iris-12.csv"),
                                         to: folder.appendingPathComponent("iris.csv"))
        let out = try CLIRunner.temporaryFolder("out")
        let r = try CLIRunner.run(["lesson", folder.path, "--out", out.path, "--no-render"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("data: 9 training, 3 test examples"), r.stdout)
        let summary = try String(contentsOf: out.appendingPathComponent("table/summary.json"), encoding: .utf8)
        XCTAssert(summary.contains("\"dataset\" : \"csv\""), summary)
    }

    func testDataOptionTakesAnotherCSVFile() throws {
        let folder = try lessonFolder("table", yaml: tableLesson(path: "missing.csv"))
        let out = try CLIRunner.temporaryFolder("out")
        assertUserError(try CLIRunner.run(["lesson", folder.path, "--out", out.path, "--no-render"]),
                        "missing.csv: no such file")
        let r = try CLIRunner.run(["lesson", folder.path, "--out", out.path, "--no-render",
                                   "--data", Self.fixtures.appendingPathComponent("iris-12.csv").path])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testBadTableGivesOneErrorAndWritesNothing() throws {
        let folder = try lessonFolder("ragged", yaml: tableLesson(path: "bad.csv"))
        let cases: [(String, String)] = [
            ("species,a\nsetosa,1\nvirginica\n", "bad.csv: row 2 (line 3) has 1 field; the header has 2"),
            ("kind,a\nsetosa,1\nvirginica,2\n", "no column 'species' for the label"),
        ]
        for (text, message) in cases {
            try text.write(to: folder.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
            let out = try CLIRunner.temporaryFolder("out")
            assertUserError(try CLIRunner.run(["lesson", folder.path, "--out", out.path]), message)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [], message)
        }
    }

    func testColourImageFolderLessonAndPredict() throws {
        let folder = try lessonFolder("colours", yaml: """
            title: Colours
            summary: Red or blue squares.
            data: {dataset: images, path: \(Self.fixtures.appendingPathComponent("colours").path), size: 6, channels: 3, test_split: 0.25}
            model:
              layers:
                - {type: Conv2D, filters: 4, kernel: 3, activation: relu}
                - {type: Flatten}
                - {type: Dense, units: 2}
            training: {loss: softmax_cross_entropy, optimizer: adam, learning_rate: 0.05, epochs: 5, batch_size: 4, seed: 1}
            figures: [{plot: feature-maps, caption: Maps.}, {plot: saliency, caption: Saliency.}, {plot: mistakes, caption: Mistakes.}]
            narrative: [introduction.md]
            """)
        let out = try CLIRunner.temporaryFolder("out")
        let r = try CLIRunner.run(["lesson", folder.path, "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssert(r.stdout.contains("data: 12 training, 4 test examples"), r.stdout)
        let png = Self.fixtures.appendingPathComponent("colours/red/red-0.png").path
        let p = try CLIRunner.run(["predict", out.appendingPathComponent("colours").path, "--image", png])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssert(p.stdout.contains("red"), p.stdout)
    }

    func testGreyImageFolderModelTakesAPictureAsItIs() throws {
        let folder = try lessonFolder("grey", yaml: """
            title: Grey
            summary: Dark or light squares.
            data: {dataset: images, path: \(Self.fixtures.appendingPathComponent("colours").path), size: 6, channels: 1}
            model: {layers: [{type: Flatten}, {type: Dense, units: 2}]}
            training: {loss: softmax_cross_entropy, optimizer: adam, epochs: 2, batch_size: 4, seed: 1}
            narrative: [introduction.md]
            """)
        let out = try CLIRunner.temporaryFolder("out")
        let r = try CLIRunner.run(["lesson", folder.path, "--out", out.path, "--no-render"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let png = Self.fixtures.appendingPathComponent("colours/blue/blue-0.png").path
        let p = try CLIRunner.run(["predict", out.appendingPathComponent("grey").path, "--image", png])
        XCTAssertEqual(p.status, 0, p.stderr)
        // Dark squares on white paper, as in training: not inverted as an MNIST digit would be.
        XCTAssertFalse(p.stdout.contains("inverted"), p.stdout)
    }

    func testBadImageFolderGivesOneErrorAndWritesNothing() throws {
        let root = try CLIRunner.temporaryFolder("bad-images")
        let pictures = root.appendingPathComponent("pictures")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("colours"), to: pictures)
        let folder = try lessonFolder("pictures-lesson", yaml: """
            title: Pictures
            summary: Squares.
            data: {dataset: images, path: \(pictures.path), size: 6, channels: 3}
            model: {layers: [{type: Flatten}, {type: Dense, units: 2}]}
            training: {loss: softmax_cross_entropy, optimizer: adam, epochs: 1, batch_size: 4}
            narrative: [introduction.md]
            """)
        func check(_ message: String) throws {
            let out = try CLIRunner.temporaryFolder("out")
            assertUserError(try CLIRunner.run(["lesson", folder.path, "--out", out.path]), message)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), [], message)
        }
        try "x".write(to: pictures.appendingPathComponent("red/notes.txt"), atomically: true, encoding: .utf8)
        try check("red/notes.txt: not a PNG image")
        try FileManager.default.removeItem(at: pictures.appendingPathComponent("red"))
        try check("only one class (blue); a classifier needs at least two")
    }

    func testDataOptionTakesAnImageFolderForAnMNISTLesson() throws {
        let root = try CLIRunner.temporaryFolder("pngs")
        let pictures = root.appendingPathComponent("pictures")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("colours"), to: pictures)
        let out = try CLIRunner.temporaryFolder("out")
        let r = try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--no-render", "--out", out.path, "--data", pictures.path])
        // cnn-mnist's network has ten outputs; two classes fit inside them.
        XCTAssertEqual(r.status, 0, r.stderr)
        try FileManager.default.createDirectory(at: pictures.appendingPathComponent("green"), withIntermediateDirectories: false)
        let empty = try CLIRunner.temporaryFolder("out")
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--out", empty.path, "--data", pictures.path]),
                        "green: class folder holds no PNG image")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: empty.path), [])
        assertUserError(try CLIRunner.run(["lesson", "cnn-mnist", "--quick", "--out", empty.path, "--data",
                                           Self.fixtures.appendingPathComponent("iris-12.csv").path]),
                        "iris-12.csv is not a folder")
    }
}
